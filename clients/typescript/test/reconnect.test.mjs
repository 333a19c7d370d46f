// Reconnecting: a real server killed (SIGKILL) and restarted on the same port; backoff delays as configured;
// resubscribe in one batch and its failures (scripted server); giving up; close().

import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { backoffDelay, RequestError } from '../dist/index.js';
import { fakeServer, sendJson, WELCOME } from './support/fake_server.mjs';
import { assertStatusOrder, chat, closeAll, open, rejection, sleep, startServer, waitFor } from './support/harness.mjs';

const servers = [];
afterEach(() => closeAll());
after(async () => {
  for (const s of servers) {
    await s.stop();
    assert.equal(s.sanitizerReport(), null, s.stderr.tail());
  }
});

async function start(port = 0) {
  const s = await startServer({ args: ['--port', String(port), '--threads', '2'] });
  servers.push(s);
  return s;
}

async function kill(s) {
  s.proc.kill('SIGKILL');
  await s.exited;
}

const backoff = { initialDelayMs: 40, maxDelayMs: 160, multiplier: 2, jitter: 0.5, random: () => 0.5 };

test('reconnect: server killed and restarted on the same port; statuses in order, resubscribed, messages flow', async () => {
  const first = await start();
  const { client, events } = open(first.wsUrl('/ws?user=ada'), { heartbeat: false, reconnect: backoff });
  const got = [];
  const chatSub = await client.subscribe('chat', (m, meta) => got.push(meta.seq));
  await client.subscribe('room:quiet', () => {});
  await client.publish('chat', chat('one'));
  await client.publish('chat', chat('two'));
  assert.equal(chatSub.lastSeq, 2);

  await kill(first);
  await waitFor('three failed attempts', () => events.status.filter((s) => s.state === 'waiting').length >= 4);
  // Published while disconnected: queued, sent after the re-subscribes.
  const queued = client.publish('chat', chat('queued'));
  const second = await start(first.port);
  await waitFor('connected again', () => client.status.state === 'connected' && events.resubscribed.length === 2);

  assertStatusOrder(events.status);
  const waits = events.status.filter((s) => s.state === 'waiting');
  assert.deepEqual(waits[0], { state: 'waiting', attempt: 1, delayMs: 30, code: 1006, reason: 'connection closed (1006)' });
  // Each failed attempt: the next attempt's number, the delay of backoff.ts for the r-th wait, within bounds.
  waits.forEach((w, i) => {
    assert.equal(w.attempt, i + 1);
    assert.equal(w.delayMs, backoffDelay(i + 1, backoff, backoff.random));
    assert.ok(w.delayMs >= 0 && w.delayMs <= backoff.maxDelayMs);
  });
  assert.deepEqual(waits.slice(0, 4).map((w) => w.delayMs), [30, 60, 120, 120]);
  const connecting = events.status.filter((s) => s.state === 'connecting').map((s) => s.attempt);
  assert.deepEqual(connecting, [1, ...waits.map((w) => w.attempt)]);

  assert.deepEqual(events.resubscribed, [
    { channel: 'chat', lastSeq: 2, recovered: false },
    { channel: 'room:quiet', lastSeq: 0, recovered: false },
  ]);
  // The restarted server numbers the channel from 1 again.
  assert.deepEqual(await queued, { seq: 1 });
  assert.deepEqual(await client.publish('chat', chat('after')), { seq: 2 });
  assert.deepEqual(got, [1, 2, 1, 2]);
  assert.equal(chatSub.lastSeq, 2);
  assert.deepEqual(events.errors, []);

  // A connection that reached "connected" resets the backoff: the next drop waits the first delay again.
  const before = events.status.length;
  await kill(second);
  await waitFor('waiting', () => events.status.length > before);
  assert.deepEqual(events.status[before], { state: 'waiting', attempt: 1, delayMs: 30, code: 1006, reason: 'connection closed (1006)' });

  // close() stops reconnecting for good.
  client.close();
  const count = events.status.length;
  await sleep(400);
  assert.equal(events.status.length, count);
  assert.equal(client.status.state, 'closed');
  assertStatusOrder(events.status);
});

test('reconnect: every channel is re-subscribed in one batch; a refused one is an error event and removed', async () => {
  const s = await fakeServer((socket, received, index) => {
    sendJson(socket, WELCOME);
    socket.on('message', () => {
      const last = received.at(-1);
      if (index === 0) {
        if (last.type === 'subscribe') sendJson(socket, { type: 'ack', id: last.id });
        if (last.type === 'subscribe' && last.channel === 'room:b') {
          sendJson(socket, { type: 'message', channel: 'room:a', seq: 5, message: chat('five') });
        }
        return;
      }
      // Second connection: answer only once both re-subscribes are in, i.e. they were not sent one by one.
      if (received.length !== 2) return;
      for (const f of received) {
        if (f.channel === 'room:a') sendJson(socket, { type: 'ack', id: f.id });
        else sendJson(socket, { type: 'error', id: f.id, code: 'forbidden', message: 'not any more' });
      }
      sendJson(socket, { type: 'message', channel: 'room:b', seq: 1, message: chat('ghost') });
      sendJson(socket, { type: 'message', channel: 'room:a', seq: 6, message: chat('six') });
    });
  });
  try {
    const { client, events } = open(s.url, { heartbeat: false, reconnect: backoff });
    const got = [];
    await client.subscribe('room:a', (m, meta) => got.push(`a${meta.seq}`));
    await client.subscribe('room:b', (m, meta) => got.push(`b${meta.seq}`));
    await waitFor('seq 5', () => got.length === 1);
    s.connections[0].socket.terminate();
    await waitFor('seq 6 after the reconnect', () => got.length === 2);
    assert.deepEqual(got, ['a5', 'a6']);
    assert.deepEqual(s.connections[1].received.map((f) => [f.type, f.channel]), [['subscribe', 'room:a'], ['subscribe', 'room:b']]);
    assert.deepEqual(events.resubscribed, [{ channel: 'room:a', lastSeq: 5, recovered: false }]);
    assert.equal(events.errors.length, 1);
    const [e] = events.errors;
    assert.ok(e instanceof RequestError);
    assert.deepEqual([e.code, e.channel, e.message], ['forbidden', 'room:b', 'not any more']);
    const gone = await rejection(client.unsubscribe('room:b'));
    assert.equal(gone.code, 'not_subscribed');
  } finally {
    await s.close();
  }
});

test('reconnect: maxAttempts consecutive failures end in "closed"', async () => {
  const s = await fakeServer(() => {});
  const url = s.url;
  await s.close(); // nothing listens on the port any more
  const { client, events } = open(url, { reconnect: { ...backoff, maxAttempts: 3 } });
  await waitFor('closed', () => client.status.state === 'closed');
  assert.deepEqual(events.status.map((x) => [x.state, x.attempt]), [
    ['connecting', 1], ['waiting', 2], ['connecting', 2], ['waiting', 3], ['connecting', 3], ['closed', undefined],
  ]);
  assert.match(client.status.reason, /gave up after 3 attempts/);
  assert.equal((await rejection(client.ping())).code, 'connection_closed');
});

test('reconnect: with reconnect: false the first drop is final', async () => {
  const s = await fakeServer((socket) => sendJson(socket, WELCOME));
  try {
    const { client, events } = open(s.url, { heartbeat: false, reconnect: false });
    await waitFor('connected', () => client.status.state === 'connected');
    s.connections[0].socket.terminate();
    await waitFor('closed', () => client.status.state === 'closed');
    assert.deepEqual(events.states(), ['connecting', 'connected', 'closed']);
    assert.match(client.status.reason, /reconnect is off/);
  } finally {
    await s.close();
  }
});

test('reconnect: close() during the wait cancels the next attempt', async () => {
  const s = await fakeServer(() => {});
  await s.close();
  const { client, events } = open(s.url, { reconnect: { initialDelayMs: 200 } });
  await waitFor('waiting', () => client.status.state === 'waiting');
  client.close();
  await sleep(400);
  assert.deepEqual(events.states(), ['connecting', 'waiting', 'closed']);
});

test('reconnect: a subscribe whose connection dropped before the answer is sent again and resolves', async () => {
  const s = await fakeServer((socket, received, index) => {
    sendJson(socket, WELCOME);
    if (index === 0) return; // first connection: never answers
    socket.on('message', () => sendJson(socket, { type: 'ack', id: received.at(-1).id }));
  });
  try {
    const { client, events } = open(s.url, { heartbeat: false, reconnect: backoff });
    await waitFor('connected', () => client.status.state === 'connected');
    const sub = client.subscribe('room:retry', () => {});
    await waitFor('the first subscribe at the server', () => s.connections[0].received.length === 1);
    s.connections[0].socket.terminate();
    const subscription = await sub;
    assert.equal(subscription.channel, 'room:retry');
    assert.deepEqual(s.connections[1].received.map((f) => [f.type, f.channel]), [['subscribe', 'room:retry']]);
    // It was never acknowledged before, so this is its first subscribe, not a re-subscribe.
    assert.deepEqual(events.resubscribed, []);
    assert.deepEqual(events.errors, []);
  } finally {
    await s.close();
  }
});
