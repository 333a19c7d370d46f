// A Switchboard client for the tests, built on the third-party `ws` package, with a frame queue so that tests
// wait for frames deterministically instead of sleeping.

import assert from 'node:assert/strict';
import WebSocket from 'ws';

export const FRAME_TIMEOUT_MS = 5_000; // generous: the server under test may be a sanitizer build

const describePredicate = (p) => (p.description ? p.description : String(p).replace(/\s+/g, ' ').slice(0, 200));

// Every frame the server sends to one socket, in arrival order. `next(predicate)` takes the earliest frame that
// matches (buffered or yet to come) and leaves the others queued, so unrelated frames (e.g. notices) never get in
// the way. `arrival(frame)` is the frame's position in the stream, for checking the order of two frames.
export class FrameQueue {
  #label;
  #buffer = []; // frames received and not yet taken
  #waiters = []; // {predicate, resolve, reject, timer}
  #arrival = new WeakMap();
  #count = 0;
  #closed = null;

  constructor(ws, label) {
    this.#label = label;
    this.violations = []; // frames that break "every frame is a text frame holding a JSON object with a string type"
    ws.on('message', (data, isBinary) => this.#receive(data, isBinary));
    ws.on('close', (code, reason) => {
      this.#closed = { code, reason: reason.toString() };
      for (const w of this.#waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(this.#closedError(w.predicate));
      }
    });
  }

  #receive(data, isBinary) {
    let frame;
    const text = isBinary ? null : data.toString('utf8');
    if (isBinary) {
      frame = { type: '<binary frame>', bytes: data.length };
    } else {
      try {
        frame = JSON.parse(text);
      } catch {
        frame = { type: '<not JSON>', text };
      }
      if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) frame = { type: '<not an object>', text };
      else if (typeof frame.type !== 'string') frame = { type: '<no string type>', text };
    }
    if (frame.type.startsWith('<')) this.violations.push(`${frame.type}: ${text ?? `${data.length} bytes`}`);
    this.#arrival.set(frame, this.#count++);

    const i = this.#waiters.findIndex((w) => w.predicate(frame));
    if (i >= 0) {
      const [w] = this.#waiters.splice(i, 1);
      clearTimeout(w.timer);
      w.resolve(frame);
    } else {
      this.#buffer.push(frame);
    }
  }

  #closedError(predicate) {
    return new Error(
      `${this.#label}: socket closed (code ${this.#closed.code}, reason ${JSON.stringify(this.#closed.reason)}) ` +
        `while waiting for a frame matching ${describePredicate(predicate)}; unclaimed frames: ${this.dump()}`,
    );
  }

  // The earliest frame matching `predicate` (any frame when omitted); rejects after `timeoutMs` or on close.
  next(predicate = () => true, timeoutMs = FRAME_TIMEOUT_MS) {
    const i = this.#buffer.findIndex((f) => predicate(f));
    if (i >= 0) return Promise.resolve(this.#buffer.splice(i, 1)[0]);
    if (this.#closed) return Promise.reject(this.#closedError(predicate));
    return new Promise((resolve, reject) => {
      const w = { predicate, resolve, reject };
      w.timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        reject(
          new Error(
            `${this.#label}: no frame matching ${describePredicate(predicate)} within ${timeoutMs} ms; ` +
              `unclaimed frames: ${this.dump()}`,
          ),
        );
      }, timeoutMs);
      this.#waiters.push(w);
    });
  }

  // The only wait with a fixed duration: asserts that no frame matching `predicate` arrives within `ms`.
  async expectNone(predicate, ms) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const hit = this.#buffer.find((f) => predicate(f));
    if (hit) {
      throw new assert.AssertionError({
        message: `${this.#label}: expected no frame matching ${describePredicate(predicate)} within ${ms} ms, got ${JSON.stringify(hit)}`,
      });
    }
  }

  arrival(frame) {
    return this.#arrival.get(frame);
  }

  dump() {
    return this.#buffer.length ? this.#buffer.map((f) => JSON.stringify(f)).join(' ') : '(none)';
  }
}

// Predicate builders with readable descriptions (used in timeout messages).
export function where(description, fn) {
  fn.description = description;
  return fn;
}
export const isType = (type) => where(`type == ${JSON.stringify(type)}`, (f) => f.type === type);
export const isChannelMessage = (channel) =>
  where(`message on ${JSON.stringify(channel)}`, (f) => f.type === 'message' && f.channel === channel);
export const isReplyTo = (id) =>
  where(`ack/error/pong with id ${id}`, (f) => f.id === id && ['ack', 'error', 'pong'].includes(f.type));

let clientCount = 0;

export class Client {
  // Opens ws://HOST:PORT/ws?user=USER (anonymous when user is null) and resolves once the upgrade succeeded.
  static async connect(server, user, { label = user ?? 'anonymous', ...wsOptions } = {}) {
    const query = user === null || user === undefined ? '' : `?user=${encodeURIComponent(user)}`;
    const ws = new WebSocket(server.wsUrl(`/ws${query}`), { handshakeTimeout: FRAME_TIMEOUT_MS, ...wsOptions });
    const client = new Client(ws, `${label}#${++clientCount}`);
    await new Promise((resolve, reject) => {
      const onError = (err) => reject(new Error(`${client.label}: WebSocket connection failed: ${err.message}`));
      ws.once('error', onError);
      ws.once('open', () => {
        ws.off('error', onError);
        resolve();
      });
    });
    return client;
  }

  constructor(ws, label) {
    this.ws = ws;
    this.label = label;
    this.q = new FrameQueue(ws, label);
    this.errors = [];
    this.nextRequestId = 100; // ids below 100 are left for ids a test spells out
    this.closeInfo = null;
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
      });
    });
    ws.on('error', (err) => this.errors.push(err)); // without a listener an error would crash the test process
  }

  newId() {
    return this.nextRequestId++;
  }

  send(frame) {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(data, options = {}) {
    this.ws.send(data, options);
  }

  // Sends `frame` (with a fresh id unless it has one) and resolves with the ack/error/pong carrying that id.
  async request(frame, timeoutMs = FRAME_TIMEOUT_MS) {
    const withId = 'id' in frame ? frame : { ...frame, id: this.newId() };
    this.send(withId);
    return this.q.next(isReplyTo(withId.id), timeoutMs);
  }

  // A request that must succeed: resolves with its ack.
  async expectAck(frame) {
    const reply = await this.request(frame);
    assert.equal(reply.type, 'ack', `${this.label}: expected an ack for ${JSON.stringify(frame)}, got ${JSON.stringify(reply)}`);
    return reply;
  }

  // An application-level ping that must be answered by a pong with the same id.
  async ping() {
    const reply = await this.request({ type: 'ping' });
    assert.equal(reply.type, 'pong', `${this.label}: expected a pong, got ${JSON.stringify(reply)}`);
    return reply;
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  // For cleanup after a failure: drops the connection unless it is already closed.
  abort() {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
  }
}
