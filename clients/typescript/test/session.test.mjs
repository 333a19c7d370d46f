// A client against a real switchboard process: the welcome, channels, requests and their error codes.

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { RequestError } from '../dist/index.js';
import { chat, closeAll, open, rejection, startServer, waitFor } from './support/harness.mjs';

let server;
before(async () => { server = await startServer(); });
afterEach(() => closeAll());
after(async () => {
  const stopped = await server.stop();
  assert.equal(server.sanitizerReport(), null, server.stderr.tail());
  assert.equal(stopped.sigkilled, false, 'the server did not stop on SIGTERM');
});

const url = (user) => server.wsUrl(`/ws?user=${user}`);

test('session: connecting, then connected after the welcome, with the session id and limits', async () => {
  const { client, events } = open(url('ada'));
  assert.deepEqual(client.status, { state: 'connecting', attempt: 1 });
  await waitFor('connected', () => client.status.state === 'connected');
  assert.deepEqual(events.states(), ['connecting', 'connected']);
  assert.deepEqual(events.status[0], { state: 'connecting', attempt: 1 });
  const { session, welcome } = client.status;
  assert.match(session, /^\d+$/);
  assert.equal(welcome.session, session);
  assert.equal(welcome.protocol, 1);
  assert.match(welcome.server, /^switchboard\//);
  assert.ok(welcome.limits.maxMessageBytes > 0);
  await client.ping();
  assert.deepEqual(events.errors, []);
});

test('session: subscribe, publish, ack with seq; the publisher receives its own message first', async () => {
  const { client: ada } = open(url('ada'));
  const { client: bob } = open(url('bob'));
  const adaGot = [];
  const bobGot = [];
  const subA = await ada.subscribe('room:t1', (value, meta) => adaGot.push({ value, meta }));
  await bob.subscribe('room:t1', (value, meta) => bobGot.push({ value, meta }));
  assert.equal(subA.channel, 'room:t1');
  assert.equal(subA.lastSeq, 0);

  const first = await ada.publish('room:t1', chat('hello'));
  assert.deepEqual(first, { seq: 1 });
  // The message frame precedes the ack on the wire: by the time publish resolved, the handler ran.
  assert.deepEqual(adaGot, [{ value: chat('hello'), meta: { channel: 'room:t1', seq: 1 } }]);
  assert.equal(subA.lastSeq, 1);

  assert.deepEqual(await bob.publish('room:t1', chat('hi ada', 'bob')), { seq: 2 });
  await waitFor('bob sees both', () => bobGot.length === 2);
  assert.deepEqual(bobGot.map((m) => [m.meta.seq, m.value.data.text]), [[1, 'hello'], [2, 'hi ada']]);
  await waitFor('ada sees both', () => adaGot.length === 2);
  assert.equal(subA.lastSeq, 2);
});

test('session: a publish to a channel nobody follows is acknowledged with seq 0', async () => {
  const { client } = open(url('ada'));
  assert.deepEqual(await client.publish('room:empty', chat('anyone?')), { seq: 0 });
});

test('session: server error codes reject as RequestError with the code and the server message', async () => {
  const { client, events } = open(url('ada'));
  const bad = await rejection(client.subscribe('bad channel!', () => {}));
  assert.ok(bad instanceof RequestError);
  assert.equal(bad.code, 'invalid_channel');
  assert.equal(bad.channel, 'bad channel!');
  assert.match(bad.message, /outside A-Z/);

  const forbidden = await rejection(client.publish('notifications', { className: 'Notice', data: { text: 'x' } }));
  assert.ok(forbidden instanceof RequestError);
  assert.equal(forbidden.code, 'forbidden');

  const invalid = await rejection(client.publish('chat', { className: 'ChatMessage', data: { text: 5, sender: 'ada' } }));
  assert.ok(invalid instanceof RequestError);
  assert.equal(invalid.code, 'invalid_message');
  assert.match(invalid.message, /field "text"/);

  const undeclared = await rejection(client.subscribe('elsewhere', () => {}));
  assert.equal(undeclared.code, 'undeclared_channel');
  // Request errors answer requests: none of them is an "error" event.
  assert.deepEqual(events.errors, []);
  // The session went on.
  await client.ping();
});

test('session: send is acknowledged and the demo echoes it as a push', async () => {
  const { client, events } = open(url('ada'));
  const msg = { className: 'Typing', data: { on: true } };
  await client.send(msg);
  await waitFor('push', () => events.pushes.length === 1);
  assert.deepEqual(events.pushes[0].value, msg);
  assert.equal(events.pushes[0].frame.type, 'push');
});

test('session: subscribing twice adds the handler locally; the channel goes with its last handler', async () => {
  const { client } = open(url('ada'));
  const got1 = [];
  const got2 = [];
  const sub1 = await client.subscribe('room:twice', (v, m) => got1.push(m.seq));
  const sub2 = await client.subscribe('room:twice', (v, m) => got2.push(m.seq));
  await client.publish('room:twice', chat('one'));
  assert.deepEqual([got1, got2], [[1], [1]]);

  await sub1.unsubscribe();
  await client.publish('room:twice', chat('two'));
  assert.deepEqual([got1, got2], [[1], [1, 2]]);

  // Last handler gone: the server no longer counts this session, so a publish reaches nobody (seq 0).
  await sub2.unsubscribe();
  assert.deepEqual(await client.publish('room:twice', chat('three')), { seq: 0 });
  assert.deepEqual([got1, got2], [[1], [1, 2]]);

  // The same function twice: two independent subscriptions, each called once per message.
  const same = [];
  const handler = (v, m) => same.push(m.seq);
  const s1 = await client.subscribe('room:twice', handler);
  await client.subscribe('room:twice', handler);
  await client.publish('room:twice', chat('four'));
  await s1.unsubscribe();
  await client.publish('room:twice', chat('five'));
  assert.deepEqual(same, [1, 1, 2]);
  await client.unsubscribe('room:twice');

  const notSubscribed = await rejection(client.unsubscribe('room:twice'));
  assert.ok(notSubscribed instanceof RequestError);
  assert.equal(notSubscribed.code, 'not_subscribed');
});

test('session: client.unsubscribe(channel) drops every handler of it', async () => {
  const { client } = open(url('ada'));
  const got = [];
  await client.subscribe('room:all', () => got.push('a'));
  await client.subscribe('room:all', () => got.push('b'));
  await client.unsubscribe('room:all');
  assert.deepEqual(await client.publish('room:all', chat('x')), { seq: 0 });
  assert.deepEqual(got, []);
});

test('session: a handler that throws is an "error" event; other handlers and later messages still run', async () => {
  const { client, events } = open(url('ada'));
  const got = [];
  await client.subscribe('room:throw', (v, m) => { if (m.seq === 1) throw new Error('handler bug'); got.push(m.seq); });
  await client.subscribe('room:throw', (v, m) => got.push(`second ${m.seq}`));
  await client.publish('room:throw', chat('one'));
  await client.publish('room:throw', chat('two'));
  assert.deepEqual(got, ['second 1', 2, 'second 2']);
  assert.equal(events.errors.length, 1);
  const [e] = events.errors;
  assert.equal(e.code, 'handler_failed');
  assert.equal(e.channel, 'room:throw');
  assert.equal(e.seq, 1);
  assert.equal(e.cause.message, 'handler bug');
});

test('session: requests made before the welcome wait for it and go out in call order', async () => {
  const { client } = open(url('ada'));
  const got = [];
  // All three are issued while the client is still connecting.
  const sub = client.subscribe('room:early', (v, m) => got.push(m.seq));
  const pub = client.publish('room:early', chat('early'));
  assert.equal(client.status.state, 'connecting');
  await sub;
  assert.deepEqual(await pub, { seq: 1 });
  assert.deepEqual(got, [1]);
});
