// A scripted WebSocket server (ws) for what a real switchboard never does: stay silent, answer out of order,
// refuse a re-subscribe, send something other than a welcome first.

import { WebSocketServer } from 'ws';

export const WELCOME = {
  type: 'welcome', session: '1', protocol: 1, server: 'fake/0', heartbeatMs: 25_000, limits: { maxMessageBytes: 65_536 },
};

// Starts a server on 127.0.0.1; `onConnection(socket, received, index)` scripts each connection: `received` is
// the array of parsed frames the socket got so far (filled in before the script's own 'message' listeners run).
export async function fakeServer(onConnection) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve, reject) => { wss.once('listening', resolve); wss.once('error', reject); });
  const connections = [];
  wss.on('connection', (socket) => {
    const received = [];
    const conn = { socket, received };
    connections.push(conn);
    socket.on('message', (data) => received.push(JSON.parse(String(data))));
    onConnection(socket, received, connections.length - 1);
  });
  const { port } = wss.address();
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    connections,
    // Closes every connection without a close frame and stops listening.
    close: () => new Promise((resolve) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => resolve());
    }),
  };
}

export function sendJson(socket, frame) {
  socket.send(JSON.stringify(frame));
}
