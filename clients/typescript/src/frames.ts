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

// Only under the server's "drop" slow-consumer policy: what the server dropped for this session because it did
// not read fast enough. Either messages fromSeq..toSeq (inclusive) of one channel, or a number of push frames.
export type GapFrame =
  | { type: "gap"; channel: string; fromSeq: number; toSeq: number }
  | { type: "gap"; pushes: number };

export type ServerFrame = WelcomeFrame | AckFrame | ErrorFrame | MessageFrame | PushFrame | PongFrame | GapFrame;

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
// Gap ranges and counts: a message's seq is never 0 (publish acks say 0 only when nothing was sent).
const isPositive: Check = (v) => (Number.isSafeInteger(v) && (v as number) >= 1 ? undefined : "an integer >= 1");
const isEnvelope: Check = (v) =>
  isObject(v) && typeof v.className === "string" && v.className !== "" && "data" in v
    ? undefined
    : 'a model message {"className": non-empty string, "data": any}';
const isLimits: Check = (v) =>
  isObject(v) && isNumber(v.maxMessageBytes) === undefined ? undefined : '{"maxMessageBytes": number}';

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

type Shape = { required: Record<string, Check>; optional: Record<string, Check> };

// Required fields, then optional ones (checked only when present), per frame type.
const shapes: Record<Exclude<ServerFrame["type"], "gap">, Shape> = {
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

// The gap frame has two forms, told apart by "channel" or "pushes".
const gapShapes: Record<"channel" | "pushes", Shape> = {
  channel: { required: { channel: isNonEmptyString, fromSeq: isPositive, toSeq: isPositive }, optional: {} },
  pushes: { required: { pushes: isPositive }, optional: {} },
};

function hasShape(type: string): type is keyof typeof shapes {
  return Object.prototype.hasOwnProperty.call(shapes, type);
}

// The first field of `json` that does not fit `shape`, as `"name" must be ...`; undefined when all fit.
function misfit(json: Json, shape: Shape): string | undefined {
  for (const [name, check] of Object.entries(shape.required)) {
    const problem = name in json ? check(json[name]) : "present";
    if (problem !== undefined) return `"${name}" must be ${problem}`;
  }
  for (const [name, check] of Object.entries(shape.optional)) {
    const problem = name in json ? check(json[name]) : undefined;
    if (problem !== undefined) return `"${name}" must be ${problem}`;
  }
  return undefined;
}

// {"type":"gap","channel":C,"fromSeq":F,"toSeq":T} with F <= T, or {"type":"gap","pushes":N}; a frame with
// both "channel" and "pushes", or neither, is malformed.
function gapProblem(json: Json): string | undefined {
  const hasChannel = "channel" in json;
  if (hasChannel === "pushes" in json) return 'must have either "channel" (with "fromSeq" and "toSeq") or "pushes"';
  const problem = misfit(json, hasChannel ? gapShapes.channel : gapShapes.pushes);
  if (problem !== undefined) return problem;
  if (hasChannel && (json.fromSeq as number) > (json.toSeq as number)) return '"fromSeq" must be <= "toSeq"';
  return undefined;
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
  if (type !== "gap" && !hasShape(type)) return { kind: "unknown", type };
  const problem = type === "gap" ? gapProblem(json) : misfit(json, shapes[type]);
  if (problem !== undefined) return { kind: "malformed", problem: `${type} frame: ${problem}` };
  // Every field the type declares was checked above; the rest of the object is ignored by its readers.
  return { kind: "frame", frame: json as unknown as ServerFrame };
}
