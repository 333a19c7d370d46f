// Shared pieces of the client's tests: a client on Node's ws, an event recorder, waiting for a condition, and
// the server helpers of tests/e2e (a real switchboard process, SWITCHBOARD_BIN).

import WebSocket from 'ws';
import { connect } from '../../dist/index.js';

export { startServer, sleep } from '../../../../tests/e2e/server.mjs';

// Clients made by a test, closed by closeAll() (call it in after/afterEach) so that no timer outlives the test.
const clients = new Set();

// connect() with ws's WebSocket, short timeouts, and a recorder of every event.
export function open(url, options = {}) {
  const client = connect(url, { WebSocket, ...options });
  clients.add(client);
  return { client, events: record(client) };
}

export function closeAll() {
  for (const c of clients) c.close();
  clients.clear();
}

// Records every event of `client`, in order, in `log` ([name, ...args]) and per event.
export function record(client) {
  const r = { log: [], status: [], errors: [], pushes: [], resubscribed: [], gaps: [] };
  client.on('status', (s) => { r.log.push(['status', s]); r.status.push(s); });
  client.on('error', (e) => { r.log.push(['error', e]); r.errors.push(e); });
  client.on('push', (v, f) => { r.log.push(['push', v, f]); r.pushes.push({ value: v, frame: f }); });
  client.on('resubscribed', (i) => { r.log.push(['resubscribed', i]); r.resubscribed.push(i); });
  client.on('gap', (g) => { r.log.push(['gap', g]); r.gaps.push(g); });
  r.states = () => r.status.map((s) => s.state);
  return r;
}

// Resolves with probe()'s first truthy value; rejects with `what` and the last value after `timeoutMs`.
export async function waitFor(what, probe, { timeoutMs = 5_000, intervalMs = 5 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// A ChatMessage envelope as the demo server accepts it.
export function chat(text, sender = 'ada') {
  return { className: 'ChatMessage', data: { text, sender } };
}

// Resolves with the rejection of `promise` (fails if it resolves).
export async function rejection(promise) {
  try {
    const value = await promise;
    throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (error) {
    return error;
  }
}

// The status transitions the client promises (src/status.ts); throws on the first other one.
const NEXT = { connecting: ['connected', 'waiting', 'closed'], connected: ['waiting', 'closed'], waiting: ['connecting', 'closed'], closed: [] };
export function assertStatusOrder(statuses) {
  if (statuses.length > 0 && statuses[0].state !== 'connecting') throw new Error(`first status is ${statuses[0].state}`);
  for (let i = 1; i < statuses.length; i++) {
    const [from, to] = [statuses[i - 1].state, statuses[i].state];
    if (!NEXT[from].includes(to)) {
      throw new Error(`status ${i}: ${from} -> ${to} is not allowed; all: ${statuses.map((s) => s.state).join(' ')}`);
    }
  }
}
