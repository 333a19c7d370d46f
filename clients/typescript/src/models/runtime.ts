// Runtime of the TypeScript models that switchboard-gen writes (see docs/models.md, "Wire encoding").
//
// Generated model files import this module as `../runtime.js`: generate into a folder beside this file (for
// example `src/models/generated/`). It holds everything that does not depend on a particular model: the error
// types, field paths, and one encoder and one decoder per scalar, container, vector and enum encoding. The
// generated code composes them; it holds the data (types, field lists) and the dispatch tables only.
//
// Conventions shared by every function here:
// - A decoder takes the JSON value (as `JSON.parse` gives it) and the path of that value from the root of the
//   model's `data` ("" for the root), and returns the TypeScript value or throws a DecodeError naming the path.
// - An encoder takes the TypeScript value and its path and returns a JSON-ready value (`JSON.stringify` writes
//   the wire form), or throws an EncodeError when the value cannot be put on the wire (NaN, 2^60 as an int).
// - No function keeps a reference to its input; decoded values share nothing with the JSON.
//
// Representation decisions (documented in docs/models.md's TypeScript notes):
// - `int` is a `number` and must be a safe integer (|n| <= 2^53 - 1). 64-bit values beyond that cannot be held
//   exactly by a JavaScript number (and `JSON.parse` has already rounded them), so the decoder rejects them
//   rather than return a wrong number. Use `BigInt` in the YAML for larger values.
// - `double` is a `number`. JSON.stringify writes an integral double as `2`, where Dart writes `2.0`; both
//   decode to the same double on every side (Serverpod and Switchboard accept integers for doubles).
// - `DateTime` is a `Date` (millisecond precision, UTC on the wire). `Duration` is a `number` of milliseconds.
// - `ByteData` is a `Uint8Array`; `UuidValue` and `Uri` are `string`s; `BigInt` is a `bigint`.
// - `List<T>` is `T[]`, `Set<T>` is `Set<T>`, `Map<K, V>` is `Map<K, V>` (also for String keys).
// - A record is an object: positional fields are `$1`, `$2`, ... (as in Dart), named fields by their name.
// - `Vector(n)` / `HalfVector(n)` are `number[]`, `SparseVector(n)` is a `SparseVector`, `Bit(n)` is `boolean[]`.
// - A nullable value is `T | null`; an optional object field may also be left `undefined`. Decoders always
//   produce `null` for a null or absent nullable field; encoders omit such fields.

// ---- errors and paths -----------------------------------------------------------------------------------------

// Thrown by every decoder: `path` locates the failing value from the root of the model's data
// (e.g. `attachments[2].fileName`), `expected` names the type that was wanted, `got` what was found.
export class DecodeError extends Error {
  readonly path: string;
  readonly expected: string;
  readonly got: string;

  // `message` replaces the standard "expected X, got Y" text when a plainer sentence says it better.
  constructor(path: string, expected: string, got: string, message?: string) {
    super(`${path === "" ? "(root)" : path}: ${message ?? `expected ${expected}, got ${got}`}`);
    this.name = "DecodeError";
    this.path = path;
    this.expected = expected;
    this.got = got;
  }
}

// Thrown by an encoder for a value that has no wire form (a non-finite double, an int that is not a safe
// integer, an invalid Date, a subclass tag that names no known class). A programmer error, as in Dart.
export class EncodeError extends Error {
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path === "" ? "(root)" : path}: ${message}`);
    this.name = "EncodeError";
    this.path = path;
  }
}

// The path of field `name` of the object at `path`.
export function key(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}

// The path of element `i` of the array at `path`.
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

// The path of the value under string key `k` of the map at `path`: `tags{"k"}`.
export function mapKey(path: string, k: string): string {
  return `${path}{${JSON.stringify(k)}}`;
}

// What a JSON value is, for error messages: null, boolean, number, string, array or object.
export function describe(json: unknown): string {
  if (json === null || json === undefined) return "null";
  if (Array.isArray(json)) return "array";
  return typeof json;
}

function fail(path: string, expected: string, json: unknown): never {
  throw new DecodeError(path, expected, describe(json));
}

// ---- the envelope ----------------------------------------------------------------------------------------------

// A value on the wire with its class name: `{"className": ..., "data": ...}` (docs/protocol.md).
export interface Envelope<N extends string = string> {
  className: N;
  data: unknown;
}

// One entry of a generated registry: how to encode and decode the model with that className.
export interface ModelCodec<T> {
  encode(value: T, path?: string): unknown;
  decode(json: unknown, path?: string): T;
}

// Reads the envelope of a model message; the registry lookup is the generated index's job.
export function readEnvelope(json: unknown): Envelope {
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("", "{className, data} object", json);
  const o = json as Record<string, unknown>;
  const className = o["className"];
  if (typeof className !== "string" || className === "") fail("className", "non-empty string", className);
  if (!("data" in o)) fail("data", "a value", undefined);
  return { className, data: o["data"] };
}

// ---- objects ------------------------------------------------------------------------------------------------------

// The JSON object of a class or exception, or a DecodeError "expected <typeName>".
export function expectObject(json: unknown, path: string, typeName: string): Record<string, unknown> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail(path, typeName, json);
  return json as Record<string, unknown>;
}

// The error for a `__className__` that is not `typeName` or one of its subclasses.
export function badClassName(tag: unknown, path: string, typeName: string): never {
  const where = key(path, "__className__");
  if (typeof tag === "string") {
    throw new DecodeError(where, `${typeName} or a subclass`, JSON.stringify(tag),
                          `${JSON.stringify(tag)} is not a ${typeName}`);
  }
  fail(where, `the name of a ${typeName} subclass`, tag);
}

// Encoding side of the same mistake: a union value whose `__className__` is no known class.
export function badClassTag(tag: unknown, path: string, typeName: string): never {
  throw new EncodeError(key(path, "__className__"), `${JSON.stringify(tag)} is not a ${typeName}`);
}

// ---- scalars ---------------------------------------------------------------------------------------------------

export function decodeBool(json: unknown, path: string): boolean {
  if (typeof json !== "boolean") fail(path, "bool", json);
  return json;
}

export function encodeBool(value: boolean, path: string): boolean {
  if (typeof value !== "boolean") throw new EncodeError(path, `expected bool, got ${describe(value)}`);
  return value;
}

export function decodeInt(json: unknown, path: string): number {
  if (typeof json !== "number") fail(path, "int", json);
  if (!Number.isInteger(json)) throw new DecodeError(path, "int", `non-integer number ${json}`);
  if (!Number.isSafeInteger(json)) {
    throw new DecodeError(path, "int within ±(2^53-1) (JavaScript numbers are not exact beyond)", `${json}`);
  }
  return json;
}

export function encodeInt(value: number, path: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new EncodeError(path, `int must be a safe integer (|n| <= 2^53-1), got ${String(value)}`);
  }
  return value;
}

export function decodeDouble(json: unknown, path: string): number {
  // JSON.parse never yields NaN or Infinity, so any number is a valid double (integers included).
  if (typeof json !== "number") fail(path, "double", json);
  return json;
}

export function encodeDouble(value: number, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new EncodeError(path, `double must be finite (JSON has no NaN or Infinity), got ${String(value)}`);
  }
  return value;
}

export function decodeString(json: unknown, path: string): string {
  if (typeof json !== "string") fail(path, "String", json);
  return json;
}

export function encodeString(value: string, path: string): string {
  if (typeof value !== "string") throw new EncodeError(path, `expected String, got ${describe(value)}`);
  return value;
}

// Dart's DateTime.parse forms: date, optional time with `T` or space, optional fraction, optional zone.
const DATE_TIME =
  /^([+-]?\d{4,6})-?(\d\d)-?(\d\d)(?:[T ](\d\d)(?::?(\d\d)(?::?(\d\d)(?:[.,](\d+))?)?)?( ?[zZ]| ?([+-])(\d\d)(?::?(\d\d))?)?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

// A DateTime string as Dart writes it (`2024-02-29T23:59:59.999Z`) or as DateTime.parse reads it. A string
// without a zone is taken as UTC. Fractions beyond milliseconds are truncated.
export function decodeDateTime(json: unknown, path: string): Date {
  if (typeof json !== "string") fail(path, "DateTime", json);
  const m = DATE_TIME.exec(json);
  if (m === null) throw new DecodeError(path, "DateTime (ISO 8601)", JSON.stringify(json));
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  const valid =
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    hour <= 23 && minute <= 59 && second <= 59;
  if (!valid) throw new DecodeError(path, "DateTime (a valid date and time)", JSON.stringify(json));
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const sign = m[9] === "-" ? -1 : 1;
    offsetMinutes = sign * (Number(m[10]) * 60 + (m[11] === undefined ? 0 : Number(m[11])));
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute - offsetMinutes, second, ms);
  if (Number.isNaN(d.getTime())) throw new DecodeError(path, "DateTime (within JavaScript's range)", JSON.stringify(json));
  return d;
}

export function encodeDateTime(value: Date, path: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new EncodeError(path, "DateTime must be a valid Date");
  }
  return value.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ, as Dart's toUtc().toIso8601String() at ms precision
}

// Duration: an integer number of milliseconds, possibly negative.
export function decodeDuration(json: unknown, path: string): number {
  if (typeof json !== "number" || !Number.isInteger(json)) fail(path, "Duration (integer milliseconds)", json);
  if (!Number.isSafeInteger(json)) throw new DecodeError(path, "Duration within ±(2^53-1) ms", `${json}`);
  return json;
}

export function encodeDuration(value: number, path: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new EncodeError(path, `Duration must be a safe integer number of milliseconds, got ${String(value)}`);
  }
  return value;
}

// atob / btoa exist in browsers and in Node 16+; reached through globalThis so that no DOM or Node typings
// are needed to compile this file.
const base64 = globalThis as unknown as { atob(data: string): string; btoa(data: string): string };

const BYTE_DATA_PREFIX = "decode('";
const BYTE_DATA_SUFFIX = "', 'base64')";
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// ByteData: `decode('<base64>', 'base64')`, Serverpod's format.
export function decodeByteData(json: unknown, path: string): Uint8Array {
  if (typeof json !== "string") fail(path, "ByteData", json);
  const inner = json.startsWith(BYTE_DATA_PREFIX) && json.endsWith(BYTE_DATA_SUFFIX) &&
      json.length >= BYTE_DATA_PREFIX.length + BYTE_DATA_SUFFIX.length
    ? json.slice(BYTE_DATA_PREFIX.length, json.length - BYTE_DATA_SUFFIX.length)
    : undefined;
  if (inner === undefined || !BASE64.test(inner)) {
    throw new DecodeError(path, "ByteData (decode('<base64>', 'base64'))", JSON.stringify(json));
  }
  const binary = base64.atob(inner);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeByteData(value: Uint8Array, path: string): string {
  if (!(value instanceof Uint8Array)) throw new EncodeError(path, "ByteData must be a Uint8Array");
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < value.length; i += CHUNK) {
    binary += String.fromCharCode(...value.subarray(i, i + CHUNK));
  }
  return `${BYTE_DATA_PREFIX}${base64.btoa(binary)}${BYTE_DATA_SUFFIX}`;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

// UuidValue: canonical 8-4-4-4-12 hex; either case is read, lower case is kept and written.
export function decodeUuid(json: unknown, path: string): string {
  if (typeof json !== "string") fail(path, "UuidValue", json);
  if (!UUID.test(json)) throw new DecodeError(path, "UuidValue (8-4-4-4-12 hex)", JSON.stringify(json));
  return json.toLowerCase();
}

export function encodeUuid(value: string, path: string): string {
  if (typeof value !== "string" || !UUID.test(value)) {
    throw new EncodeError(path, `UuidValue must be 8-4-4-4-12 hex, got ${JSON.stringify(value)}`);
  }
  return value.toLowerCase();
}

// Uri: kept as text (a relative URI is valid, so `URL` would not do).
export function decodeUri(json: unknown, path: string): string {
  if (typeof json !== "string") fail(path, "Uri", json);
  return json;
}

export function encodeUri(value: string, path: string): string {
  if (typeof value !== "string") throw new EncodeError(path, `expected Uri string, got ${describe(value)}`);
  return value;
}

const BIG_INT = /^[+-]?\d+$/;

// BigInt: a string of decimal digits with an optional sign; `+` and leading zeros are read and normalised.
export function decodeBigInt(json: unknown, path: string): bigint {
  if (typeof json !== "string") fail(path, "BigInt", json);
  if (!BIG_INT.test(json)) throw new DecodeError(path, "BigInt (decimal digits)", JSON.stringify(json));
  return BigInt(json.startsWith("+") ? json.slice(1) : json);
}

export function encodeBigInt(value: bigint, path: string): string {
  if (typeof value !== "bigint") throw new EncodeError(path, `expected bigint, got ${describe(value)}`);
  return value.toString();
}

// ---- containers ---------------------------------------------------------------------------------------------------

export function decodeList<T>(json: unknown, path: string, typeName: string,
                              element: (json: unknown, path: string) => T): T[] {
  if (!Array.isArray(json)) fail(path, typeName, json);
  const out: T[] = new Array<T>(json.length);
  for (let i = 0; i < json.length; i++) out[i] = element(json[i], index(path, i));
  return out;
}

export function encodeList<T>(value: readonly T[], path: string, element: (value: T, path: string) => unknown): unknown[] {
  if (!Array.isArray(value)) throw new EncodeError(path, `expected an array, got ${describe(value)}`);
  const out: unknown[] = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i++) out[i] = element(value[i] as T, index(path, i));
  return out;
}

// Set<T>: an array without duplicates. Duplicates are found on the wire form, so two equal Dates or objects
// are duplicates too (a JavaScript Set would hold both).
export function decodeSet<T>(json: unknown, path: string, typeName: string,
                             element: (json: unknown, path: string) => T): Set<T> {
  if (!Array.isArray(json)) fail(path, typeName, json);
  const seen = new Set<string>();
  const out = new Set<T>();
  for (let i = 0; i < json.length; i++) {
    const item = element(json[i], index(path, i));
    const wire = JSON.stringify(json[i]);
    if (seen.has(wire)) throw new DecodeError(index(path, i), `${typeName} without duplicates`, `duplicate ${wire}`);
    seen.add(wire);
    out.add(item);
  }
  return out;
}

export function encodeSet<T>(value: ReadonlySet<T>, path: string, element: (value: T, path: string) => unknown): unknown[] {
  if (!(value instanceof Set)) throw new EncodeError(path, `expected a Set, got ${describe(value)}`);
  const out: unknown[] = [];
  let i = 0;
  for (const item of value) out.push(element(item, index(path, i++)));
  return out;
}

// Map<String, V>: a JSON object.
export function decodeStringMap<V>(json: unknown, path: string, typeName: string,
                                   value: (json: unknown, path: string) => V): Map<string, V> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail(path, typeName, json);
  const out = new Map<string, V>();
  for (const [k, v] of Object.entries(json)) out.set(k, value(v, mapKey(path, k)));
  return out;
}

export function encodeStringMap<V>(map: ReadonlyMap<string, V>, path: string,
                                   value: (value: V, path: string) => unknown): Record<string, unknown> {
  if (!(map instanceof Map)) throw new EncodeError(path, `expected a Map, got ${describe(map)}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of map) {
    if (typeof k !== "string") throw new EncodeError(path, `Map<String, ...> key must be a string, got ${describe(k)}`);
    // defineProperty: a key "__proto__" must become an own property, not the prototype.
    Object.defineProperty(out, k, { value: value(v, mapKey(path, k)), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// Map<K, V> with K not String: an array of {"k": key, "v": value}.
export function decodeKeyedMap<K, V>(json: unknown, path: string, typeName: string,
                                     keyOf: (json: unknown, path: string) => K,
                                     value: (json: unknown, path: string) => V): Map<K, V> {
  if (!Array.isArray(json)) fail(path, typeName, json);
  const out = new Map<K, V>();
  for (let i = 0; i < json.length; i++) {
    const entryPath = index(path, i);
    const entry = expectObject(json[i], entryPath, "{k, v} map entry");
    if (!("k" in entry)) fail(key(entryPath, "k"), "map key", undefined);
    out.set(keyOf(entry["k"], key(entryPath, "k")), value(entry["v"], key(entryPath, "v")));
  }
  return out;
}

export function encodeKeyedMap<K, V>(map: ReadonlyMap<K, V>, path: string,
                                     keyOf: (value: K, path: string) => unknown,
                                     value: (value: V, path: string) => unknown): unknown[] {
  if (!(map instanceof Map)) throw new EncodeError(path, `expected a Map, got ${describe(map)}`);
  const out: unknown[] = [];
  let i = 0;
  for (const [k, v] of map) {
    const entryPath = index(path, i++);
    out.push({ k: keyOf(k, key(entryPath, "k")), v: value(v, key(entryPath, "v")) });
  }
  return out;
}

// ---- records -------------------------------------------------------------------------------------------------------

// The parts of a record on the wire: positional fields under "p", named ones under "n" (each only when the
// record type has such fields). Checks the count of positional fields; the caller decodes each.
export function readRecord(json: unknown, path: string, typeName: string,
                           positional: number, named: boolean): { p: unknown[]; n: Record<string, unknown> } {
  const o = expectObject(json, path, typeName);
  let p: unknown[] = [];
  let n: Record<string, unknown> = {};
  if (positional > 0) {
    const raw = o["p"];
    if (!Array.isArray(raw)) fail(key(path, "p"), `array of ${positional} positional fields`, raw);
    if (raw.length !== positional) {
      throw new DecodeError(key(path, "p"), `array of ${positional} positional fields`, `${raw.length}`);
    }
    p = raw;
  }
  if (named) n = expectObject(o["n"], key(path, "n"), "object of named fields");
  return { p, n };
}

// ---- enums ----------------------------------------------------------------------------------------------------------

// byName: the value's name. `fallback` is the enum's `default:`, used for an unknown name.
export function decodeEnumByName<E extends string>(json: unknown, path: string, typeName: string,
                                                   values: readonly E[], fallback?: E): E {
  if (typeof json !== "string") fail(path, typeName, json);
  if ((values as readonly string[]).includes(json)) return json as E;
  if (fallback !== undefined) return fallback;
  throw new DecodeError(path, `${typeName} (one of ${values.join(", ")})`, JSON.stringify(json));
}

export function encodeEnumByName<E extends string>(value: E, path: string, typeName: string, values: readonly E[]): string {
  if (!values.includes(value)) throw new EncodeError(path, `${JSON.stringify(value)} is not a ${typeName}`);
  return value;
}

// byIndex: the 0-based position of the value in the YAML.
export function decodeEnumByIndex<E extends string>(json: unknown, path: string, typeName: string,
                                                    values: readonly E[], fallback?: E): E {
  if (typeof json !== "number" || !Number.isInteger(json)) fail(path, `${typeName} (index)`, json);
  const value = values[json];
  if (value !== undefined) return value;
  if (fallback !== undefined) return fallback;
  throw new DecodeError(path, `${typeName} index 0..${values.length - 1}`, `${json}`);
}

export function encodeEnumByIndex<E extends string>(value: E, path: string, typeName: string, values: readonly E[]): number {
  const i = values.indexOf(value);
  if (i < 0) throw new EncodeError(path, `${JSON.stringify(value)} is not a ${typeName}`);
  return i;
}

// ---- vectors (pgvector) ---------------------------------------------------------------------------------------------

// A sparse vector: `dimensions` entries of which those at `indices` (0-based, ascending) are `values`.
export interface SparseVector {
  dimensions: number;
  indices: number[];
  values: number[];
}

// Vector(n) and HalfVector(n): an array of exactly n numbers.
export function decodeVector(json: unknown, path: string, typeName: string, dimensions: number): number[] {
  const out = decodeList(json, path, typeName, decodeDouble);
  if (out.length !== dimensions) throw new DecodeError(path, `${typeName} of ${dimensions} numbers`, `${out.length}`);
  return out;
}

export function encodeVector(value: readonly number[], path: string, typeName: string, dimensions: number): number[] {
  if (!Array.isArray(value) || value.length !== dimensions) {
    throw new EncodeError(path, `${typeName} must have ${dimensions} numbers`);
  }
  return value.map((x, i) => encodeDouble(x, index(path, i)));
}

// Dart's double.toString for the numbers inside a sparse vector's text: integral values keep `.0`.
function dartDouble(x: number): string {
  const s = String(x);
  return Number.isInteger(x) && !/[eE]/.test(s) ? `${s}.0` : s;
}

const SPARSE_VECTOR = /^\{((?:\d+:[^,{}/]+)(?:,\d+:[^,{}/]+)*)?\}\/(\d+)$/;

// SparseVector(n): `{i:v,...}/n`, indices 1-based and ascending, only non-zero entries.
export function decodeSparseVector(json: unknown, path: string, typeName: string, dimensions: number): SparseVector {
  if (typeof json !== "string") fail(path, typeName, json);
  const m = SPARSE_VECTOR.exec(json);
  const bad = (): never => { throw new DecodeError(path, `${typeName} ("{i:v,...}/${dimensions}")`, JSON.stringify(json)); };
  if (m === null) return bad();
  if (Number(m[2]) !== dimensions) return bad();
  const indices: number[] = [];
  const values: number[] = [];
  for (const part of m[1] === undefined ? [] : m[1].split(",")) {
    const [i, v] = part.split(":") as [string, string];
    const at = Number(i) - 1;
    const x = Number(v);
    if (at < 0 || at >= dimensions || !Number.isFinite(x) || v.trim() !== v || v === "" ||
        (indices.length > 0 && at <= (indices[indices.length - 1] as number))) {
      return bad();
    }
    indices.push(at);
    values.push(x);
  }
  return { dimensions, indices, values };
}

export function encodeSparseVector(value: SparseVector, path: string, typeName: string, dimensions: number): string {
  if (typeof value !== "object" || value === null || value.dimensions !== dimensions ||
      !Array.isArray(value.indices) || !Array.isArray(value.values) || value.indices.length !== value.values.length) {
    throw new EncodeError(path, `${typeName} must have dimensions ${dimensions} and as many indices as values`);
  }
  const parts: string[] = [];
  for (let k = 0; k < value.indices.length; k++) {
    const i = value.indices[k] as number;
    const x = value.values[k] as number;
    if (!Number.isInteger(i) || i < 0 || i >= dimensions || !Number.isFinite(x)) {
      throw new EncodeError(index(key(path, "indices"), k), `index must be 0..${dimensions - 1} with a finite value`);
    }
    if (x !== 0) parts.push(`${i + 1}:${dartDouble(x)}`);
  }
  return `{${parts.join(",")}}/${dimensions}`;
}

// Bit(n): a string of n characters `0` / `1`.
export function decodeBit(json: unknown, path: string, typeName: string, dimensions: number): boolean[] {
  if (typeof json !== "string") fail(path, typeName, json);
  if (json.length !== dimensions || !/^[01]*$/.test(json)) {
    throw new DecodeError(path, `${typeName} (${dimensions} characters 0/1)`, JSON.stringify(json));
  }
  return Array.from(json, (c) => c === "1");
}

export function encodeBit(value: readonly boolean[], path: string, typeName: string, dimensions: number): string {
  if (!Array.isArray(value) || value.length !== dimensions || value.some((b) => typeof b !== "boolean")) {
    throw new EncodeError(path, `${typeName} must be ${dimensions} booleans`);
  }
  return value.map((b) => (b ? "1" : "0")).join("");
}

// ---- defaults ----------------------------------------------------------------------------------------------------

// `default=random` for a UuidValue: a version 4 UUID.
export function randomUuidV4(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID !== undefined) return c.randomUUID();
  const b = randomBytes(16);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  return formatUuid(b);
}

// `default=random_v7` for a UuidValue: a version 7 UUID (48-bit Unix milliseconds, then random bits).
export function randomUuidV7(): string {
  const b = randomBytes(16);
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = ((b[6] as number) & 0x0f) | 0x70;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  return formatUuid(b);
}

function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues !== undefined) c.getRandomValues(b);
  else for (let i = 0; i < n; i++) b[i] = Math.floor(Math.random() * 256);
  return b;
}

function formatUuid(b: Uint8Array): string {
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- scalar codecs for scalar envelopes ({"className":"int","data":5}) ---------------------------------------------

export const scalarCodecs = {
  int: { encode: (v: number, p = "") => encodeInt(v, p), decode: (j: unknown, p = "") => decodeInt(j, p) },
  double: { encode: (v: number, p = "") => encodeDouble(v, p), decode: (j: unknown, p = "") => decodeDouble(j, p) },
  String: { encode: (v: string, p = "") => encodeString(v, p), decode: (j: unknown, p = "") => decodeString(j, p) },
  bool: { encode: (v: boolean, p = "") => encodeBool(v, p), decode: (j: unknown, p = "") => decodeBool(j, p) },
  DateTime: { encode: (v: Date, p = "") => encodeDateTime(v, p), decode: (j: unknown, p = "") => decodeDateTime(j, p) },
  ByteData: {
    encode: (v: Uint8Array, p = "") => encodeByteData(v, p),
    decode: (j: unknown, p = "") => decodeByteData(j, p),
  },
  Duration: { encode: (v: number, p = "") => encodeDuration(v, p), decode: (j: unknown, p = "") => decodeDuration(j, p) },
  UuidValue: { encode: (v: string, p = "") => encodeUuid(v, p), decode: (j: unknown, p = "") => decodeUuid(j, p) },
} as const;
