// The options of connect() and their defaults.

import { type BackoffOptions, checkBackoff, defaultBackoff } from "./backoff.js";
import type { Envelope } from "./frames.js";
import { globalWebSocket, type WebSocketConstructor } from "./socket.js";

export interface ReconnectOptions extends Partial<BackoffOptions> {
  // Consecutive failed connection attempts after which the client gives up (status "closed"). Counted from
  // start or from the last time the client was connected.
  maxAttempts?: number;
  // The source of jitter, a number in [0, 1); default Math.random. Tests inject their own.
  random?: () => number;
}

export interface HeartbeatOptions {
  // After this long without a frame from the server, the client sends a `ping` frame.
  intervalMs?: number;
  // If no frame at all arrives within this long after that ping, the connection counts as dead: the client
  // closes it (code 4000, "heartbeat timeout") and reconnects.
  timeoutMs?: number;
}

export interface ClientOptions<T> {
  // The WebSocket constructor; default globalThis.WebSocket. On Node 18/20 pass ws's WebSocket.
  WebSocket?: WebSocketConstructor;
  // Turns the model message of each message and push frame into the value handlers get; default identity.
  // Pass the generated decodeModel. A throw becomes an "error" event (MessageDecodeError) and the frame is
  // skipped.
  decode?: (envelope: Envelope) => T;
  // subscribe / unsubscribe / publish / send / ping reject with TimeoutError after this long, time spent
  // waiting for a connection included.
  requestTimeoutMs?: number;
  // How long a connection attempt may take, from opening the socket to the welcome frame.
  connectTimeoutMs?: number;
  reconnect?: ReconnectOptions | false;
  heartbeat?: HeartbeatOptions | false;
}

export interface ResolvedOptions<T> {
  WebSocket: WebSocketConstructor;
  decode: (envelope: Envelope) => T;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  reconnect: (BackoffOptions & { maxAttempts: number; random: () => number }) | false;
  heartbeat: { intervalMs: number; timeoutMs: number } | false;
}

export const defaults = {
  requestTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  maxAttempts: Infinity,
  heartbeat: { intervalMs: 10_000, timeoutMs: 5_000 },
} as const;

function positive(name: string, value: number): number {
  if (!(value > 0)) throw new RangeError(`${name} must be a number > 0, got ${value}`);
  return value;
}

// Fills in the defaults; throws TypeError / RangeError for options that cannot work.
export function resolveOptions<T>(options: ClientOptions<T>): ResolvedOptions<T> {
  const WebSocket = options.WebSocket ?? globalWebSocket();
  if (!WebSocket) {
    throw new TypeError("no WebSocket: this platform has no globalThis.WebSocket, pass one (e.g. ws's) as options.WebSocket");
  }
  let reconnect: ResolvedOptions<T>["reconnect"] = false;
  if (options.reconnect !== false) {
    const r = options.reconnect ?? {};
    const backoff: BackoffOptions = {
      initialDelayMs: r.initialDelayMs ?? defaultBackoff.initialDelayMs,
      maxDelayMs: r.maxDelayMs ?? Math.max(defaultBackoff.maxDelayMs, r.initialDelayMs ?? 0),
      multiplier: r.multiplier ?? defaultBackoff.multiplier,
      jitter: r.jitter ?? defaultBackoff.jitter,
    };
    checkBackoff(backoff);
    const maxAttempts = r.maxAttempts ?? defaults.maxAttempts;
    if (!(maxAttempts >= 1)) throw new RangeError(`reconnect.maxAttempts must be >= 1, got ${maxAttempts}`);
    reconnect = { ...backoff, maxAttempts, random: r.random ?? Math.random };
  }
  let heartbeat: ResolvedOptions<T>["heartbeat"] = false;
  if (options.heartbeat !== false) {
    const h = options.heartbeat ?? {};
    heartbeat = {
      intervalMs: positive("heartbeat.intervalMs", h.intervalMs ?? defaults.heartbeat.intervalMs),
      timeoutMs: positive("heartbeat.timeoutMs", h.timeoutMs ?? defaults.heartbeat.timeoutMs),
    };
  }
  return {
    WebSocket,
    decode: options.decode ?? ((envelope) => envelope as T),
    requestTimeoutMs: positive("requestTimeoutMs", options.requestTimeoutMs ?? defaults.requestTimeoutMs),
    connectTimeoutMs: positive("connectTimeoutMs", options.connectTimeoutMs ?? defaults.connectTimeoutMs),
    reconnect,
    heartbeat,
  };
}
