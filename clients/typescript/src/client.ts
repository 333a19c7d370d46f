// The Switchboard client: one logical session over a sequence of WebSocket connections.
//
// A Client keeps its subscriptions and pending requests across connections: when a connection drops it waits
// (exponential backoff, backoff.ts), reconnects, re-subscribes every channel in one batch and sends the
// requests that were queued meanwhile. It runs on one JavaScript thread: every method may be called at any
// time, from any callback, including its own event listeners.
//
// What is not carried across a drop: requests that were already sent (publish, send, ping) reject with
// ConnectionClosedError, because the server may or may not have acted on them; the application decides
// whether to repeat a publish. Messages published while the client was disconnected are not delivered; the
// "resubscribed" event gives the last seq seen (or reported missed by a gap) before the drop so that the
// application knows where it stands.

import { backoffDelay } from "./backoff.js";
import { Emitter } from "./emitter.js";
import {
  ClientError,
  ConnectionClosedError,
  HandlerError,
  MessageDecodeError,
  ProtocolError,
  RequestError,
  ServerError,
  TimeoutError,
} from "./errors.js";
import {
  type AckFrame,
  type ClientFrame,
  type Envelope,
  type GapFrame,
  type MessageFrame,
  parseServerFrame,
  type PongFrame,
  type PushFrame,
  type ServerFrame,
  type WelcomeFrame,
} from "./frames.js";
import { type ClientOptions, resolveOptions, type ResolvedOptions } from "./options.js";
import { detach, type WebSocketLike } from "./socket.js";
import type { Status } from "./status.js";
import { Subscription } from "./subscription.js";

export interface MessageMeta {
  channel: string;
  seq: number;
}

export type MessageHandler<T> = (value: T, meta: MessageMeta) => void;

export interface Resubscribed {
  channel: string;
  // The channel's lastSeq when the connection dropped: the last seq received or reported missed by a gap (0 if
  // none).
  lastSeq: number;
  // Always false: the server keeps no history yet, so messages published during the gap are not replayed.
  recovered: false;
}

// What the server dropped for this session because it did not read fast enough (only under the server's
// "drop" slow-consumer policy): messages fromSeq..toSeq (inclusive) of a channel this client follows, or a
// number of push frames. It arrives before any newer message or push.
export type Gap = { channel: string; fromSeq: number; toSeq: number } | { pushes: number };

// The events of a Client and their listeners' arguments.
export type ClientEvents<T> = {
  status: [status: Status];
  error: [error: ClientError];
  push: [value: T, frame: PushFrame];
  resubscribed: [info: Resubscribed];
  gap: [gap: Gap];
};

// Close codes the client sends (browsers accept only 1000 and 3000-4999).
const CLOSE_NORMAL = 1000;
const CLOSE_TIMEOUT = 4000; // heartbeat or connect timeout
const CLOSE_PROTOCOL = 4001; // the server broke the protocol (the server itself uses 4002 and 4008)
// What a browser reports for a connection that failed or ended without a close frame.
const CLOSE_ABNORMAL = 1006;

// A subscribed channel as this client knows it. Exactly one per channel name in Client.channels.
interface Channel<T> {
  readonly name: string;
  readonly handlers: Set<MessageHandler<T>>;
  // The server acknowledged the subscribe at least once; a later subscribe for it is a re-subscribe.
  acked: boolean;
  // The last seq accounted for: received in a message, or the end of a gap (0 before either).
  lastSeq: number;
  // lastSeq when the last connection dropped: what "resubscribed" reports.
  seqBeforeDrop: number;
  // Settles with the first acknowledgement (or the first failure); every subscribe() call waits on it.
  readonly ready: Promise<void>;
  // The resolvers of `ready` while it is unsettled.
  settle: { resolve: () => void; reject: (error: ClientError) => void } | null;
  // The timeout of the first subscribe, from the subscribe() call on.
  timer: ReturnType<typeof setTimeout> | undefined;
  // The id of the subscribe frame in flight, if any.
  requestId: number | undefined;
}

// A request waiting for its answer, or for a connection to be sent on.
interface Pending {
  readonly id: number;
  readonly frame: ClientFrame;
  readonly label: string; // for error messages: "publish chat"
  readonly channel: string | undefined;
  // What a drop of the connection it was sent on means for it: reject with ConnectionClosedError (the server
  // may have acted on it), resolve (an unsubscribe: the next session does not follow the channel anyway), or
  // nothing (a subscribe frame: the channel is re-subscribed on the next connection).
  readonly whenDropped: "reject" | "resolve" | "forget";
  // The number of the connection it was sent on; 0 while it waits for one.
  sentOn: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  reply(frame: AckFrame | PongFrame): void;
  fail(error: ClientError): void;
}

export class Client<T = Envelope> {
  private readonly url: string;
  private readonly options: ResolvedOptions<T>;
  private readonly events = new Emitter<ClientEvents<T>>();
  private current: Status = { state: "connecting", attempt: 1 };

  // The socket of the current connection attempt or connection; null while waiting or closed.
  private socket: WebSocketLike | null = null;
  private connectionNo = 0; // numbers sockets, so that a request knows which connection it was sent on
  private welcomed = false; // the current socket delivered its welcome
  private attempt = 0; // connection attempts since start or since the last welcome
  private waits = 0; // backoff waits since start or since the last welcome
  private closed = false;

  private nextId = 1;
  private readonly pending = new Map<number, Pending>(); // in id order, which is the order of the calls
  private readonly channels = new Map<string, Channel<T>>();

  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFrameAt = 0; // Date.now() of the last frame received

  // Throws TypeError / RangeError for a URL that is not ws:// or wss://, or for invalid options.
  constructor(url: string, options: ClientOptions<T> = {}) {
    if (!/^wss?:\/\//i.test(url)) throw new TypeError(`not a ws:// or wss:// URL: ${url}`);
    this.url = url;
    this.options = resolveOptions(options);
    // Opening on the next microtask lets the caller attach listeners first, so that it sees the first
    // "connecting" too.
    queueMicrotask(() => this.open());
  }

  get status(): Status {
    return this.current;
  }

  // Returns a function that removes the listener.
  on<K extends keyof ClientEvents<T>>(event: K, listener: (...args: ClientEvents<T>[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  off<K extends keyof ClientEvents<T>>(event: K, listener: (...args: ClientEvents<T>[K]) => void): void {
    this.events.off(event, listener);
  }

  // Follows `channel`: `handler` gets every message published to it from the acknowledgement on, decoded.
  // Subscribing again to a channel this client already follows adds the handler locally, without asking the
  // server again; each Subscription removes its own handler. Rejects with RequestError (e.g. invalid_channel,
  // forbidden), TimeoutError, or ConnectionClosedError after close(). A subscribe made while disconnected is
  // sent when the connection is back; one whose connection drops before the answer is sent again.
  subscribe(channel: string, handler: MessageHandler<T>): Promise<Subscription> {
    if (this.closed) return Promise.reject(new ConnectionClosedError(`subscribe ${channel}`, "the client is closed"));
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = this.newChannel(channel);
      this.channels.set(channel, entry);
      if (this.welcomed) this.sendSubscribe(entry);
    }
    // A wrapper per call, so that each Subscription is independent even for the same handler function.
    const own: MessageHandler<T> = (value, meta) => handler(value, meta);
    entry.handlers.add(own);
    const ch = entry;
    return ch.ready.then(() => new Subscription(channel, () => ch.lastSeq, () => this.release(ch, own)));
  }

  // Stops following `channel` (every handler of it). Rejects with RequestError not_subscribed when this client
  // does not follow it. While disconnected it resolves at once: the next session starts without the channel.
  async unsubscribe(channel: string): Promise<void> {
    const ch = this.channels.get(channel);
    if (!ch) throw new RequestError("not_subscribed", `not subscribed to "${channel}"`, { channel });
    if (ch.settle) {
      try {
        await ch.ready;
      } catch {
        return; // the subscribe failed: nothing to undo
      }
    }
    if (this.channels.get(channel) !== ch) return; // another unsubscribe won the race
    this.removeChannel(ch);
    if (!this.welcomed) return;
    await this.request(`unsubscribe ${channel}`, (id) => ({ type: "unsubscribe", id, channel }), {
      expect: "ack",
      channel,
      whenDropped: "resolve",
    });
  }

  // Publishes a model message to `channel`; resolves with the seq the server gave it (0 when the channel has no
  // subscriber). Rejects with RequestError (e.g. forbidden, invalid_message), TimeoutError, or
  // ConnectionClosedError when the connection dropped before the answer: then the message may or may not have
  // been published, and it is not sent again by the client.
  async publish(channel: string, message: Envelope): Promise<{ seq: number }> {
    const ack = await this.request(`publish ${channel}`, (id) => ({ type: "publish", id, channel, message }), {
      expect: "ack",
      channel,
      whenDropped: "reject",
    });
    if (ack.type !== "ack" || ack.seq === undefined) {
      throw new ProtocolError(`publish ${channel}: the server's ack has no seq`);
    }
    return { seq: ack.seq };
  }

  // Sends a model message to the server application (an untyped "send"); resolves on its ack. Fails like
  // publish.
  async send(message: Envelope): Promise<void> {
    await this.request("send", (id) => ({ type: "send", id, message }), { expect: "ack", whenDropped: "reject" });
  }

  // A round trip to the server (a "ping" frame answered by "pong").
  async ping(): Promise<void> {
    await this.request("ping", (id) => ({ type: "ping", id }), { expect: "pong", whenDropped: "reject" });
  }

  // Closes the connection (code 1000) and ends the client: no reconnect, every pending request and subscribe
  // rejects with ConnectionClosedError, the status becomes "closed". Idempotent.
  close(): void {
    this.shutDown(CLOSE_NORMAL, "closed by the client");
  }

  // ---- connections ------------------------------------------------------------------------------------------

  private open(): void {
    if (this.closed) return;
    this.attempt += 1;
    this.setStatus({ state: "connecting", attempt: this.attempt });
    if (this.closed || this.current.state !== "connecting") return; // a status listener closed the client
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(this.url);
    } catch (error) {
      this.lost(CLOSE_ABNORMAL, `cannot open a WebSocket: ${describe(error)}`);
      return;
    }
    this.socket = socket;
    this.connectionNo += 1;
    this.welcomed = false;
    socket.onopen = () => {}; // the session starts with the welcome frame, not with the open event
    socket.onmessage = (event) => this.receive(event.data);
    // Browsers and ws follow every "error" with a "close", which carries the code.
    socket.onerror = () => {};
    socket.onclose = (event) => {
      const reason = event.reason || (this.welcomed ? "connection closed" : "could not connect");
      this.lost(event.code, `${reason} (${event.code})`);
    };
    const timeoutMs = this.options.connectTimeoutMs;
    this.connectTimer = setTimeout(() => this.drop(CLOSE_TIMEOUT, `connect timeout: no welcome within ${timeoutMs} ms`), timeoutMs);
  }

  // The client ends the current connection itself (timeouts, protocol errors).
  private drop(code: number, reason: string): void {
    if (!this.socket) return;
    this.lost(code, reason);
  }

  // The current connection (or attempt) is gone: settle what was in flight on it, then wait and retry.
  private lost(code: number, reason: string): void {
    this.dropSocket(code, reason);
    for (const p of [...this.pending.values()]) {
      if (p.sentOn === 0) continue; // still queued: it goes out on the next connection
      this.forget(p);
      if (p.whenDropped === "reject") p.fail(new ConnectionClosedError(p.label, `the connection dropped (${reason})`));
      else if (p.whenDropped === "resolve") p.reply({ type: "ack", id: p.id });
    }
    for (const ch of this.channels.values()) {
      ch.requestId = undefined;
      if (ch.acked) ch.seqBeforeDrop = ch.lastSeq;
    }
    if (this.closed) return;
    const reconnect = this.options.reconnect;
    if (!reconnect) {
      this.shutDown(code, `${reason}; reconnect is off`);
      return;
    }
    if (this.attempt >= reconnect.maxAttempts) {
      this.shutDown(code, `${reason}; gave up after ${this.attempt} attempts`);
      return;
    }
    this.waits += 1;
    const delayMs = backoffDelay(this.waits, reconnect, reconnect.random);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.open();
    }, delayMs);
    this.setStatus({ state: "waiting", attempt: this.attempt + 1, delayMs, code, reason });
  }

  // Lets go of the current socket (if any) and its timers; the session it carried is over.
  private dropSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) detach(socket, code, reason);
    this.stopTimers();
    this.welcomed = false;
  }

  private shutDown(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.dropSocket(code, reason);
    for (const p of [...this.pending.values()]) {
      this.forget(p);
      if (p.whenDropped === "resolve") p.reply({ type: "ack", id: p.id });
      else if (p.whenDropped === "reject") p.fail(new ConnectionClosedError(p.label, `the client closed (${reason})`));
      // subscribe frames: their channels are settled below
    }
    for (const ch of [...this.channels.values()]) {
      this.removeChannel(ch);
      ch.settle?.reject(new ConnectionClosedError(`subscribe ${ch.name}`, `the client closed (${reason})`));
    }
    this.setStatus({ state: "closed", code, reason });
  }

  private stopTimers(): void {
    clearTimeout(this.connectTimer);
    clearTimeout(this.heartbeatTimer);
    this.connectTimer = undefined;
    this.heartbeatTimer = undefined;
  }

  // ---- frames from the server -------------------------------------------------------------------------------

  private receive(data: unknown): void {
    this.lastFrameAt = Date.now();
    if (typeof data !== "string") {
      this.report(new ProtocolError("the server sent a binary frame; the protocol has text frames only"));
      return;
    }
    const parsed = parseServerFrame(data);
    if (!this.welcomed) {
      if (parsed.kind === "frame" && parsed.frame.type === "welcome") {
        this.welcome(parsed.frame);
        return;
      }
      const got =
        parsed.kind === "frame" ? `a "${parsed.frame.type}" frame`
        : parsed.kind === "unknown" ? `a frame of unknown type "${parsed.type}"`
        : `a malformed frame (${parsed.problem})`;
      this.report(new ProtocolError(`the first frame must be the welcome, got ${got}`));
      this.drop(CLOSE_PROTOCOL, "protocol error: the first frame was not the welcome");
      return;
    }
    if (parsed.kind === "unknown") return; // a frame type of a later protocol version
    if (parsed.kind === "malformed") {
      this.report(new ProtocolError(`malformed frame from the server: ${parsed.problem}`));
      return;
    }
    this.dispatch(parsed.frame);
  }

  private welcome(frame: WelcomeFrame): void {
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    if (frame.protocol !== 1) {
      this.report(new ProtocolError(`the server speaks protocol ${frame.protocol}; this client speaks 1`));
      this.shutDown(CLOSE_PROTOCOL, `unsupported protocol version ${frame.protocol}`);
      return;
    }
    this.welcomed = true;
    this.attempt = 0;
    this.waits = 0;
    this.armHeartbeat();
    // Subscriptions first, all at once, then the queued requests in call order: a publish queued after a
    // subscribe to the same channel reaches the server after that subscribe.
    for (const ch of this.channels.values()) this.sendSubscribe(ch);
    for (const p of [...this.pending.values()]) if (p.sentOn === 0) this.transmit(p);
    this.setStatus({ state: "connected", session: frame.session, welcome: frame });
  }

  private dispatch(frame: ServerFrame): void {
    switch (frame.type) {
      case "message":
        this.deliver(frame);
        return;
      case "gap":
        this.gap(frame);
        return;
      case "push": {
        const decoded = this.decode(frame.message, {});
        if (decoded.ok) this.events.emit("push", [decoded.value, frame], (e) => this.handlerThrew("a push listener", e, {}));
        return;
      }
      case "ack":
      case "pong": {
        const p = frame.id === undefined ? undefined : this.pending.get(frame.id);
        // Replies to nobody: heartbeat pings, and requests that timed out meanwhile.
        if (p && p.sentOn === this.connectionNo) p.reply(frame);
        return;
      }
      case "error": {
        const p = frame.id === undefined ? undefined : this.pending.get(frame.id);
        if (p && p.sentOn === this.connectionNo) {
          p.fail(new RequestError(frame.code, frame.message, p.channel === undefined ? {} : { channel: p.channel }));
        } else if (frame.id === undefined) {
          this.report(new ServerError(frame.code, frame.message));
        }
        return;
      }
      case "welcome":
        this.report(new ProtocolError("the server sent a second welcome frame"));
        return;
    }
  }

  private deliver(frame: MessageFrame): void {
    const ch = this.channels.get(frame.channel);
    if (!ch) return; // unsubscribed locally; the server has not processed the unsubscribe yet
    ch.lastSeq = frame.seq;
    const meta = { channel: frame.channel, seq: frame.seq };
    const decoded = this.decode(frame.message, meta);
    if (!decoded.ok) return;
    for (const handler of [...ch.handlers]) {
      try {
        handler(decoded.value, meta);
      } catch (error) {
        this.handlerThrew(`the handler of "${frame.channel}"`, error, meta);
      }
    }
  }

  private gap(frame: GapFrame): void {
    let gap: Gap;
    if ("pushes" in frame) {
      gap = { pushes: frame.pushes };
    } else {
      const ch = this.channels.get(frame.channel);
      if (!ch) return; // unsubscribed locally, like a message for it
      ch.lastSeq = frame.toSeq; // the missed messages are known: a later resubscribed counts them as seen
      gap = { channel: frame.channel, fromSeq: frame.fromSeq, toSeq: frame.toSeq };
    }
    const where = "channel" in gap ? { channel: gap.channel } : {};
    this.events.emit("gap", [gap], (e) => this.handlerThrew("a gap listener", e, where));
  }

  private decode(envelope: Envelope, where: { channel?: string; seq?: number }): { ok: true; value: T } | { ok: false } {
    try {
      return { ok: true, value: this.options.decode(envelope) };
    } catch (error) {
      const at = where.channel === undefined ? "a push" : `message ${where.seq} on "${where.channel}"`;
      this.report(
        new MessageDecodeError("decode_failed", `cannot decode ${at} (${envelope.className}): ${describe(error)}`, {
          ...where,
          cause: error,
        }),
      );
      return { ok: false };
    }
  }

  // ---- heartbeat --------------------------------------------------------------------------------------------

  // After intervalMs without a frame, ping; if still nothing timeoutMs later, the connection is dead even if
  // TCP has not noticed (a browser may take minutes to).
  private armHeartbeat(delayMs?: number): void {
    const hb = this.options.heartbeat;
    if (!hb) return;
    this.heartbeatTimer = setTimeout(() => {
      const silentMs = Date.now() - this.lastFrameAt;
      if (silentMs < hb.intervalMs) {
        this.armHeartbeat(hb.intervalMs - silentMs);
        return;
      }
      const pingAt = Date.now();
      this.sendFrame({ type: "ping", id: this.nextId++ });
      this.heartbeatTimer = setTimeout(() => {
        if (this.lastFrameAt >= pingAt) this.armHeartbeat(Math.max(0, hb.intervalMs - (Date.now() - this.lastFrameAt)));
        else this.drop(CLOSE_TIMEOUT, `heartbeat timeout: no frame within ${hb.timeoutMs} ms of a ping`);
      }, hb.timeoutMs);
    }, delayMs ?? hb.intervalMs);
  }

  // ---- requests ---------------------------------------------------------------------------------------------

  private request(
    label: string,
    build: (id: number) => ClientFrame,
    how: { expect: "ack" | "pong"; channel?: string; whenDropped: "reject" | "resolve" },
  ): Promise<AckFrame | PongFrame> {
    if (this.closed) return Promise.reject(new ConnectionClosedError(label, "the client is closed"));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timeoutMs = this.options.requestTimeoutMs;
      const p: Pending = {
        id,
        frame: build(id),
        label,
        channel: how.channel,
        whenDropped: how.whenDropped,
        sentOn: 0,
        timer: setTimeout(() => p.fail(new TimeoutError(label, timeoutMs, how.channel === undefined ? {} : { channel: how.channel })), timeoutMs),
        reply: (frame) => {
          this.forget(p);
          if (frame.type === how.expect) resolve(frame);
          else reject(new ProtocolError(`${label}: the server answered with "${frame.type}", expected "${how.expect}"`));
        },
        fail: (error) => {
          this.forget(p);
          reject(error);
        },
      };
      this.pending.set(id, p);
      if (this.welcomed) this.transmit(p);
    });
  }

  private forget(p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(p.id);
  }

  private transmit(p: Pending): void {
    p.sentOn = this.connectionNo;
    this.sendFrame(p.frame);
  }

  private sendFrame(frame: ClientFrame): void {
    try {
      this.socket?.send(JSON.stringify(frame));
    } catch {
      // The socket is closing: its close event settles what was sent on it.
    }
  }

  // ---- channels ---------------------------------------------------------------------------------------------

  private newChannel(name: string): Channel<T> {
    let settle: Channel<T>["settle"] = null;
    const ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const ch: Channel<T> = {
      name,
      handlers: new Set(),
      acked: false,
      lastSeq: 0,
      seqBeforeDrop: 0,
      ready,
      settle,
      requestId: undefined,
      timer: undefined,
    };
    const timeoutMs = this.options.requestTimeoutMs;
    ch.timer = setTimeout(() => this.subscribeFailed(ch, new TimeoutError(`subscribe ${name}`, timeoutMs, { channel: name })), timeoutMs);
    return ch;
  }

  // Sends a subscribe for `ch` on the current connection: its first one, or a re-subscribe after a reconnect.
  private sendSubscribe(ch: Channel<T>): void {
    const id = this.nextId++;
    const timeoutMs = this.options.requestTimeoutMs;
    const p: Pending = {
      id,
      frame: { type: "subscribe", id, channel: ch.name },
      label: `subscribe ${ch.name}`,
      channel: ch.name,
      whenDropped: "forget",
      sentOn: 0,
      // The first subscribe has the channel's own timer (which also covers waiting for a connection).
      timer: ch.acked
        ? setTimeout(() => p.fail(new TimeoutError(`subscribe ${ch.name}`, timeoutMs, { channel: ch.name })), timeoutMs)
        : undefined,
      reply: () => {
        this.forget(p);
        this.subscribed(ch);
      },
      fail: (error) => {
        this.forget(p);
        this.subscribeFailed(ch, error);
      },
    };
    ch.requestId = id;
    this.pending.set(id, p);
    this.transmit(p);
  }

  private subscribed(ch: Channel<T>): void {
    ch.requestId = undefined;
    if (this.channels.get(ch.name) !== ch) return; // unsubscribed meanwhile; that unsubscribe follows this ack
    if (ch.settle) {
      clearTimeout(ch.timer);
      ch.acked = true;
      ch.settle.resolve();
      ch.settle = null;
      return;
    }
    this.emitResubscribed({ channel: ch.name, lastSeq: ch.seqBeforeDrop, recovered: false });
  }

  // The subscribe of `ch` failed (error frame or timeout): the channel is gone. A first subscribe rejects its
  // callers; a failed re-subscribe is reported as an "error" event naming the channel.
  private subscribeFailed(ch: Channel<T>, error: ClientError): void {
    if (this.channels.get(ch.name) !== ch) return;
    const inFlight = ch.requestId === undefined ? undefined : this.pending.get(ch.requestId);
    this.removeChannel(ch);
    // A subscribe that timed out may still reach the server: undo it (the reply goes to nobody).
    if (inFlight && inFlight.sentOn === this.connectionNo && this.welcomed && error instanceof TimeoutError) {
      this.sendFrame({ type: "unsubscribe", id: this.nextId++, channel: ch.name });
    }
    if (ch.settle) {
      ch.settle.reject(error);
      ch.settle = null;
    } else {
      this.report(error);
    }
  }

  private removeChannel(ch: Channel<T>): void {
    this.channels.delete(ch.name);
    clearTimeout(ch.timer);
    const inFlight = ch.requestId === undefined ? undefined : this.pending.get(ch.requestId);
    if (inFlight) this.forget(inFlight);
    ch.requestId = undefined;
  }

  // Removes one subscribe() handler; the channel goes with its last handler.
  private release(ch: Channel<T>, handler: MessageHandler<T>): Promise<void> {
    if (this.channels.get(ch.name) !== ch || !ch.handlers.delete(handler)) return Promise.resolve();
    if (ch.handlers.size > 0) return Promise.resolve();
    return this.unsubscribe(ch.name);
  }

  // ---- events -----------------------------------------------------------------------------------------------

  private setStatus(status: Status): void {
    this.current = status;
    this.events.emit("status", [status], (e) => this.handlerThrew("a status listener", e, {}));
  }

  private emitResubscribed(info: Resubscribed): void {
    this.events.emit("resubscribed", [info], (e) => this.handlerThrew("a resubscribed listener", e, { channel: info.channel }));
  }

  private handlerThrew(who: string, error: unknown, where: { channel?: string; seq?: number }): void {
    this.report(new HandlerError("handler_failed", `${who} threw: ${describe(error)}`, { ...where, cause: error }));
  }

  private report(error: ClientError): void {
    // An exception from an "error" listener has nowhere left to go inside the client: rethrow it outside the
    // socket's event handler, where the platform reports uncaught exceptions.
    this.events.emit("error", [error], (e) => {
      setTimeout(() => {
        throw e;
      });
    });
  }
}

// connect(url, options) is `new Client(url, options)`.
export function connect<T = Envelope>(url: string, options: ClientOptions<T> = {}): Client<T> {
  return new Client<T>(url, options);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
