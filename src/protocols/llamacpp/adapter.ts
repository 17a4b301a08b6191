/**
 * llama.cpp native `/completion`: `content` per SSE event (no `[DONE]`), the last event has
 * `stop: true` and `stop_type`; or one JSON body.
 * @module
 */
import type { StreamEvent } from "../../types.ts";
import {
  type Adapter,
  fieldEvents,
  type FieldMap,
  type JsonObject,
  patchFields,
} from "../adapter.ts";
import { sseEvent } from "../framing/sse.ts";

const fields: FieldMap = { text: { content: ["content"] }, tools: null };

const reasons: Record<string, string> = { eos: "stop", word: "stop", limit: "length" };

function doneOf(chunk: JsonObject): StreamEvent[] {
  if (chunk.stop !== true) return [];
  const type = typeof chunk.stop_type === "string" ? chunk.stop_type : "eos";
  return [{ kind: "done", reason: reasons[type] ?? type }];
}

/**
 * `/completion` of llama-server. No reasoning channel and no tool calls in this shape.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(llamacppCompletion.decode({ index: 0, content: "hi", stop: false }), [{
 *   kind: "text",
 *   channel: "content",
 *   text: "hi",
 * }]);
 * ```
 */
export const llamacppCompletion: Adapter = {
  protocol: "llamacpp",
  framing: "sse",
  channels: ["content"],
  trailer: "",
  decode: (chunk) => [...fieldEvents(chunk, fields), ...doneOf(chunk)],
  encode: (chunk, patch) => patchFields(chunk, fields, patch),
  bare: (chunk) => chunk.stop !== true && chunk.error === undefined,
  finish: (template) => ({ ...template, content: "", tokens: [], stop: true, stop_type: "eos" }),
  serialize: (chunk) => sseEvent(JSON.stringify(chunk)),
  decodeWhole: (body) => [...fieldEvents(body, fields), ...doneOf(body)],
  encodeWhole: (body, patch) => patchFields(body, fields, patch),
};
