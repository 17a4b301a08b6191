/**
 * Building model-server bodies: a paced streaming body, Ollama NDJSON chat lines, OpenAI SSE chat
 * events. Used by the scripted model of `hotpatch demo` and by the tests' fake upstream.
 * @module
 */

/**
 * A streaming body that sends `chunks` one by one, `delayMs` apart; counts cancellation.
 * `failAfter` makes the stream error after that many chunks (a dying upstream).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(await new Response(chunkedBody(["a\n", "b\n"], { delayMs: 5 })).text(), "a\nb\n");
 * ```
 */
export function chunkedBody(
  chunks: string[],
  opts: { delayMs?: number; failAfter?: number; onCancel?: () => void } = {},
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      if (opts.failAfter !== undefined && i >= opts.failAfter) {
        ctrl.error(new Error("upstream died"));
        return;
      }
      if (i >= chunks.length) {
        ctrl.close();
        return;
      }
      if (opts.delayMs && i > 0) await new Promise((r) => setTimeout(r, opts.delayMs));
      ctrl.enqueue(enc.encode(chunks[i++]));
    },
    cancel() {
      opts.onCancel?.();
    },
  }, { highWaterMark: 0 });
}

const CREATED = "2026-11-26T10:00:00.000000000Z";

/**
 * Ollama `/api/chat` NDJSON lines for the given content pieces, ending with a done line.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = ollamaChatLines(["Hel", "lo"]);
 * assert.deepEqual(lines.map((l) => JSON.parse(l).done), [false, false, true]);
 * ```
 */
export function ollamaChatLines(pieces: string[], model = "qwen2.5-coder"): string[] {
  const lines = pieces.map((content) =>
    JSON.stringify({
      model,
      created_at: CREATED,
      message: { role: "assistant", content },
      done: false,
    }) + "\n"
  );
  lines.push(
    JSON.stringify({
      model,
      created_at: CREATED,
      message: { role: "assistant", content: "" },
      done_reason: "stop",
      done: true,
      total_duration: 123456789,
      load_duration: 1234567,
      prompt_eval_count: 26,
      prompt_eval_duration: 2345678,
      eval_count: pieces.length,
      eval_duration: 98765432,
    }) + "\n",
  );
  return lines;
}

/** A tool call as an OpenAI streaming chunk writes it (arguments as raw text). */
export interface WireCall {
  name: string;
  arguments: string;
}

/**
 * OpenAI `/v1/chat/completions` SSE events: content pieces, then tool calls (one fragment each),
 * then the final chunk and `[DONE]`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const events = openaiChatEvents(["Hi"], [], "qwen3");
 * const text = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)).choices[0].delta.content);
 * assert.equal(text.join(""), "Hi");
 * assert.equal(events.at(-1), "data: [DONE]\n\n");
 * ```
 */
export function openaiChatEvents(pieces: string[], calls: WireCall[], model: string): string[] {
  const base = { id: "chatcmpl-demo", object: "chat.completion.chunk", created: 1764150000, model };
  const event = (delta: unknown, finish: string | null) =>
    `data: ${
      JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })
    }\n\n`;
  const out = [event({ role: "assistant", content: "" }, null)];
  for (const content of pieces) out.push(event({ content }, null));
  calls.forEach((c, index) =>
    out.push(event({
      tool_calls: [{
        index,
        id: `call_demo${index}`,
        type: "function",
        function: { name: c.name, arguments: c.arguments },
      }],
    }, null))
  );
  out.push(event({}, calls.length > 0 ? "tool_calls" : "stop"), "data: [DONE]\n\n");
  return out;
}

/**
 * Text cut into pieces of 1-`max` characters (deterministic), as a model streams tokens.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(pieces("hello world", 4), ["hell", "o wo", "rld"]);
 * ```
 */
export function pieces(text: string, max = 6): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += max) out.push(text.slice(i, i + max));
  return out;
}
