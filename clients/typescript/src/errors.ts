// The errors of the client. Every error it reports, as a rejected promise or as an "error" event, is a
// ClientError with a machine-readable `code`; the subclasses say where it came from.

export class ClientError extends Error {
  // A stable identifier: a server error code from docs/protocol.md (RequestError, ServerError) or one of the
  // client's own ("timeout", "connection_closed", "decode_failed", "handler_failed", "protocol_error").
  readonly code: string;
  // The channel and sequence number of the frame the error is about, when there is one.
  readonly channel: string | undefined;
  readonly seq: number | undefined;
  // The exception behind it (a DecodeError, an exception thrown by a handler), when there is one.
  readonly cause: unknown;

  constructor(code: string, message: string, details: { channel?: string; seq?: number; cause?: unknown } = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.channel = details.channel;
    this.seq = details.seq;
    this.cause = details.cause;
  }
}

// An error frame from the server that answers no request (no `id`), e.g. `bad_json`.
export class ServerError extends ClientError {}

// An error frame from the server answering one of this client's requests: `code` and `message` as the server
// sent them. For a subscription that failed to re-establish after a reconnect, `channel` names it.
export class RequestError extends ServerError {}

// A request got no answer within `requestTimeoutMs` (the time spent waiting for a connection included).
export class TimeoutError extends ClientError {
  constructor(request: string, timeoutMs: number, details: { channel?: string } = {}) {
    super("timeout", `${request}: no answer within ${timeoutMs} ms`, details);
  }
}

// The connection dropped while the request was in flight (the server may or may not have acted on it), or
// the client was closed before the request was answered.
export class ConnectionClosedError extends ClientError {
  constructor(request: string, why: string) {
    super("connection_closed", `${request}: ${why}`);
  }
}

// The `decode` option threw for a message or push frame; `cause` is what it threw. The frame is skipped, the
// connection goes on.
export class MessageDecodeError extends ClientError {}

// A subscription handler or an event listener threw; `cause` is what it threw.
export class HandlerError extends ClientError {}

// The server broke the protocol: a frame that is not JSON or lacks a field, or a first frame that is not the
// welcome.
export class ProtocolError extends ClientError {
  constructor(message: string) {
    super("protocol_error", message);
  }
}
