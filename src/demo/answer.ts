/**
 * A model answer read back from its wire body (streamed or whole), as a person would read it:
 * the text, the reasoning, the tool calls.
 * @module
 */
import { FragmentJoiner } from "../chain/toolcalls.ts";
import { isObject } from "../protocols/adapter.ts";
import { adapterFor } from "../protocols/mod.ts";
import { NdjsonFramer } from "../protocols/framing/ndjson.ts";
import { SseFramer } from "../protocols/framing/sse.ts";
import type { RouteKind } from "../protocols/routes.ts";
import type { StreamEvent, ToolCall } from "../types.ts";
import { quoteShort } from "../observe/describe.ts";

/** What an answer says. */
export interface Answer {
  content: string;
  thinking: string;
  calls: ToolCall[];
  /** The final done / finish reason, "" when none came. */
  done: string;
}

function parsed(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * The answer in `body` (the bytes of a response of route `kind`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(
 *   readAnswer("ollama_chat", '{"message":{"content":"hi"},"done":true}\n', true).content,
 *   "hi",
 * );
 * ```
 */
export function readAnswer(kind: RouteKind, body: string, streamed: boolean): Answer {
  const adapter = adapterFor(kind);
  const events: StreamEvent[] = [];
  const joiner = new FragmentJoiner();
  const calls: ToolCall[] = [];
  if (!streamed) {
    const whole = parsed(body);
    if (whole !== null) events.push(...adapter.decodeWhole(whole));
  } else {
    const framer = adapter.framing === "sse" ? new SseFramer() : new NdjsonFramer();
    const frames = [...framer.push(new TextEncoder().encode(body)), ...framer.end()];
    for (const f of frames) {
      const chunk = f.data === null ? null : parsed(f.data);
      if (chunk !== null) events.push(...adapter.decode(chunk));
    }
  }
  const answer: Answer = { content: "", thinking: "", calls, done: "" };
  for (const e of events) {
    if (e.kind === "text") answer[e.channel] += e.text;
    else if (e.kind === "done") answer.done = e.reason;
    else if (e.kind === "tool_call") {
      if (streamed && adapter.protocol === "openai") calls.push(...joiner.add(e.call, {}));
      else calls.push(e.call);
    }
  }
  calls.push(...joiner.drain());
  return answer;
}

/**
 * The answer as a few indented lines for a terminal.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   showAnswer({ content: "hi", thinking: "", calls: [], done: "stop" }),
 *   '    "hi"',
 * );
 * ```
 */
export function showAnswer(a: Answer): string {
  const lines: string[] = [];
  if (a.thinking !== "") lines.push(`reasoning: ${quoteShort(a.thinking, 200)}`);
  if (a.content !== "") lines.push(quoteShort(a.content, 200));
  for (const c of a.calls) lines.push(`tool call: ${c.name}(${c.arguments})`);
  if (lines.length === 0) lines.push("(empty)");
  return lines.map((l) => "    " + l).join("\n");
}
