// A minimal, fast mock LLM server for the perf comparison (perf.ts, perf_bar.ts): no seeds, no byte re-cutting,
// bodies built once and cached, so the proxies in front of it are what the numbers show.
//
//   deno run -A --no-config perf_mock.ts --port P
//
// The request's `model` picks the shape, so every proxy carries it through unchanged:
//   "perf-n200-d0" = 200 content chunks, 0 ms before each one (default n32, d0).
// Routes: POST /v1/chat/completions (SSE when `stream` is true, else JSON; `stream` defaults to false),
// POST /api/chat (NDJSON when `stream` is not false, else JSON), any GET → 200 {"status":"ok"} (health),
// anything else 404. A stream is: (SSE) a role chunk, n content chunks of one word each, a finish chunk,
// `data: [DONE]`; (NDJSON) n content lines, a `done: true` line. Every event goes out as its own write.
import { parseArgs } from "node:util";
import { mockWords as words } from "./perf_lib.ts";

const { values: opts } = parseArgs({
  options: { port: { type: "string" }, host: { type: "string" } },
});
const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CREATED = 1795718397;

interface Shape {
  n: number;
  delay: number;
}
function shape(model: string): Shape {
  const n = /(?:^|-)n(\d+)/.exec(model)?.[1], d = /(?:^|-)d(\d+)/.exec(model)?.[1];
  return { n: Math.min(100000, n ? Number(n) : 32), delay: d ? Number(d) : 0 };
}

type Bytes = Uint8Array<ArrayBuffer>;
const cache = new Map<string, Bytes[] | Bytes>();
function cached<T extends Bytes[] | Bytes>(key: string, make: () => T): T {
  let v = cache.get(key) as T | undefined;
  if (!v) {
    v = make();
    if (cache.size > 64) cache.clear();
    cache.set(key, v);
  }
  return v;
}

function openaiEvents(model: string, n: number): Bytes[] {
  const env = (delta: unknown, finish: string | null) =>
    `data: ${
      JSON.stringify({
        id: "chatcmpl-perf",
        object: "chat.completion.chunk",
        created: CREATED,
        model,
        system_fingerprint: "perf",
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      })
    }\n\n`;
  return [
    env({ role: "assistant", content: "" }, null),
    ...words(n).map((w) => env({ content: w }, null)),
    env({}, "stop"),
    "data: [DONE]\n\n",
  ]
    .map((s) => enc.encode(s));
}

function openaiJson(model: string, n: number): Bytes {
  return enc.encode(JSON.stringify({
    id: "chatcmpl-perf",
    object: "chat.completion",
    created: CREATED,
    model,
    system_fingerprint: "perf",
    choices: [{
      index: 0,
      message: { role: "assistant", content: words(n).join("").trimStart() },
      logprobs: null,
      finish_reason: "stop",
    }],
    usage: { prompt_tokens: 7, completion_tokens: n, total_tokens: n + 7 },
  }));
}

const stamp = "2025-11-26T18:40:00.123456Z";
const counters = (n: number) => ({
  total_duration: 123456789,
  load_duration: 1234567,
  prompt_eval_count: 7,
  prompt_eval_duration: 2345678,
  eval_count: n,
  eval_duration: 98765432,
});
function ollamaLines(model: string, n: number): Bytes[] {
  const line = (o: unknown) => JSON.stringify(o) + "\n";
  return [
    ...words(n).map((w) =>
      line({ model, created_at: stamp, message: { role: "assistant", content: w }, done: false })
    ),
    line({
      model,
      created_at: stamp,
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: "stop",
      ...counters(n),
    }),
  ].map((s) => enc.encode(s));
}

function ollamaJson(model: string, n: number): Bytes {
  return enc.encode(JSON.stringify({
    model,
    created_at: stamp,
    message: { role: "assistant", content: words(n).join("").trimStart() },
    done: true,
    done_reason: "stop",
    ...counters(n),
  }));
}

/** One write per event; `delay` ms before each event when > 0. */
function streamOf(events: Bytes[], delay: number): ReadableStream<Bytes> {
  let i = 0;
  return new ReadableStream<Bytes>({
    async pull(c) {
      if (i >= events.length) return c.close();
      if (delay > 0) await sleep(delay);
      c.enqueue(events[i++]);
    },
  }, { highWaterMark: 0 });
}

const json = { "content-type": "application/json; charset=utf-8" };
Deno.serve(
  { hostname: opts.host ?? "127.0.0.1", port: Number(opts.port ?? 0), onListen: () => {} },
  async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "GET") return new Response('{"status":"ok"}', { headers: json });
    if (req.method !== "POST" || (path !== "/v1/chat/completions" && path !== "/api/chat")) {
      await req.body?.cancel();
      return new Response('{"error":"not found"}', { status: 404, headers: json });
    }
    let body: { model?: unknown; stream?: unknown };
    try {
      body = await req.json();
    } catch {
      return new Response('{"error":"bad json"}', { status: 400, headers: json });
    }
    const model = typeof body.model === "string" ? body.model : "perf";
    const { n, delay } = shape(model);
    if (path === "/v1/chat/completions") {
      if (body.stream !== true) {
        return new Response(
          cached(`oj ${model}`, () => openaiJson(model, n)),
          { headers: json },
        );
      }
      const events = cached(`os ${model}`, () => openaiEvents(model, n));
      return new Response(streamOf(events, delay), {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      });
    }
    if (body.stream === false) {
      return new Response(
        cached(`nj ${model}`, () => ollamaJson(model, n)),
        { headers: json },
      );
    }
    const lines = cached(`ns ${model}`, () => ollamaLines(model, n));
    return new Response(streamOf(lines, delay), {
      headers: { "content-type": "application/x-ndjson" },
    });
  },
);
