// The app-level heartbeat: pings keep a quiet connection up, and a connection that went silent without TCP
// noticing (a proxy that stops forwarding but keeps both sockets open) is closed (4000) and replaced.

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { tcpProxy } from './support/tcp_proxy.mjs';
import { assertStatusOrder, chat, closeAll, open, sleep, startServer, waitFor } from './support/harness.mjs';

let server;
let proxy;
before(async () => {
  server = await startServer();
  proxy = await tcpProxy(server.port);
});
afterEach(() => closeAll());
after(async () => {
  await proxy.close();
  await server.stop();
  assert.equal(server.sanitizerReport(), null, server.stderr.tail());
});

const heartbeat = { intervalMs: 150, timeoutMs: 150 };

test('heartbeat: a quiet but live connection stays up (pings answered)', async () => {
  const { client, events } = open(`ws://127.0.0.1:${proxy.port}/ws?user=ada`, { heartbeat });
  await waitFor('connected', () => client.status.state === 'connected');
  await sleep(1_000); // several intervals without any request
  assert.deepEqual(events.states(), ['connecting', 'connected']);
  await client.ping();
});

test('heartbeat: a connection that went silent is closed with 4000 and the client reconnects', async () => {
  const { client, events } = open(`ws://127.0.0.1:${proxy.port}/ws?user=ada`, {
    heartbeat, reconnect: { initialDelayMs: 20, random: () => 0 },
  });
  const got = [];
  await client.subscribe('room:hb', (m, meta) => got.push(meta.seq));
  await client.publish('room:hb', chat('before'));
  const session = client.status.session;

  proxy.freeze();
  const frozenAt = Date.now();
  await waitFor('waiting', () => client.status.state === 'waiting', { timeoutMs: 3_000 });
  const detectedMs = Date.now() - frozenAt;
  assert.deepEqual(client.status, {
    state: 'waiting', attempt: 1, delayMs: 20, code: 4000, reason: 'heartbeat timeout: no frame within 150 ms of a ping',
  });
  // Silence is noticed after at most intervalMs + timeoutMs (plus timer slack), not after TCP's minutes.
  assert.ok(detectedMs <= 150 + 150 + 250, `detected after ${detectedMs} ms`);

  await waitFor('connected again', () => client.status.state === 'connected' && events.resubscribed.length === 1);
  assert.notEqual(client.status.session, session);
  assert.deepEqual(events.resubscribed, [{ channel: 'room:hb', lastSeq: 1, recovered: false }]);
  // The old session still holds the channel on the server until its own heartbeat drops it, so seq goes on.
  const { seq } = await client.publish('room:hb', chat('after'));
  assert.deepEqual(got, [1, seq]);
  assertStatusOrder(events.status);
  assert.deepEqual(events.states(), ['connecting', 'connected', 'waiting', 'connecting', 'connected']);
});
