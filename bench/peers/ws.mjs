// Peer "ws": the Switchboard subset (switchboard_subset.mjs) on Node's `ws` library, with a
// Map<channel, Set<socket>> for the channels. `node bench/peers/ws.mjs --port 0`.
//
// The most favourable realistic shape: one process, no per-message allocation beyond what `ws` does itself,
// each broadcast serialized once and encoded to a Buffer once, then handed to every subscriber's send() (a
// string would be UTF-8 encoded again per subscriber). `ws` has no per-socket cap: a slow reader's frames queue
// in its socket's buffers without limit, so nothing is ever dropped.

import { WebSocketServer } from 'ws';

import { announce, exitOnSignal, parseArgs } from './cli.mjs';
import { SeqCounters, ackFrame, decode, errorFrame, messageFrame, pongFrame, welcomeFrame } from './switchboard_subset.mjs';

const { host, port } = parseArgs();
const channels = new Map();  // channel -> Set of sockets
const seqs = new SeqCounters();
const TEXT = { binary: false };  // A Buffer is sent as a binary frame unless told otherwise.

function subscribe(socket, channel) {
  let members = channels.get(channel);
  if (members === undefined) channels.set(channel, (members = new Set()));
  members.add(socket);
  socket.channels.add(channel);
}

function unsubscribe(socket, channel) {
  const members = channels.get(channel);
  if (members === undefined) return;
  members.delete(socket);
  if (members.size === 0) {  // Like Switchboard: a channel (and its numbering) lives while it has members.
    channels.delete(channel);
    seqs.forget(channel);
  }
  socket.channels.delete(channel);
}

// The seq the publish got, 0 when the channel has no subscribers.
function publish(channel, message) {
  const members = channels.get(channel);
  if (members === undefined) return 0;
  const seq = seqs.next(channel);
  const frame = Buffer.from(messageFrame(channel, seq, message));
  for (const member of members) member.send(frame, TEXT);
  return seq;
}

function onFrame(socket, text) {
  const frame = decode(text);
  switch (frame.kind) {
    case 'subscribe':
      subscribe(socket, frame.channel);
      break;
    case 'unsubscribe':
      unsubscribe(socket, frame.channel);
      break;
    case 'publish': {
      const seq = publish(frame.channel, frame.message);
      if (frame.id !== undefined) socket.send(ackFrame(frame.id, seq));
      return;
    }
    case 'ping':
      socket.send(pongFrame(frame.id));
      return;
    default:
      socket.send(errorFrame(frame.id, frame.code, frame.message));
      return;
  }
  if (frame.id !== undefined) socket.send(ackFrame(frame.id));
}

const server = new WebSocketServer({ host, port, path: '/ws', perMessageDeflate: false, clientTracking: false });
server.on('connection', (socket) => {
  socket.channels = new Set();
  socket.on('message', (data, isBinary) => {
    if (isBinary) socket.send(errorFrame(undefined, 'bad_frame', 'binary frames are not accepted'));
    else onFrame(socket, data.toString());
  });
  socket.on('close', () => {
    for (const channel of socket.channels) unsubscribe(socket, channel);
  });
  socket.on('error', () => {});  // A reset connection: 'close' follows and cleans up.
  socket.send(welcomeFrame('ws'));
});
server.on('listening', () => announce('ws', host, server.address().port));
exitOnSignal(() => server.close());
