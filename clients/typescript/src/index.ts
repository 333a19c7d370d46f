// @switchboard/client: the TypeScript client of Switchboard servers (docs/clients.md).

export { Client, connect } from "./client.js";
export type { ClientEvents, Gap, MessageHandler, MessageMeta, Resubscribed } from "./client.js";
export { Subscription } from "./subscription.js";
export type { Status } from "./status.js";
export type { ClientOptions, HeartbeatOptions, ReconnectOptions } from "./options.js";
export { backoffDelay, defaultBackoff } from "./backoff.js";
export type { BackoffOptions } from "./backoff.js";
export {
  ClientError,
  ConnectionClosedError,
  HandlerError,
  MessageDecodeError,
  ProtocolError,
  RequestError,
  ServerError,
  TimeoutError,
} from "./errors.js";
export { parseServerFrame } from "./frames.js";
export type {
  AckFrame,
  ClientFrame,
  Envelope,
  ErrorFrame,
  GapFrame,
  MessageFrame,
  ParseResult,
  PongFrame,
  PushFrame,
  ServerFrame,
  WelcomeFrame,
} from "./frames.js";
export type { WebSocketConstructor, WebSocketLike } from "./socket.js";
