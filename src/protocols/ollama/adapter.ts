/**
 * Ollama native shapes: `/api/chat` (`message.content`, `message.thinking`, `message.tool_calls`
 * with object arguments) and `/api/generate` (`response`, `thinking`), as NDJSON lines or one
 * JSON body.
 * @module
 */
import type { StreamEvent, ToolCall } from "../../types.ts";
import {
  type Adapter,
  fieldEvents,
  type FieldMap,
  isObject,
  type JsonObject,
  patchFields,
  REMOVE,
  setAt,
  type ToolShape,
} from "../adapter.ts";
import { ndjsonLine } from "../framing/ndjson.ts";

function parseObject(text: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** `message.tool_calls`: whole calls, `arguments` an object (text in `ToolCall`). */
const ollamaCalls: ToolShape = {
  decode(list) {
    if (!Array.isArray(list)) return [];
    return list.flatMap((item, index): ToolCall[] => {
      if (!isObject(item) || !isObject(item.function)) return [];
      const { name, arguments: args } = item.function;
      return [{
        index,
        name: typeof name === "string" ? name : "",
        arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
      }];
    });
  },
  encode(calls, originals) {
    return calls.map((call) => {
      const original = Array.isArray(originals) ? originals[call.index] : undefined;
      const base = isObject(original) ? original : {};
      const fn = isObject(base.function) ? base.function : {};
      const args = parseObject(call.arguments) ?? (isObject(fn.arguments) ? fn.arguments : {});
      return { ...base, function: { ...fn, name: call.name, arguments: args } };
    });
  },
};

function doneOf(chunk: JsonObject): StreamEvent[] {
  if (chunk.done !== true) return [];
  const reason = chunk.done_reason;
  return [{ kind: "done", reason: typeof reason === "string" ? reason : "stop" }];
}

function withDone(chunk: JsonObject, done: string | undefined): JsonObject {
  return done !== undefined && chunk.done === true ? setAt(chunk, ["done_reason"], done) : chunk;
}

function shape(fields: FieldMap, finish: (template: JsonObject) => JsonObject): Adapter {
  return {
    protocol: "ollama",
    framing: "ndjson",
    channels: Object.keys(fields.text) as Adapter["channels"],
    trailer: "",
    decode: (chunk) => [...fieldEvents(chunk, fields), ...doneOf(chunk)],
    encode: (chunk, patch) => withDone(patchFields(chunk, fields, patch), patch.done),
    bare: (chunk) => chunk.done !== true && chunk.error === undefined,
    finish: (template) => setAt(setAt(finish(template), ["done"], true), ["done_reason"], "stop"),
    serialize: ndjsonLine,
    decodeWhole: (body) => [...fieldEvents(body, fields), ...doneOf(body)],
    encodeWhole: (body, patch) => withDone(patchFields(body, fields, patch), patch.done),
  };
}

/**
 * `/api/chat`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   ollamaChat.decode({ message: { role: "assistant", content: "hi" }, done: false }),
 *   [{ kind: "text", channel: "content", text: "hi" }],
 * );
 * ```
 */
export const ollamaChat: Adapter = shape(
  {
    text: { content: ["message", "content"], thinking: ["message", "thinking"] },
    tools: { path: ["message", "tool_calls"], shape: ollamaCalls },
  },
  (template) => setAt(template, ["message"], { role: "assistant", content: "" }),
);

/**
 * `/api/generate`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(ollamaGenerate.decode({ response: "hi", done: false }), [{
 *   kind: "text",
 *   channel: "content",
 *   text: "hi",
 * }]);
 * ```
 */
export const ollamaGenerate: Adapter = shape(
  { text: { content: ["response"], thinking: ["thinking"] }, tools: null },
  (template) => setAt(setAt(template, ["response"], ""), ["thinking"], REMOVE),
);
