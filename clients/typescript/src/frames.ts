// The frames of the wire protocol (docs/protocol.md, version 1) and the parser of server frames.
//
// Every frame is one JSON object with a string `type`. Unknown fields are ignored, as the protocol says, so
// that later server versions can add fields; unknown frame types are reported as such (not as malformed) so
// that the client can skip them.

// A model message: {"className": ..., "data": ...}, Serverpod's model JSON.
export interface Envelope<N extends string = string> {
  className: N;
  data: unknown;
}

export interface WelcomeFrame {
  type: "welcome";
  session: string;
  protocol: number;
  server: string;
  heartbeatMs: number;
  limits: { maxMessageBytes: number };
}

export interface AckFrame {
  type: "ack";
  id: number;
  seq?: number; // publish only
}

export interface ErrorFrame {
  type: "error";
  id?: number; // absent when the frame that failed was not a readable request
  code: string;
  message: string;
}

export interface MessageFrame {
  type: "message";
  channel: string;
  seq: number;
  message: Envelope;
}

export interface PushFrame {
  type: "push";
  group?: string; // present only for group pushes
  message: Envelope;
}

export interface PongFrame {
  type: "pong";
  id?: number;
}

export type ServerFrame = WelcomeFrame | AckFrame | ErrorFrame | MessageFrame | PushFrame | PongFrame;

export type ClientFrame =
  | { type: "subscribe"; id: number; channel: string }
  | { type: "unsubscribe"; id: number; channel: string }
  | { type: "publish"; id: number; channel: string; message: Envelope }
  | { type: "send"; id: number; message: Envelope }
  | { type: "ping"; id: number };

export type ParseResult =
  | { kind: "frame"; frame: ServerFrame }
  | { kind: "unknown"; type: string }
  | { kind: "malformed"; problem: string };

type Json = Record<string, unknown>;

// A field check: returns the problem, or undefined when the field is fine.
type Check = (value: unknown) => string | undefined;

const isString: Check = (v) => (typeof v === "string" ? undefined : "a string");
const isNonEmptyString: Check = (v) => (typeof v === "string" && v !== "" ? undefined : "a non-empty string");
const isNumber: Check = (v) => (typeof v === "number" && Number.isFinite(v) ? undefined : "a number");
// Request ids and sequence numbers: integers from 0 to 2^53 - 1.
const isCount: Check = (v) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : "an integer >= 0");
const isEnvelope: Check = (v) =>
  isObject(v) && typeof v.className === "string" && v.className !== "" && "data" in v
    ? undefined
    : 'a model message {"className": non-empty string, "data": any}';
const isLimits: Check = (v) =>
  isObject(v) && isNumber(v.maxMessageBytes) === undefined ? undefined : '{"maxMessageBytes": number}';

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// Required fields, then optional ones (checked only when present), per frame type.
const shapes: Record<ServerFrame["type"], { required: Record<string, Check>; optional: Record<string, Check> }> = {
  welcome: {
    required: { session: isString, protocol: isNumber, server: isString, heartbeatMs: isNumber, limits: isLimits },
    optional: {},
  },
  ack: { required: { id: isCount }, optional: { seq: isCount } },
  error: { required: { code: isNonEmptyString, message: isString }, optional: { id: isCount } },
  message: { required: { channel: isNonEmptyString, seq: isCount, message: isEnvelope }, optional: {} },
  push: { required: { message: isEnvelope }, optional: { group: isNonEmptyString } },
  pong: { required: {}, optional: { id: isCount } },
};

function hasShape(type: string): type is ServerFrame["type"] {
  return Object.prototype.hasOwnProperty.call(shapes, type);
}

// Reads one text frame from the server.
export function parseServerFrame(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: "malformed", problem: `frame is not JSON (${(error as Error).message})` };
  }
  if (!isObject(json)) return { kind: "malformed", problem: "frame is not a JSON object" };
  const type = json.type;
  if (typeof type !== "string") return { kind: "malformed", problem: 'frame has no string "type"' };
  if (!hasShape(type)) return { kind: "unknown", type };
  const shape = shapes[type];
  for (const [name, check] of Object.entries(shape.required)) {
    const problem = name in json ? check(json[name]) : "present";
    if (problem !== undefined) return { kind: "malformed", problem: `${type} frame: "${name}" must be ${problem}` };
  }
  for (const [name, check] of Object.entries(shape.optional)) {
    const problem = name in json ? check(json[name]) : undefined;
    if (problem !== undefined) return { kind: "malformed", problem: `${type} frame: "${name}" must be ${problem}` };
  }
  // Every field the type declares was checked above; the rest of the object is ignored by its readers.
  return { kind: "frame", frame: json as unknown as ServerFrame };
}
