// Gap frames (docs/protocol.md, "gap"): what the server dropped for a client that read too slowly. Scripted
// server for the event's details; a real switchboard with the drop policy and a client whose socket stops being
// read for the end-to-end account of every seq.

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import WebSocket from 'ws';
import { HandlerError, ProtocolError } from '../dist/index.js';
import { fakeServer, sendJson, WELCOME } from './support/fake_server.mjs';
import { chat, closeAll, open, startServer, waitFor } from './support/harness.mjs';

afterEach(() => closeAll());

const backoff = { initialDelayMs: 20, maxDelayMs: 20, multiplier: 1, jitter: 0 };

test('gap: events in frame order, lastSeq advanced to toSeq first, pushes counted, no error', async () => {
  const s = await fakeServer((socket, received, index) => {
    sendJson(socket, WELCOME);
    socket.on('message', () => {
      const last = received.at(-1);
      if (last.type === 'subscribe') sendJson(socket, { type: 'ack', id: last.id });
      if (last.type !== 'ping' || index > 0) return;
      sendJson(socket, { type: 'message', channel: 'room:a', seq: 1, message: chat('one') });
      sendJson(socket, { type: 'gap', channel: 'room:a', fromSeq: 2, toSeq: 5 });
      sendJson(socket, { type: 'gap', channel: 'room:b', fromSeq: 1, toSeq: 9 });
      sendJson(socket, { type: 'gap', channel: 'room:other', fromSeq: 3, toSeq: 4 }); // not followed: skipped
      sendJson(socket, { type: 'gap', pushes: 2 });
      sendJson(socket, { type: 'push', message: chat('pushed') });
      sendJson(socket, { type: 'message', channel: 'room:a', seq: 6, message: chat('six') });
      sendJson(socket, { type: 'pong', id: last.id });
    });
  });
  try {
    const { client, events } = open(s.url, { heartbeat: false, reconnect: backoff });
    const log = [];
    const subA = await client.subscribe('room:a', (m, meta) => log.push(['message', meta.seq]));
    const subB = await client.subscribe('room:b', () => {});
    client.on('gap', (g) => log.push(['gap', g, 'channel' in g ? (g.channel === 'room:a' ? subA : subB).lastSeq : null]));
    client.on('push', () => log.push(['push']));
    await client.ping(); // the server sends its frames, then the pong

    assert.deepEqual(log, [
      ['message', 1],
      ['gap', { channel: 'room:a', fromSeq: 2, toSeq: 5 }, 5],
      ['gap', { channel: 'room:b', fromSeq: 1, toSeq: 9 }, 9],
      ['gap', { pushes: 2 }, null],
      ['push'],
      ['message', 6],
    ]);
    assert.equal(subA.lastSeq, 6);
    assert.equal(subB.lastSeq, 9);
    assert.deepEqual(events.errors, []);

    // After a reconnect, resubscribed counts the missed messages of room:b as accounted for.
    s.connections[0].socket.terminate();
    await waitFor('two resubscribed', () => events.resubscribed.length === 2);
    assert.deepEqual(
      events.resubscribed.sort((x, y) => x.channel.localeCompare(y.channel)),
      [{ channel: 'room:a', lastSeq: 6, recovered: false }, { channel: 'room:b', lastSeq: 9, recovered: false }],
    );
  } finally {
    await s.close();
  }
});

test('gap: a malformed gap frame is an error event and changes nothing; a throwing listener is a HandlerError', async () => {
  const s = await fakeServer((socket, received) => {
    sendJson(socket, WELCOME);
    socket.on('message', () => {
      const last = received.at(-1);
      if (last.type !== 'subscribe') return;
      sendJson(socket, { type: 'ack', id: last.id });
      sendJson(socket, { type: 'gap', channel: 'room:a', fromSeq: 8, toSeq: 3 });
      sendJson(socket, { type: 'gap', pushes: 0 });
      sendJson(socket, { type: 'gap', channel: 'room:a', fromSeq: 1, toSeq: 3 });
    });
  });
  try {
    const { client, events } = open(s.url, { heartbeat: false, reconnect: false });
    client.on('gap', () => { throw new Error('listener bug'); });
    const sub = await client.subscribe('room:a', () => {});
    await waitFor('three errors', () => events.errors.length === 3);
    const [reversed, zero, thrown] = events.errors;
    assert.ok(reversed instanceof ProtocolError);
    assert.match(reversed.message, /gap frame: "fromSeq" must be <= "toSeq"/);
    assert.ok(zero instanceof ProtocolError);
    assert.match(zero.message, /gap frame: "pushes" must be an integer >= 1/);
    assert.ok(thrown instanceof HandlerError);
    assert.equal(thrown.channel, 'room:a');
    assert.match(thrown.message, /a gap listener threw: listener bug/);
    assert.deepEqual(events.gaps, [{ channel: 'room:a', fromSeq: 1, toSeq: 3 }]);
    assert.equal(sub.lastSeq, 3);
    assert.equal(client.status.state, 'connected');
  } finally {
    await s.close();
  }
});

// A WebSocket that records its instances, so that the test can stop reading the one the client uses.
function recordingWebSocket() {
  const sockets = [];
  class Recording extends WebSocket {
    constructor(...args) {
      super(...args);
      sockets.push(this);
    }
  }
  return { WebSocket: Recording, sockets };
}

test('gap: a subscriber that stops reading gets messages, then a gap, covering every seq once (real server)', async () => {
  const server = await startServer({
    args: ['--port', '0', '--threads', '2', '--slow-consumer-policy', 'drop', '--max-outbound-bytes', '16384',
      '--socket-send-buffer', '4096'],
  });
  try {
    const url = (user) => server.wsUrl(`/ws?user=${user}`);
    const { WebSocket: Recording, sockets } = recordingWebSocket();
    const { client: slow, events } = open(url('slow'), { WebSocket: Recording, heartbeat: false });
    const log = [];
    const sub = await slow.subscribe('room:gap', (m, meta) => log.push(['message', meta.seq, m.data.text.length]));
    slow.on('gap', (g) => log.push(['gap', g]));
    const { client: publisher } = open(url('pub'));

    // ws's pause() stops reading the TCP socket: the kernel's buffers fill, then the server's outbound buffer.
    sockets[0].pause();
    const count = 1000;
    const text = 'x'.repeat(1000);
    for (let i = 1; i <= count; i++) {
      assert.deepEqual(await publisher.publish('room:gap', chat(text, 'pub')), { seq: i });
    }
    assert.deepEqual(log, [], 'nothing is read while paused');
    sockets[0].resume();

    const covered = () => log.reduce((n, e) => n + (e[0] === 'message' ? 1 : e[1].toSeq - e[1].fromSeq + 1), 0);
    await waitFor('every seq received or reported missing', () => covered() >= count, { timeoutMs: 20_000 });
    // In order: each message or gap starts right after the previous one ended.
    let next = 1;
    for (const entry of log) {
      if (entry[0] === 'message') {
        assert.equal(entry[1], next, `message ${entry[1]} where ${next} was due`);
        assert.equal(entry[2], text.length);
        next += 1;
      } else {
        assert.equal(entry[1].channel, 'room:gap');
        assert.equal(entry[1].fromSeq, next, `gap from ${entry[1].fromSeq} where ${next} was due`);
        next = entry[1].toSeq + 1;
      }
    }
    assert.equal(next, count + 1);
    const gaps = log.filter((e) => e[0] === 'gap');
    assert.ok(gaps.length >= 1, 'the stalled client missed nothing: the test did not stall it');
    assert.equal(log[0][0], 'message', 'the buffers held the first messages');
    const received = log.length - gaps.length;
    console.log(`received ${received} of ${count} messages; gaps: ${gaps.map((g) => `${g[1].fromSeq}..${g[1].toSeq}`).join(', ')}`);
    assert.equal(sub.lastSeq, count);
    assert.deepEqual(events.errors, []);
    // Still connected and served: the drop policy does not close the session.
    assert.deepEqual(await publisher.publish('room:gap', chat('after', 'pub')), { seq: count + 1 });
    await waitFor('the next message', () => sub.lastSeq === count + 1);
    assert.equal(slow.status.state, 'connected');
  } finally {
    closeAll();
    const stopped = await server.stop();
    assert.equal(server.sanitizerReport(), null, server.stderr.tail());
    assert.equal(stopped.sigkilled, false, 'the server did not stop on SIGTERM');
  }
});
