// Request timeouts, drops while in flight, close(), and the welcome-first rule, against scripted ws servers.

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ConnectionClosedError, ProtocolError, TimeoutError } from '../dist/index.js';
import { fakeServer, sendJson, WELCOME } from './support/fake_server.mjs';
import { chat, closeAll, open, rejection, sleep, waitFor } from './support/harness.mjs';

const servers = [];
async function serve(script) {
  const s = await fakeServer(script);
  servers.push(s);
  return s;
}
afterEach(async () => {
  closeAll();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// Sends the welcome, then ignores everything.
const silent = (socket) => sendJson(socket, WELCOME);

test('requests: no answer within requestTimeoutMs rejects with TimeoutError', async () => {
  const s = await serve(silent);
  const { client } = open(s.url, { requestTimeoutMs: 300, heartbeat: false });
  await waitFor('connected', () => client.status.state === 'connected');
  const started = Date.now();
  const [pub, sub, ping] = await Promise.all([
    rejection(client.publish('chat', chat('x'))),
    rejection(client.subscribe('chat', () => {})),
    rejection(client.ping()),
  ]);
  const elapsed = Date.now() - started;
  for (const e of [pub, sub, ping]) {
    assert.ok(e instanceof TimeoutError, String(e));
    assert.equal(e.code, 'timeout');
  }
  assert.equal(pub.channel, 'chat');
  assert.match(pub.message, /publish chat: no answer within 300 ms/);
  assert.ok(elapsed >= 290 && elapsed < 2_000, `rejected after ${elapsed} ms`);
  // The frames did reach the server, and the subscribe was undone; the connection stays up.
  await waitFor('the unsubscribe', () => s.connections[0].received.length === 4);
  assert.deepEqual(s.connections[0].received.map((f) => f.type), ['publish', 'subscribe', 'ping', 'unsubscribe']);
  assert.equal(client.status.state, 'connected');
});

test('requests: a timed-out subscribe is undone with an unsubscribe, and a late ack is ignored', async () => {
  let socket;
  const s = await serve((sock) => { socket = sock; sendJson(sock, WELCOME); });
  const { client, events } = open(s.url, { requestTimeoutMs: 200, heartbeat: false });
  await waitFor('connected', () => client.status.state === 'connected');
  const e = await rejection(client.subscribe('room:slow', () => {}));
  assert.ok(e instanceof TimeoutError);
  await waitFor('the unsubscribe', () => s.connections[0].received.length === 2);
  const [subscribe, unsubscribe] = s.connections[0].received;
  assert.deepEqual(subscribe, { type: 'subscribe', id: subscribe.id, channel: 'room:slow' });
  assert.equal(unsubscribe.type, 'unsubscribe');
  assert.equal(unsubscribe.channel, 'room:slow');
  sendJson(socket, { type: 'ack', id: subscribe.id });
  sendJson(socket, { type: 'message', channel: 'room:slow', seq: 1, message: chat('late') });
  await sleep(50);
  assert.deepEqual(events.errors, []);
});

test('requests: a drop while in flight rejects publish/send/ping with ConnectionClosedError (not re-sent)', async () => {
  const s = await serve(silent);
  const { client } = open(s.url, { requestTimeoutMs: 5_000, heartbeat: false, reconnect: { initialDelayMs: 50 } });
  await waitFor('connected', () => client.status.state === 'connected');
  const pending = [client.publish('chat', chat('x')), client.send(chat('y')), client.ping()].map(rejection);
  await waitFor('frames at the server', () => s.connections[0].received.length === 3);
  s.connections[0].socket.terminate();
  for (const e of await Promise.all(pending)) {
    assert.ok(e instanceof ConnectionClosedError, String(e));
    assert.equal(e.code, 'connection_closed');
  }
  await waitFor('reconnected', () => s.connections.length === 2 && client.status.state === 'connected');
  await sleep(50);
  assert.deepEqual(s.connections[1].received, [], 'the second connection got no repeated request');
});

test('requests: requests made while disconnected wait for the connection, bounded by the timeout', async () => {
  let allow = false;
  // Refuses (closes at once) until `allow`, then answers every request.
  const s = await serve((sock) => {
    if (!allow) { sock.close(1011, 'not yet'); return; }
    sendJson(sock, WELCOME);
    sock.on('message', (data) => {
      const f = JSON.parse(String(data));
      sendJson(sock, f.type === 'ping' ? { type: 'pong', id: f.id } : { type: 'ack', id: f.id, seq: 9 });
    });
  });
  const { client, events } = open(s.url, { requestTimeoutMs: 400, heartbeat: false, reconnect: { initialDelayMs: 20, maxDelayMs: 40 } });
  await waitFor('a refused attempt', () => events.states().includes('waiting'));
  const timedOut = rejection(client.ping());
  assert.ok((await timedOut) instanceof TimeoutError);

  const publish = client.publish('chat', chat('queued'));
  allow = true;
  assert.deepEqual(await publish, { seq: 9 });
  const conn = s.connections.at(-1);
  assert.deepEqual(conn.received.map((f) => f.type), ['publish'], 'the timed-out ping was never sent');
});

test('requests: close() rejects pending requests and subscribes, and later calls, with ConnectionClosedError', async () => {
  const s = await serve(silent);
  const { client, events } = open(s.url, { heartbeat: false });
  await waitFor('connected', () => client.status.state === 'connected');
  const pending = [client.publish('chat', chat('x')), client.subscribe('chat', () => {}), client.ping()].map(rejection);
  await waitFor('frames at the server', () => s.connections[0].received.length === 3);
  client.close();
  for (const e of await Promise.all(pending)) assert.ok(e instanceof ConnectionClosedError, String(e));
  assert.deepEqual(client.status, { state: 'closed', code: 1000, reason: 'closed by the client' });
  assert.ok((await rejection(client.ping())) instanceof ConnectionClosedError);
  assert.ok((await rejection(client.subscribe('chat', () => {}))) instanceof ConnectionClosedError);
  client.close(); // idempotent
  assert.deepEqual(events.states(), ['connecting', 'connected', 'closed']);
});

test('requests: a first frame other than the welcome is a protocol error; the client retries', async () => {
  const s = await serve((sock, received, index) => {
    if (index === 0) sendJson(sock, { type: 'ack', id: 1 });
    else sendJson(sock, WELCOME);
  });
  const { client, events } = open(s.url, { heartbeat: false, reconnect: { initialDelayMs: 20 } });
  await waitFor('connected', () => client.status.state === 'connected');
  assert.deepEqual(events.states(), ['connecting', 'waiting', 'connecting', 'connected']);
  assert.equal(events.errors.length, 1);
  assert.ok(events.errors[0] instanceof ProtocolError);
  assert.match(events.errors[0].message, /first frame must be the welcome, got a "ack" frame/);
  assert.equal(events.status[1].code, 4001);
  assert.equal(events.status[1].attempt, 2, 'the attempt had not connected, so the count goes on');
});

test('requests: no welcome within connectTimeoutMs ends the attempt (code 4000)', async () => {
  const s = await serve(() => {});
  const { client, events } = open(s.url, { connectTimeoutMs: 200, reconnect: { initialDelayMs: 10_000 } });
  await waitFor('waiting', () => client.status.state === 'waiting');
  assert.equal(events.status[1].code, 4000);
  assert.match(events.status[1].reason, /connect timeout: no welcome within 200 ms/);
});

test('requests: malformed frames and error frames without an id are "error" events; the session goes on', async () => {
  const s = await serve((sock) => {
    sendJson(sock, WELCOME);
    sock.send('{"type":"message","channel":"chat"}');
    sendJson(sock, { type: 'error', code: 'bad_json', message: 'frame is not valid JSON' });
    sendJson(sock, { type: 'shiny-new-frame' });
    sock.on('message', (data) => sendJson(sock, { type: 'pong', id: JSON.parse(String(data)).id }));
  });
  const { client, events } = open(s.url, { heartbeat: false });
  await waitFor('connected', () => client.status.state === 'connected');
  await client.ping();
  assert.deepEqual(events.errors.map((e) => [e.name, e.code]), [
    ['ProtocolError', 'protocol_error'],
    ['ServerError', 'bad_json'],
  ]);
  assert.match(events.errors[0].message, /message frame: "seq" must be present/);
});

test('requests: a server of another protocol version ends the client (closed, protocol_error)', async () => {
  const s = await serve((sock) => sendJson(sock, { ...WELCOME, protocol: 2 }));
  const { client, events } = open(s.url, { heartbeat: false });
  await waitFor('closed', () => client.status.state === 'closed');
  assert.deepEqual(events.states(), ['connecting', 'closed']);
  assert.deepEqual([client.status.code, client.status.reason], [4001, 'unsupported protocol version 2']);
  assert.deepEqual(events.errors.map((e) => e.code), ['protocol_error']);
});

test('requests: a status listener that throws is an error event; the client goes on', async () => {
  const s = await serve((sock) => {
    sendJson(sock, WELCOME);
    sock.on('message', (data) => sendJson(sock, { type: 'pong', id: JSON.parse(String(data)).id }));
  });
  const { client, events } = open(s.url, { heartbeat: false });
  client.on('status', (st) => { if (st.state === 'connected') throw new Error('listener bug'); });
  await waitFor('connected', () => client.status.state === 'connected');
  await client.ping();
  assert.deepEqual(events.errors.map((e) => [e.code, e.cause.message]), [['handler_failed', 'listener bug']]);
});
