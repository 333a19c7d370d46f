// End-to-end test of the wire protocol (docs/protocol.md) with a client that is not ours: the `ws` package.
//
//   cd tests/e2e && npm ci && SWITCHBOARD_BIN=/path/to/switchboard node --test
//
// It starts `$SWITCHBOARD_BIN --port 0 --threads 2` (the demo server, with the typed channels of
// demo/channels.yaml: `chat`, carrying ChatMessage, which clients may publish to, and `notifications`, which they
// may not), drives a whole session through it, and stops it with SIGTERM.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client, isChannelMessage, isReplyTo, isType, where } from './client.mjs';
import { getJson, httpGet, pollUntil, startServer } from './server.mjs';

const NOTHING_ARRIVES_MS = 300;

function assertWelcome(frame, who) {
  assert.equal(frame.type, 'welcome', `${who}: the first frame must be welcome, got ${JSON.stringify(frame)}`);
  assert.equal(typeof frame.session, 'string', `${who}: welcome.session must be a string: ${JSON.stringify(frame)}`);
  assert.match(frame.session, /^\d+$/, `${who}: welcome.session must be a decimal string`);
  assert.equal(frame.protocol, 1, `${who}: welcome.protocol`);
  assert.equal(typeof frame.server, 'string', `${who}: welcome.server must be a string`);
  assert.ok(frame.server.startsWith('switchboard/'), `${who}: welcome.server ${JSON.stringify(frame.server)}`);
  assert.equal(typeof frame.heartbeatMs, 'number', `${who}: welcome.heartbeatMs must be a number`);
  assert.ok(frame.heartbeatMs > 0, `${who}: welcome.heartbeatMs must be positive`);
  assert.equal(typeof frame.limits, 'object', `${who}: welcome.limits must be an object`);
  assert.notEqual(frame.limits, null, `${who}: welcome.limits must be an object`);
  assert.equal(typeof frame.limits.maxMessageBytes, 'number', `${who}: welcome.limits.maxMessageBytes must be a number`);
  assert.ok(frame.limits.maxMessageBytes > 0, `${who}: welcome.limits.maxMessageBytes must be positive`);
}

function assertChannelMessage(frame, channel, seq, message, who) {
  assert.equal(frame.type, 'message', who);
  assert.equal(frame.channel, channel, `${who}: channel of ${JSON.stringify(frame)}`);
  assert.equal(frame.seq, seq, `${who}: seq of ${JSON.stringify(frame)}`);
  assert.deepEqual(frame.message, message, `${who}: message of ${JSON.stringify(frame)}`);
}

function assertError(frame, code, id, who) {
  assert.equal(frame.type, 'error', `${who}: expected an error frame, got ${JSON.stringify(frame)}`);
  assert.equal(frame.code, code, `${who}: error code of ${JSON.stringify(frame)}`);
  if (id === undefined) assert.ok(!('id' in frame), `${who}: the error must have no id: ${JSON.stringify(frame)}`);
  else assert.equal(frame.id, id, `${who}: error id of ${JSON.stringify(frame)}`);
  assert.equal(typeof frame.message, 'string', `${who}: error message must be a string: ${JSON.stringify(frame)}`);
  assert.ok(frame.message.length > 0, `${who}: error message must not be empty`);
}

// Opens a session and takes its welcome frame, which must be the very first frame.
async function join(server, user, clients) {
  const client = await Client.connect(server, user);
  clients.push(client);
  const welcome = await client.q.next();
  assertWelcome(welcome, client.label);
  assert.equal(client.q.arrival(welcome), 0, `${client.label}: welcome must be the first frame`);
  return { client, welcome };
}

async function closeCleanly(client, timeoutMs = 5_000) {
  client.ws.close(1000);
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  const closed = await Promise.race([client.closed, timeout]).finally(() => clearTimeout(timer));
  assert.ok(closed, `${client.label}: no close frame or connection end within ${timeoutMs} ms of sending close 1000`);
  assert.equal(closed.code, 1000, `${client.label}: the server must answer a close 1000 with close 1000 (got ${closed.code} ${JSON.stringify(closed.reason)})`);
}

const idle = (stats) => stats && stats.sessions?.length === 0 && stats.channels?.length === 0;

// /stats is polled for up to 3 s: sessions are removed on their own event loops after the socket closed.
async function assertServerIdle(server) {
  const stats = await pollUntil(() => getJson(`${server.httpBase}/stats`), idle, { timeoutMs: 3_000 });
  assert.ok(Array.isArray(stats.sessions), `/stats.sessions must be an array: ${JSON.stringify(stats)}`);
  assert.ok(Array.isArray(stats.channels), `/stats.channels must be an array: ${JSON.stringify(stats)}`);
  assert.deepEqual(stats.sessions, [], `no session may remain: ${JSON.stringify(stats)}`);
  assert.deepEqual(stats.channels, [], `no channel may remain: ${JSON.stringify(stats)}`);
  assert.equal(stats.subscriptions, 0, `/stats.subscriptions: ${JSON.stringify(stats)}`);
  assert.equal(stats.groupMemberships, 0, `/stats.groupMemberships: ${JSON.stringify(stats)}`);
  assert.equal(typeof stats.sessionsOpened, 'number', `/stats.sessionsOpened: ${JSON.stringify(stats)}`);
  assert.ok(stats.sessionsOpened > 0, `/stats.sessionsOpened: ${JSON.stringify(stats)}`);
  assert.equal(stats.sessionsClosed, stats.sessionsOpened, `every opened session was closed: ${JSON.stringify(stats)}`);
  return stats;
}

function assertNoViolations(clients) {
  for (const c of clients) {
    assert.deepEqual(c.q.violations, [], `${c.label}: every server frame must be a text frame with a JSON object with a string type`);
  }
}

async function dataFlow(server) {
  const clients = [];
  try {
    // --- two sessions: welcome first ------------------------------------------------------------------------
    const { client: alice, welcome: welcomeA } = await join(server, 'alice', clients);
    const { client: bob, welcome: welcomeB } = await join(server, 'bob', clients);
    assert.notEqual(welcomeA.session, welcomeB.session, 'session ids must be unique');

    // --- subscribe --------------------------------------------------------------------------------------------
    const subA = await alice.expectAck({ type: 'subscribe', id: 1, channel: 'chat' });
    assert.equal(subA.id, 1);
    const subB = await bob.expectAck({ type: 'subscribe', id: 2, channel: 'chat' });
    assert.equal(subB.id, 2);

    // /stats sees both sessions with their users and the channel with two subscribers.
    const stats = await pollUntil(
      () => getJson(`${server.httpBase}/stats`),
      (s) => s?.channels?.some((c) => c.name === 'chat' && c.subscribers === 2),
    );
    const chat = stats.channels.find((c) => c.name === 'chat');
    assert.ok(chat, `/stats must list channel chat: ${JSON.stringify(stats)}`);
    assert.equal(chat.subscribers, 2, `/stats chat subscribers: ${JSON.stringify(stats)}`);
    assert.equal(chat.lastSeq, 0, `/stats chat lastSeq before any publish: ${JSON.stringify(stats)}`);
    for (const [welcome, user] of [[welcomeA, 'alice'], [welcomeB, 'bob']]) {
      const s = stats.sessions.find((x) => x.id === welcome.session);
      assert.ok(s, `/stats must list session ${welcome.session} (${user}): ${JSON.stringify(stats)}`);
      assert.equal(s.user, user, `/stats user of session ${welcome.session}`);
      assert.deepEqual(s.channels, ['chat'], `/stats channels of ${user}`);
    }

    // --- publish: every subscriber gets the message, the publisher's message comes before its ack ------------
    const hi = { className: 'ChatMessage', data: { text: 'hi', sender: 'alice' } };
    const pub1 = await alice.request({ type: 'publish', id: 3, channel: 'chat', message: hi });
    assert.deepEqual({ type: pub1.type, id: pub1.id, seq: pub1.seq }, { type: 'ack', id: 3, seq: 1 }, `publish reply ${JSON.stringify(pub1)}`);
    const m1a = await alice.q.next(isChannelMessage('chat'));
    assertChannelMessage(m1a, 'chat', 1, hi, 'alice');
    assert.ok(
      alice.q.arrival(m1a) < alice.q.arrival(pub1),
      'the publisher must receive its own message frame before the ack of its publish',
    );
    assertChannelMessage(await bob.q.next(isChannelMessage('chat')), 'chat', 1, hi, 'bob');

    const second = { className: 'ChatMessage', data: { text: 'second', sender: 'alice', n: [1, 2.5, null, true] } };
    const pub2 = await alice.request({ type: 'publish', id: 4, channel: 'chat', message: second });
    assert.deepEqual({ type: pub2.type, id: pub2.id, seq: pub2.seq }, { type: 'ack', id: 4, seq: 2 }, `publish reply ${JSON.stringify(pub2)}`);
    const m2a = await alice.q.next(isChannelMessage('chat'));
    assertChannelMessage(m2a, 'chat', 2, second, 'alice');
    assert.ok(alice.q.arrival(m2a) < alice.q.arrival(pub2), 'message before ack (second publish)');
    assertChannelMessage(await bob.q.next(isChannelMessage('chat')), 'chat', 2, second, 'bob');

    // --- send: acknowledged after on_message ran (what the demo does with it is not asserted) ----------------
    const sendAck = await alice.expectAck({ type: 'send', id: 5, message: { className: 'Typing', data: { on: true } } });
    assert.equal(sendAck.id, 5);

    // --- application ping/pong --------------------------------------------------------------------------------
    alice.send({ type: 'ping', id: 6 });
    const pong = await alice.q.next(isType('pong'));
    assert.equal(pong.id, 6, `pong ${JSON.stringify(pong)}`);
    bob.send({ type: 'ping' });
    const pongNoId = await bob.q.next(isType('pong'));
    assert.ok(!('id' in pongNoId), `a ping without id gets a pong without id: ${JSON.stringify(pongNoId)}`);

    // --- unsubscribe: bob no longer receives chat, alice still does --------------------------------------------
    const unsub = await bob.expectAck({ type: 'unsubscribe', id: 7, channel: 'chat' });
    assert.equal(unsub.id, 7);
    const third = { className: 'ChatMessage', data: { text: 'bob left', sender: 'alice' } };
    const pub3 = await alice.request({ type: 'publish', id: 8, channel: 'chat', message: third });
    assert.deepEqual({ type: pub3.type, id: pub3.id, seq: pub3.seq }, { type: 'ack', id: 8, seq: 3 }, `publish reply ${JSON.stringify(pub3)}`);
    assertChannelMessage(await alice.q.next(isChannelMessage('chat')), 'chat', 3, third, 'alice');
    await bob.q.expectNone(isChannelMessage('chat'), NOTHING_ARRIVES_MS);
    await bob.ping();

    // --- frames that are not valid requests: an error frame each, and the session keeps working -----------------
    const bad = [
      { send: '{not json', code: 'bad_json', id: undefined },
      { send: '[1,2]', code: 'not_object', id: undefined },
      { send: '{"type":"nope","id":9}', code: 'unknown_type', id: 9 },
      { send: '{"type":"subscribe","id":10}', code: 'missing_field', id: 10, names: 'channel' },
      { send: '{"type":"subscribe","id":11,"channel":"bad channel!"}', code: 'invalid_channel', id: 11 },
      { send: Buffer.from([0x7b, 0x7d, 0x00, 0xff]), binary: true, code: 'binary_unsupported', id: undefined },
    ];
    for (const b of bad) {
      const what = b.binary ? 'a binary frame' : JSON.stringify(b.send);
      alice.sendRaw(b.send, { binary: Boolean(b.binary) });
      const err = await alice.q.next(where(`error frame answering ${what}`, (f) => f.type === 'error'));
      assertError(err, b.code, b.id, `alice after ${what}`);
      if (b.names) assert.match(err.message, new RegExp(b.names), `the ${b.code} message must name the field`);
      await alice.ping(); // still alive
    }
    // Errors of well-formed requests that the session state refuses.
    assertError(await alice.request({ type: 'subscribe', id: 12, channel: 'chat' }), 'already_subscribed', 12, 'alice');
    assertError(await bob.request({ type: 'unsubscribe', id: 13, channel: 'chat' }), 'not_subscribed', 13, 'bob');
    await alice.ping();
    await bob.ping();

    // --- disconnect: bob drops the TCP connection, alice closes cleanly ------------------------------------
    bob.ws.terminate();
    await bob.closed;
    await closeCleanly(alice);

    assertNoViolations(clients);
    for (const c of clients) assert.deepEqual(c.errors, [], `${c.label}: no WebSocket error`);

    // --- the server forgot both sessions and the channel -----------------------------------------------------
    await assertServerIdle(server);
    const health = await httpGet(`${server.httpBase}/healthz`);
    assert.equal(health.status, 200, `/healthz status (body ${JSON.stringify(health.body)})`);
    assert.match(String(health.headers['content-type']), /^text\/plain/, '/healthz content type');
  } finally {
    for (const c of clients) c.abort();
  }
}

// Lets the sessions of an earlier (possibly failed) test go away first, so one failure does not cascade.
async function settle(server) {
  await pollUntil(() => getJson(`${server.httpBase}/stats`).catch(() => null), idle, { timeoutMs: 3_000 });
}

async function notificationsForbidden(server) {
  const clients = [];
  await settle(server);
  try {
    const { client: carol } = await join(server, 'carol', clients);
    const notice = { className: 'Notice', data: { text: 'clients may not publish here' } };
    assertError(
      await carol.request({ type: 'publish', id: 42, channel: 'notifications', message: notice }),
      'forbidden',
      42,
      'carol publishing to notifications',
    );
    await carol.ping();
    // chat is open to clients (for ChatMessage, demo/channels.yaml): a publish without subscribers is
    // acknowledged with seq 0 (and reaches nobody).
    const line = { className: 'ChatMessage', data: { text: 'anyone?', sender: 'carol' } };
    const ack = await carol.request({ type: 'publish', id: 43, channel: 'chat', message: line });
    assert.deepEqual({ type: ack.type, id: ack.id, seq: ack.seq }, { type: 'ack', id: 43, seq: 0 }, `publish reply ${JSON.stringify(ack)}`);
    await closeCleanly(carol);
    assertNoViolations(clients);
    await assertServerIdle(server);
  } finally {
    for (const c of clients) c.abort();
  }
}

async function joinNotice(server) {
  const clients = [];
  await settle(server);
  try {
    const { client: dave } = await join(server, 'dave', clients);
    await dave.expectAck({ type: 'subscribe', id: 1, channel: 'notifications' });
    const { client: erin } = await join(server, 'erin', clients);
    await erin.expectAck({ type: 'subscribe', id: 1, channel: 'chat' }); // a join, whichever the demo announces
    // The demo announces joins on `notifications`; only the frame's shape is checked, not its content.
    const notice = await dave.q.next(isChannelMessage('notifications'));
    assert.equal(typeof notice.seq, 'number', `notice seq: ${JSON.stringify(notice)}`);
    assert.ok(Number.isInteger(notice.seq) && notice.seq >= 1, `notice seq: ${JSON.stringify(notice)}`);
    assert.equal(typeof notice.message?.className, 'string', `notice message: ${JSON.stringify(notice)}`);
    assert.ok(notice.message.className.length > 0, `notice className: ${JSON.stringify(notice)}`);
    assert.ok('data' in notice.message, `notice message has data: ${JSON.stringify(notice)}`);
    for (const c of clients) await closeCleanly(c);
    assertNoViolations(clients);
    await assertServerIdle(server);
  } finally {
    for (const c of clients) c.abort();
  }
}

test('switchboard end to end, with the ws client', { timeout: 120_000 }, async (t) => {
  const server = await startServer();
  t.diagnostic(`server ${server.bin} listening on ${server.httpBase} (pid ${server.proc.pid})`);
  try {
    await t.test('data flow of docs/protocol.md', { timeout: 30_000 }, () => dataFlow(server));
    await t.test('publishing to notifications is forbidden', { timeout: 15_000 }, () => notificationsForbidden(server));
    await t.test('a join is announced on notifications', { timeout: 15_000 }, () => joinNotice(server));
    await t.test('SIGTERM stops the server', { timeout: 15_000 }, async (st) => {
      assert.equal(server.exitInfo, null, `the server died during the tests: ${server.describeExit()}\n${server.stderr.tail()}`);
      const result = await server.stop();
      st.diagnostic(`server ${server.describeExit()}${result.sigkilled ? ' (needed SIGKILL after 5 s of SIGTERM)' : ''}`);
      assert.ok(result.exited, 'the server must exit after SIGTERM (SIGKILL after 5 s)');
      const report = server.sanitizerReport();
      assert.equal(report, null, `sanitizer report in the server's stderr:\n${server.stderr.tail()}`);
    });
  } finally {
    await server.stop(); // no-op unless a subtest threw before the SIGTERM test
    const abnormal = server.exitInfo && server.exitInfo.code !== 0 && server.exitInfo.signal !== 'SIGTERM';
    if ((server.sanitizerReport() || abnormal) && server.stderr.text) {
      t.diagnostic(`server ${server.describeExit()}; its stderr ends with:\n${server.stderr.tail(4000)}`);
    }
  }
});
