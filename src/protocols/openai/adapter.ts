/**
 * OpenAI-compatible shapes: `/v1/chat/completions` and `/v1/completions`, streamed as SSE
 * `data:` events ending with `[DONE]`, or as one JSON body.
 * @module
 */
import type { StreamEvent, ToolCall } from "../../types.ts";
import {
  type Adapter,
  fieldEvents,
  type FieldMap,
  getAt,
  isObject,
  type JsonObject,
  patchFields,
  REMOVE,
  setAt,
  type ToolShape,
} from "../adapter.ts";
import { sseEvent } from "../framing/sse.ts";

function callOf(item: unknown, position: number): ToolCall | null {
  if (!isObject(item)) return null;
  const fn = isObject(item.function) ? item.function : {};
  const args = fn.arguments;
  const call: ToolCall = {
    index: typeof item.index === "number" ? item.index : position,
    name: typeof fn.name === "string" ? fn.name : "",
    arguments: typeof args === "string" ? args : args === undefined ? "" : JSON.stringify(args),
  };
  if (typeof item.id === "string") call.id = item.id;
  return call;
}

function decodeCalls(list: unknown): ToolCall[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i) => callOf(item, i) ?? []);
}

function itemOf(call: ToolCall, original: unknown, withIndex: boolean): JsonObject {
  const base: JsonObject = isObject(original)
    ? original
    : withIndex
    ? { index: call.index, id: call.id ?? "", type: "function" }
    : { id: call.id ?? "", type: "function" };
  const fn = isObject(base.function) ? base.function : {};
  return { ...base, function: { ...fn, name: call.name, arguments: call.arguments } };
}

/** Streamed `delta.tool_calls`: fragments joined by `index`; corrected calls go out whole. */
const deltaCalls: ToolShape = {
  decode: decodeCalls,
  encode: (calls) => calls.map((c) => itemOf(c, undefined, true)),
};

/** `message.tool_calls` of a non-streaming body. */
const messageCalls: ToolShape = {
  decode: decodeCalls,
  encode: (calls, originals) =>
    calls.map((c) => itemOf(c, Array.isArray(originals) ? originals[c.index] : undefined, false)),
};

const choice = ["choices", 0] as const;
const finishReason = [...choice, "finish_reason"] as const;
const choiceIndex = [...choice, "index"] as const;

/** The text and tool-call events of `chunk`, then its done event if it has a finish reason. */
function eventsOf(chunk: JsonObject, fields: FieldMap): StreamEvent[] {
  const events = fieldEvents(chunk, fields);
  const reason = getAt(chunk, finishReason);
  if (typeof reason === "string") events.push({ kind: "done", reason });
  return events;
}

/** False for a chunk of another choice than the first (`n` > 1): carried through untouched. */
function firstChoice(chunk: JsonObject): boolean {
  const index = getAt(chunk, choiceIndex);
  return index === undefined || index === 0;
}

function shape(
  stream: FieldMap,
  whole: FieldMap,
  finishDelta: readonly [string, unknown],
): Adapter {
  const withDone = (chunk: JsonObject, done: string | undefined) =>
    done !== undefined && typeof getAt(chunk, finishReason) === "string"
      ? setAt(chunk, finishReason, done)
      : chunk;
  return {
    protocol: "openai",
    framing: "sse",
    channels: Object.keys(stream.text) as Adapter["channels"],
    trailer: "data: [DONE]\n\n",
    decode: (chunk) => firstChoice(chunk) ? eventsOf(chunk, stream) : [],
    encode: (chunk, patch) => withDone(patchFields(chunk, stream, patch), patch.done),
    bare(chunk) {
      const choices = chunk.choices;
      if (!Array.isArray(choices) || choices.length !== 1) return false;
      const c = choices[0];
      if (!isObject(c) || (c.finish_reason ?? null) !== null) return false;
      if ((chunk.usage ?? null) !== null) return false;
      return !isObject(c.delta) || c.delta.role === undefined;
    },
    finish(template) {
      let out = setAt(template, [...choice, finishDelta[0]], finishDelta[1]);
      out = setAt(out, finishReason, "stop");
      return setAt(out, ["usage"], REMOVE);
    },
    serialize: (chunk) => sseEvent(JSON.stringify(chunk)),
    decodeWhole: (body) => eventsOf(body, whole),
    encodeWhole: (body, patch) => withDone(patchFields(body, whole, patch), patch.done),
  };
}

/**
 * `/v1/chat/completions`: `delta.content`, `delta.reasoning_content`, `delta.tool_calls`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   openaiChat.decode({ choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }] }),
 *   [{ kind: "text", channel: "content", text: "hi" }],
 * );
 * ```
 */
export const openaiChat: Adapter = shape(
  {
    text: {
      content: [...choice, "delta", "content"],
      thinking: [...choice, "delta", "reasoning_content"],
    },
    tools: { path: [...choice, "delta", "tool_calls"], shape: deltaCalls },
  },
  {
    text: {
      content: [...choice, "message", "content"],
      thinking: [...choice, "message", "reasoning_content"],
    },
    tools: { path: [...choice, "message", "tool_calls"], shape: messageCalls },
  },
  ["delta", {}],
);

/**
 * `/v1/completions`: `choices[0].text`, no reasoning channel, no tool calls.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   openaiCompletions.decode({ choices: [{ text: "hi", index: 0, finish_reason: "stop" }] }),
 *   [{ kind: "text", channel: "content", text: "hi" }, { kind: "done", reason: "stop" }],
 * );
 * ```
 */
export const openaiCompletions: Adapter = shape(
  { text: { content: [...choice, "text"] }, tools: null },
  { text: { content: [...choice, "text"] }, tools: null },
  ["text", ""],
);
