/**
 * The protocol adapter contract: decode one upstream chunk (or a whole non-streaming body) into
 * `StreamEvent`s, and encode corrected parts back into a copy of the same chunk, keeping every
 * other field and the key order.
 * @module
 */
import type { Channel, Protocol, StreamEvent, ToolCall } from "../types.ts";

/** A parsed JSON object as it came from the upstream. */
export type JsonObject = Record<string, unknown>;

/** Where a value lives inside a chunk, e.g. `["choices", 0, "delta", "content"]`. */
export type Path = readonly (string | number)[];

/** What the corrector changes in a chunk. A present key replaces the chunk's field. */
export interface FramePatch {
  content?: string;
  thinking?: string;
  /** Calls to carry instead of the chunk's own (`[]` removes them). */
  toolCalls?: readonly ToolCall[];
  /** A new done/finish reason (only applied to a chunk that is final). */
  done?: string;
}

/** Everything the corrector needs to know about one route's wire shape. */
export interface Adapter {
  readonly protocol: Protocol;
  readonly framing: "ndjson" | "sse";
  /** Channels this shape has a field for; text moved to another channel is dropped. */
  readonly channels: readonly Channel[];
  /** Sent after an early final chunk (OpenAI `[DONE]`); "" when the protocol has none. */
  readonly trailer: string;
  /** Events of one streamed chunk: text per channel, tool calls (or fragments), done. */
  decode(chunk: JsonObject): StreamEvent[];
  /** A copy of `chunk` with `patch` applied. */
  encode(chunk: JsonObject, patch: FramePatch): JsonObject;
  /** True when the chunk carries nothing beyond the text and tool-call fields (may be dropped). */
  bare(chunk: JsonObject): boolean;
  /** A final chunk with done reason "stop", built from any chunk of the same stream. */
  finish(template: JsonObject): JsonObject;
  /** The wire text of one chunk. */
  serialize(chunk: JsonObject): string;
  /** Events of a non-streaming body. */
  decodeWhole(body: JsonObject): StreamEvent[];
  /** A copy of a non-streaming body with `patch` applied. */
  encodeWhole(body: JsonObject, patch: FramePatch): JsonObject;
}

/**
 * True for a plain JSON object.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isObject({}), true);
 * assert.equal(isObject([]), false);
 * ```
 */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The value at `path`, or undefined.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(getAt({ a: [{ b: 1 }] }, ["a", 0, "b"]), 1);
 * ```
 */
export function getAt(value: unknown, path: Path): unknown {
  let cur = value;
  for (const key of path) {
    if (typeof key === "number") cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = isObject(cur) ? cur[key] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Marks a key for removal in `setAt`. */
export const REMOVE: unique symbol = Symbol("remove");

/**
 * A copy of `obj` with `path` set (or removed with `REMOVE`); copies only along the path, keeps
 * the position of an existing key, appends a new one.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(setAt({ a: { b: 1, c: 2 } }, ["a", "b"], 5), { a: { b: 5, c: 2 } });
 * ```
 */
export function setAt<T>(obj: T, path: Path, value: unknown): T {
  const [key, ...rest] = path;
  if (key === undefined) return value as T;
  if (typeof key === "number") {
    const arr = Array.isArray(obj) ? [...obj] : [];
    arr[key] = setAt(arr[key], rest, value);
    return arr as T;
  }
  const copy: JsonObject = isObject(obj) ? { ...obj } : {};
  const next = rest.length === 0 ? value : setAt(copy[key], rest, value);
  if (next === REMOVE) delete copy[key];
  else copy[key] = next;
  return copy as T;
}

/** How a shape stores tool calls. */
export interface ToolShape {
  decode(list: unknown): ToolCall[];
  /** Wire items for `calls`; `originals` (the chunk's own list) keep their extra fields. */
  encode(calls: readonly ToolCall[], originals: unknown): unknown[];
}

/** Text and tool-call locations of a shape. */
export interface FieldMap {
  text: Partial<Record<Channel, Path>>;
  tools: { path: Path; shape: ToolShape } | null;
}

/**
 * Text and tool-call events at the places `fields` names.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   fieldEvents({ response: "hi" }, { text: { content: ["response"] }, tools: null }),
 *   [{ kind: "text", channel: "content", text: "hi" }],
 * );
 * ```
 */
export function fieldEvents(chunk: JsonObject, fields: FieldMap): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const channel of ["thinking", "content"] as const) {
    const path = fields.text[channel];
    const text = path ? getAt(chunk, path) : undefined;
    if (typeof text === "string" && text !== "") out.push({ kind: "text", channel, text });
  }
  if (fields.tools) {
    for (const call of fields.tools.shape.decode(getAt(chunk, fields.tools.path))) {
      out.push({ kind: "tool_call", call });
    }
  }
  return out;
}

/**
 * A copy of `chunk` with the patched text and tool calls at the places `fields` names.
 * Text for a channel the shape lacks is ignored.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const fields = { text: { content: ["response"] }, tools: null };
 * assert.deepEqual(patchFields({ response: "a", done: false }, fields, { content: "b" }),
 *   { response: "b", done: false });
 * ```
 */
export function patchFields(chunk: JsonObject, fields: FieldMap, patch: FramePatch): JsonObject {
  let out = chunk;
  for (const channel of ["content", "thinking"] as const) {
    const path = fields.text[channel];
    const text = patch[channel];
    if (path && text !== undefined) out = setAt(out, path, text);
  }
  if (fields.tools && patch.toolCalls !== undefined) {
    const { path, shape } = fields.tools;
    const items = patch.toolCalls.length === 0
      ? REMOVE
      : shape.encode(patch.toolCalls, getAt(chunk, path));
    if (items !== REMOVE || getAt(chunk, path) !== undefined) out = setAt(out, path, items);
  }
  return out;
}
