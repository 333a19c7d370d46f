// connect()'s argument checks: they throw at once instead of failing later inside the socket loop.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { connect } from '../dist/index.js';

test('options: a URL that is not ws:// or wss:// is a TypeError', () => {
  assert.throws(() => connect('http://127.0.0.1:8080/ws', { WebSocket }), TypeError);
  assert.throws(() => connect('127.0.0.1:8080', { WebSocket }), TypeError);
});

test('options: without a global WebSocket and none passed, connect() says what to pass',
  { skip: typeof globalThis.WebSocket === 'function' ? 'this Node has a global WebSocket' : false }, () => {
    assert.throws(() => connect('ws://127.0.0.1:1/ws'), { name: 'TypeError', message: /pass one \(e\.g\. ws's\) as options\.WebSocket/ });
  });

test('options: out-of-range timeouts, backoff and heartbeat are RangeErrors', () => {
  for (const bad of [
    { requestTimeoutMs: 0 }, { connectTimeoutMs: -5 }, { reconnect: { jitter: 2 } }, { reconnect: { maxAttempts: 0 } },
    { reconnect: { initialDelayMs: 500, maxDelayMs: 100 } }, { heartbeat: { intervalMs: 0 } }, { heartbeat: { timeoutMs: NaN } },
  ]) {
    assert.throws(() => connect('ws://127.0.0.1:1/ws', { WebSocket, ...bad }), RangeError, JSON.stringify(bad));
  }
});

test('options: a large initialDelayMs alone raises the default maxDelayMs with it', () => {
  let client;
  assert.doesNotThrow(() => { client = connect('ws://127.0.0.1:1/ws', { WebSocket, reconnect: { initialDelayMs: 20_000 } }); });
  client.close();
});
