// Peer "uws": the Switchboard subset (switchboard_subset.mjs) on uWebSockets.js (npm package `uwebsockets`,
// which ships the uWS.js v20 binaries). `node bench/peers/uws.mjs --port 0`.
//
// The way uWS.js is meant to be used for pub/sub: ws.subscribe(channel) on subscribe, app.publish(channel,
// frame) per publish (uWS's topic tree serializes the frame once and corks the writes, one syscall per socket
// per loop iteration). maxBackpressure is raised from its 64 KiB default to 16 MiB and closeOnBackpressureLimit
// left off, so that S1 never drops: uWS skips (drops) a frame for a socket over the cap, and the `dropped`
// handler reports any such drop on stderr rather than losing it silently.

import uWS from 'uwebsockets';

import { announce, exitOnSignal, parseArgs } from './cli.mjs';
import { SeqCounters, ackFrame, decode, errorFrame, messageFrame, pongFrame, welcomeFrame } from './switchboard_subset.mjs';

const { host, port } = parseArgs();
const seqs = new SeqCounters();
const decoder = new TextDecoder();
let dropped = 0;

const app = uWS.App();

function onFrame(ws, text) {
  const frame = decode(text);
  switch (frame.kind) {
    case 'subscribe':
      ws.subscribe(frame.channel);
      break;
    case 'unsubscribe':
      ws.unsubscribe(frame.channel);
      break;
    case 'publish': {
      let seq = 0;  // A channel without subscribers: delivered to nobody, no number taken.
      if (app.numSubscribers(frame.channel) > 0) {
        seq = seqs.next(frame.channel);
        app.publish(frame.channel, messageFrame(frame.channel, seq, frame.message), false);
      }
      if (frame.id !== undefined) ws.send(ackFrame(frame.id, seq), false);
      return;
    }
    case 'ping':
      ws.send(pongFrame(frame.id), false);
      return;
    default:
      ws.send(errorFrame(frame.id, frame.code, frame.message), false);
      return;
  }
  if (frame.id !== undefined) ws.send(ackFrame(frame.id), false);
}

app.ws('/ws', {
  compression: uWS.DISABLED,
  maxPayloadLength: 1024 * 1024,
  maxBackpressure: 16 * 1024 * 1024,
  closeOnBackpressureLimit: false,
  idleTimeout: 0,  // No idle timeout and no server pings, like the ws peer.
  sendPingsAutomatically: false,
  open: (ws) => ws.send(welcomeFrame('uws'), false),
  message: (ws, message, isBinary) => {
    if (isBinary) ws.send(errorFrame(undefined, 'bad_frame', 'binary frames are not accepted'), false);
    else onFrame(ws, decoder.decode(message));  // The ArrayBuffer is valid only during this call.
  },
  // Called on unsubscribe and for each topic of a closing socket: a channel's numbering ends with its last
  // subscriber, as in Switchboard.
  subscription: (ws, topic, newCount) => {
    if (newCount === 0) seqs.forget(decoder.decode(topic));
  },
  dropped: () => {
    if (dropped++ === 0) console.error('uws: a frame was dropped (socket over maxBackpressure)');
  },
});

let listenSocket = null;
app.listen(host, port, (socket) => {
  if (!socket) {
    console.error(`uws: cannot listen on ${host}:${port}`);
    process.exit(1);
  }
  listenSocket = socket;
  announce('uws', host, uWS.us_socket_local_port(socket));
});
exitOnSignal(() => {
  if (dropped > 0) console.error(`uws: ${dropped} frames dropped in all`);
  if (listenSocket) uWS.us_listen_socket_close(listenSocket);
});
