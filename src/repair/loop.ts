/**
 * `tool_call_loop`: an agent stuck calling the same tool with the same arguments. The request's
 * history (earlier assistant tool calls and the tool results that answered them) shows how often
 * a call was already made; when the same call (name and arguments, compared as parsed JSON) got
 * the same result `limit` times, a new identical call is a loop. With action `correct` the call
 * is replaced by a short text answer saying so (never dropped silently).
 * @module
 */
import type { Detection, PastCall } from "../detection.ts";
import type { ToolCall } from "../types.ts";

/** How many identical calls with identical results make the next one a loop, by default. */
export const DEFAULT_LOOP_LIMIT = 3;

/** Most history messages read (a bound on hostile input). */
const MAX_MESSAGES = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Text to emit as is, on the work stack of {@link stable} beside values still to write. */
class Piece {
  constructor(readonly text: string) {}
}

/**
 * Stable JSON: object keys sorted at every level. Iterative (a work stack, no recursion), so
 * arguments nested 100,000 deep cost their size and cannot overflow the call stack.
 */
function stable(value: unknown): string {
  const out: string[] = [];
  const work: unknown[] = [value];
  while (work.length > 0) {
    const v = work.pop();
    if (v instanceof Piece) out.push(v.text);
    else if (Array.isArray(v)) {
      work.push(new Piece("]"));
      for (let i = v.length - 1; i >= 0; i--) work.push(v[i], new Piece(i > 0 ? "," : ""));
      work.push(new Piece("["));
    } else if (isRecord(v)) {
      const keys = Object.keys(v).sort();
      work.push(new Piece("}"));
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        work.push(v[key], new Piece(`${i > 0 ? "," : ""}${JSON.stringify(key)}:`));
      }
      work.push(new Piece("{"));
    } else out.push(JSON.stringify(v) ?? "null");
  }
  return out.join("");
}

/**
 * Canonical form of call arguments (a JSON text or an object).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(argumentsKey('{"b":1,"a":2}'), argumentsKey({ a: 2, b: 1 }));
 * ```
 */
export function argumentsKey(args: unknown): string {
  if (typeof args !== "string") return stable(args ?? {});
  try {
    return stable(JSON.parse(args));
  } catch {
    return args.trim();
  }
}

/** Text of a message's content (a string or an array of text parts). */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p) => (isRecord(p) && typeof p.text === "string" ? p.text : "")).join("");
}

/**
 * The tool calls of a chat request's history with their results: OpenAI (`tool_calls` with ids,
 * `role: "tool"` messages with `tool_call_id`) and Ollama (`tool_calls` without ids, the tool
 * messages that follow answer them in order).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(pastCalls({ messages: [
 *   { role: "assistant", tool_calls: [{ function: { name: "ls", arguments: {} } }] },
 *   { role: "tool", content: "a.ts" },
 * ] }), [{ name: "ls", key: "{}", result: "a.ts" }]);
 * ```
 */
export function pastCalls(body: unknown): PastCall[] {
  if (!isRecord(body) || !Array.isArray(body.messages)) return [];
  const out: PastCall[] = [];
  const byId = new Map<string, PastCall>();
  let unanswered: PastCall[] = [];
  for (const m of body.messages.slice(0, MAX_MESSAGES)) {
    if (!isRecord(m)) continue;
    if (m.role === "assistant" && Array.isArray(m.tool_calls)) {
      unanswered = [];
      for (const c of m.tool_calls) {
        if (!isRecord(c)) continue;
        const fn = isRecord(c.function) ? c.function : c;
        if (typeof fn.name !== "string") continue;
        const call: PastCall = { name: fn.name, key: argumentsKey(fn.arguments), result: null };
        out.push(call);
        if (typeof c.id === "string") byId.set(c.id, call);
        else unanswered.push(call);
      }
    } else if (m.role === "tool" || m.role === "function") {
      const id = typeof m.tool_call_id === "string" ? m.tool_call_id : null;
      const call = id !== null ? byId.get(id) : unanswered.shift();
      if (call !== undefined) call.result = textOf(m.content);
    }
  }
  return out;
}

/**
 * The loop detection for `call`, or null: the history holds at least `limit` calls with the same
 * name and arguments, all answered with the same result.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const history = [1, 2, 3].map(() => ({ name: "ls", key: "{}", result: "a.ts" }));
 * const call = { index: 0, name: "ls", arguments: "{}" };
 * assert.equal(repeatedCall(call, history, 3)?.type, "tool_call_loop");
 * assert.equal(repeatedCall(call, history.slice(1), 3), null);
 * ```
 */
export function repeatedCall(
  call: ToolCall,
  history: readonly PastCall[],
  limit = DEFAULT_LOOP_LIMIT,
): Detection | null {
  if (limit < 1 || history.length < limit) return null;
  const key = argumentsKey(call.arguments);
  const same = history.filter((h) => h.name === call.name && h.key === key);
  if (same.length < limit) return null;
  const result = same[same.length - 1]?.result ?? null;
  if (result === null || !same.slice(-limit).every((h) => h.result === result)) return null;
  const times = same.length;
  return {
    type: "tool_call_loop",
    start: 0,
    end: 0,
    found: `${call.name}(${call.arguments})`,
    replacement: `I have already called \`${call.name}\` with these arguments ${times} times and ` +
      "got the same result each time, so I am not calling it again. I will use that result " +
      "or try a different approach.",
    confidence: Math.min(0.99, 0.8 + 0.05 * (times - limit)),
    reason: `"${call.name}" was called ${times} times with the same arguments and the same ` +
      "result: a tool-call loop",
  };
}
