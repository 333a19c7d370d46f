// Peer "socketio": the same job on socket.io, in socket.io's own terms. `node bench/peers/socketio.mjs --port 0`.
//
// Path /socket.io/, WebSocket transport only (no HTTP long-polling upgrade dance), no compression, a 60 s
// ping interval (Engine.IO heartbeats out of the measured seconds). Channels are socket.io rooms:
//   42<id>["subscribe","room:x"]                       -> socket.join(room), ack [{"ok":true}]
//   42<id>["publish",{"channel":"room:x","message":{...}}] -> io.to(room).emit("message", {channel, seq, message}),
//                                                          then ack [{"seq":N}]
// socket.io encodes a room broadcast once and writes the same packet to every member; its parser has already
// JSON.parse'd the event, and the message object is serialized again into the broadcast, as in the JSON peers.

import { createServer } from 'node:http';

import { Server } from 'socket.io';

import { announce, exitOnSignal, parseArgs } from './cli.mjs';
import { SeqCounters } from './switchboard_subset.mjs';

const { host, port } = parseArgs();
const seqs = new SeqCounters();

const httpServer = createServer();
const io = new Server(httpServer, {
  path: '/socket.io/',
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  pingInterval: 60000,
  pingTimeout: 60000,
  maxHttpBufferSize: 1024 * 1024,
});

// A room exists while it has members; its numbering ends with it. (Every socket is also alone in a room named
// by its id, which no channel name from the benchmark collides with.)
const rooms = io.of('/').adapter.rooms;
io.of('/').adapter.on('delete-room', (room) => seqs.forget(room));

const isChannel = (value) => typeof value === 'string' && value !== '';

io.on('connection', (socket) => {
  socket.on('subscribe', (channel, ack) => {
    if (typeof ack !== 'function') return;
    if (!isChannel(channel)) return ack({ ok: false, error: 'bad channel' });
    socket.join(channel);
    ack({ ok: true });
  });
  socket.on('unsubscribe', (channel, ack) => {
    if (isChannel(channel)) socket.leave(channel);
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('publish', (request, ack) => {
    const channel = request?.channel;
    const message = request?.message;
    if (!isChannel(channel) || message === null || typeof message !== 'object') {
      if (typeof ack === 'function') ack({ ok: false, error: 'bad publish' });
      return;
    }
    let seq = 0;  // A channel without subscribers: delivered to nobody, no number taken (as in Switchboard).
    if (rooms.has(channel)) {
      seq = seqs.next(channel);
      io.to(channel).emit('message', { channel, seq, message });
    }
    if (typeof ack === 'function') ack({ seq });
  });
});

httpServer.listen(port, host, () => announce('socketio', host, httpServer.address().port));
exitOnSignal(() => io.close());
