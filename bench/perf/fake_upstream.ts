// Scriptable fake model server for the hotpatch bars (Ollama, OpenAI and llama.cpp wire shapes).
//
//   deno run -A fake_upstream.ts --port 18500 [--cases cases.jsonl]
//
// A case line: {"id","text","thinking"?,"tool_calls"?:[{"name","arguments"}],"finish"?,
//   "chunks"? (exact number of text chunks), "words"? (true: one chunk per word, leading space kept,
//   like model tokens), "delay_ms"? (pause before each event)}
// The case is picked by `case:<id>` in the last user message / prompt; otherwise a default sentence.
// Built-in fault ids: __die_mid_stream, __slow (first byte after 3 s), __500.
// Text is cut at pseudo-random code-point positions (seed: header x-fake-seed, default 1) and the
// HTTP writes are cut again at random byte positions, inside multi-byte UTF-8 characters too.
// Introspection: GET /__last[?path=PREFIX] (the last request, or the last one whose path+query starts
// with PREFIX, as received), GET /__aborted ({count} of streams the client left before the end).
import { parseArgs } from "node:util";
import { setImmediate } from "node:timers";
import { rng } from "./lib.ts";

interface ToolCall {
  name: string;
  arguments: string;
}
interface Case {
  id: string;
  text: string;
  thinking?: string;
  tool_calls?: ToolCall[];
  finish?: string;
  chunks?: number;
  words?: boolean;
  delay_ms?: number;
}
type Json = Record<string, unknown>;
type Route = "ollama-chat" | "ollama-generate" | "openai-chat" | "openai-completions" | "llamacpp";

const { values: opts } = parseArgs({
  options: { port: { type: "string" }, cases: { type: "string" } },
});
const cases = new Map<string, Case>();
for (const line of opts.cases ? Deno.readTextFileSync(opts.cases).split("\n") : []) {
  if (line.trim()) {
    const c = JSON.parse(line) as Case;
    cases.set(c.id, c);
  }
}
const DEFAULT_TEXT = "The quick brown fox jumps over the lazy dog. Ünïcödé ✓ 日本語 🦊 done.";
const CREATED = 1795718397;
const FP = "b1-fake";
const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tick = () => new Promise((r) => setImmediate(r)); // lets the server flush one write

const history: Json[] = []; // recent requests, newest last
let aborted = 0;

/** Cuts text at random code-point positions: exactly `n` pieces when given, else 1-6 code points each. */
function split(text: string, rand: () => number, n?: number): string[] {
  const cps = Array.from(text);
  if (!cps.length) return [];
  if (n) {
    const cuts = new Set<number>();
    while (cuts.size < Math.min(n, cps.length) - 1) {
      cuts.add(1 + Math.floor(rand() * (cps.length - 1)));
    }
    const at = [0, ...[...cuts].sort((a, b) => a - b), cps.length];
    return at.slice(1).map((end, i) => cps.slice(at[i], end).join(""));
  }
  const out: string[] = [];
  for (let i = 0; i < cps.length;) {
    const k = 1 + Math.floor(rand() * 6);
    out.push(cps.slice(i, i + k).join(""));
    i += k;
  }
  return out;
}

function parseArgsObj(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
const stamp = (i: number) =>
  new Date(Date.UTC(2025, 10, 26, 18, 40) + i * 7).toISOString().replace("Z", "123456Z");
const counters = (n: number) => ({
  total_duration: 123456789,
  load_duration: 1234567,
  prompt_eval_count: 7,
  prompt_eval_duration: 2345678,
  eval_count: n,
  eval_duration: 98765432,
});
const usage = (n: number) => ({ completion_tokens: n, prompt_tokens: 7, total_tokens: n + 7 });

/** The response body as a list of wire events (one string each), or one JSON document. */
function render(route: Route, c: Case, req: Json, seed: number, stream: boolean): string[] {
  const rand = rng(seed);
  const model = typeof req.model === "string" ? req.model : "fake-model";
  const text = c.words ? c.text.match(/\s*\S+\s*$|\s*\S+/g) ?? [] : split(c.text, rand, c.chunks);
  const think = split(c.thinking ?? "", rand);
  const tools = c.tool_calls ?? [];
  const finish = c.finish ?? "stop";
  const full = c.text, n = text.length + think.length;
  const id = `chatcmpl-fake${seed}`;
  const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const nd = (o: unknown) => JSON.stringify(o) + "\n";
  const oaTools = tools.map((t, i) => ({
    type: "function",
    function: { name: t.name, arguments: t.arguments },
    id: `call_${i}_${seed}`,
  }));
  let i = 0;
  switch (route) {
    case "ollama-chat": {
      const msg = (m: Json) => ({
        model,
        created_at: stamp(i++),
        message: { role: "assistant", ...m },
        done: false,
      });
      const calls = tools.map((t) => ({
        function: { name: t.name, arguments: parseArgsObj(t.arguments) },
      }));
      const end = (m: Json) => ({
        model,
        created_at: stamp(i++),
        message: { role: "assistant", ...m },
        done: true,
        done_reason: finish,
        ...counters(n),
      });
      if (!stream) {
        return [
          JSON.stringify(
            end({
              content: full,
              ...(c.thinking ? { thinking: c.thinking } : {}),
              ...(calls.length ? { tool_calls: calls } : {}),
            }),
          ),
        ];
      }
      return [
        ...think.map((t) => nd(msg({ content: "", thinking: t }))),
        ...text.map((t) => nd(msg({ content: t }))),
        ...calls.map((call) => nd(msg({ content: "", tool_calls: [call] }))),
        nd(end({ content: "" })),
      ];
    }
    case "ollama-generate": {
      const end = (r: string, extra: Json = {}) => ({
        model,
        created_at: stamp(i++),
        response: r,
        ...extra,
        done: true,
        done_reason: finish,
        context: [1, 2, 3],
        ...counters(n),
      });
      if (!stream) return [JSON.stringify(end(full, c.thinking ? { thinking: c.thinking } : {}))];
      return [
        ...think.map((t) =>
          nd({ model, created_at: stamp(i++), response: "", thinking: t, done: false })
        ),
        ...text.map((t) => nd({ model, created_at: stamp(i++), response: t, done: false })),
        nd(end("")),
      ];
    }
    case "openai-chat": {
      const reason = tools.length ? "tool_calls" : finish;
      const env = (choices: unknown[], extra: Json = {}) => ({
        choices,
        created: CREATED,
        id,
        model,
        system_fingerprint: FP,
        object: "chat.completion.chunk",
        ...extra,
      });
      const chunk = (delta: Json, fr: string | null = null) =>
        sse(env([{ finish_reason: fr, index: 0, delta }]));
      if (!stream) {
        const message = {
          role: "assistant",
          content: full || null,
          ...(c.thinking ? { reasoning_content: c.thinking } : {}),
          ...(oaTools.length ? { tool_calls: oaTools } : {}),
        };
        return [
          JSON.stringify({
            choices: [{ finish_reason: reason, index: 0, message }],
            created: CREATED,
            model,
            system_fingerprint: FP,
            object: "chat.completion",
            usage: usage(n),
            id,
          }),
        ];
      }
      const out = [chunk({ role: "assistant", content: null })];
      out.push(
        ...think.map((t) => chunk({ reasoning_content: t })),
        ...text.map((t) => chunk({ content: t })),
      );
      oaTools.forEach((t, k) => {
        out.push(
          chunk({
            tool_calls: [{
              index: k,
              id: t.id,
              type: "function",
              function: { name: t.function.name, arguments: "" },
            }],
          }),
        );
        for (const a of split(t.function.arguments, rand)) {
          out.push(chunk({ tool_calls: [{ index: k, function: { arguments: a } }] }));
        }
      });
      out.push(chunk({}, reason));
      const so = req.stream_options as Json | undefined;
      if (so?.include_usage) out.push(sse(env([], { usage: usage(n) })));
      return [...out, "data: [DONE]\n\n"];
    }
    case "openai-completions": {
      const env = (t: string, fr: string | null, extra: Json = {}) => ({
        choices: [{ text: t, index: 0, logprobs: null, finish_reason: fr }],
        created: CREATED,
        model,
        system_fingerprint: FP,
        object: "text_completion",
        ...extra,
        id,
      });
      if (!stream) return [JSON.stringify(env(full, finish, { usage: usage(n) }))];
      return [
        ...text.map((t) => sse(env(t, null))),
        sse(env("", finish, { usage: usage(n) })),
        "data: [DONE]\n\n",
      ];
    }
    case "llamacpp": {
      const end = (content: string) => ({
        index: 0,
        content,
        tokens: [],
        id_slot: 0,
        stop: true,
        model,
        tokens_predicted: n,
        tokens_evaluated: 7,
        generation_settings: { n_predict: -1, temperature: 0.8, stream },
        prompt: String(req.prompt ?? ""),
        has_new_line: false,
        truncated: false,
        stop_type: finish === "length" ? "limit" : "eos",
        stopping_word: "",
        tokens_cached: n + 7,
        timings: { prompt_n: 7, prompt_ms: 1.5, predicted_n: n, predicted_ms: 20.5 },
      });
      if (!stream) return [JSON.stringify(end(full))];
      return [
        ...text.map((t, k) =>
          sse({
            index: 0,
            content: t,
            tokens: [1000 + k],
            stop: false,
            id_slot: -1,
            tokens_predicted: k + 1,
            tokens_evaluated: 7,
          })
        ),
        sse(end("")),
      ];
    }
  }
}

/** Streams `parts`, re-cut at random byte positions; dies after `dieAfter` parts when given. */
function body(
  parts: string[],
  rand: () => number,
  delayMs: number,
  dieAfter: number | undefined,
  rec: Json,
) {
  async function* writes() {
    let state = "aborted";
    try {
      let pending = new Uint8Array(0);
      for (let i = 0; i < parts.length; i++) {
        if (i === dieAfter) {
          yield pending;
          await sleep(20);
          state = "died";
          throw new Error("fake upstream died mid-stream");
        }
        if (delayMs) await sleep(delayMs);
        const bytes = enc.encode(parts[i]);
        const next = new Uint8Array(pending.length + bytes.length);
        next.set(pending);
        next.set(bytes, pending.length);
        const keep = i + 1 < parts.length ? Math.floor(rand() * Math.min(next.length, 12)) : 0; // carried to the next write
        const out = next.subarray(0, next.length - keep);
        pending = next.slice(next.length - keep);
        const inside: number[] = []; // positions of UTF-8 continuation bytes: cutting there splits a character
        out.forEach((b, k) => {
          if (b >= 0x80 && b < 0xc0) inside.push(k);
        });
        const cut = inside.length && rand() < 0.5
          ? inside[Math.floor(rand() * inside.length)]
          : Math.floor(rand() * out.length);
        for (const piece of [out.subarray(0, cut), out.subarray(cut)]) {
          if (piece.length) {
            yield piece;
            await tick();
          }
        }
      }
      state = "done";
    } finally {
      rec.finishedAt = Date.now();
      if (state === "aborted") aborted++;
    }
  }
  return ReadableStream.from(writes());
}

function errorBody(path: string, status: number, message: string): Json {
  if (path.startsWith("/api/")) return { error: message };
  if (path.startsWith("/v1/")) {
    return {
      error: {
        message,
        type: status >= 500 ? "server_error" : "invalid_request_error",
        param: null,
        code: status,
      },
    };
  }
  return {
    error: {
      code: status,
      message,
      type: status >= 500 ? "server_error" : "invalid_request_error",
    },
  };
}

const ROUTES: Record<string, Route> = {
  "/api/chat": "ollama-chat",
  "/api/generate": "ollama-generate",
  "/v1/chat/completions": "openai-chat",
  "/v1/completions": "openai-completions",
  "/completion": "llamacpp",
};

function lastUserText(req: Json): string {
  const asText = (v: unknown): string =>
    typeof v === "string"
      ? v
      : Array.isArray(v)
      ? v.map((p) => (typeof p === "string" ? p : (p as Json)?.text ?? "")).join(" ")
      : "";
  if (Array.isArray(req.messages)) {
    const users = (req.messages as Json[]).filter((m) => m?.role === "user");
    return asText(users.at(-1)?.content);
  }
  return asText(req.prompt);
}

const TAGS = {
  models: [{
    name: "fake-model:latest",
    model: "fake-model:latest",
    modified_at: "2025-11-26T18:40:00.123456789Z",
    size: 8357632,
    digest: "d3adb33f",
    details: {
      parent_model: "",
      format: "gguf",
      family: "llama",
      families: ["llama"],
      parameter_size: "4M",
      quantization_level: "F16",
    },
  }],
};
const SHOW = {
  modelfile: "FROM fake-model",
  parameters: "temperature 0.8",
  template: "{{ .Prompt }}",
  details: TAGS.models[0].details,
  model_info: { "general.architecture": "llama" },
  capabilities: ["completion", "tools"],
};
const MODELS = {
  models: [{
    name: "fake-model",
    model: "fake-model",
    modified_at: "",
    size: "",
    digest: "",
    type: "model",
    description: "",
    tags: [""],
    capabilities: ["completion"],
    parameters: "",
    details: {
      parent_model: "",
      format: "gguf",
      family: "",
      families: [""],
      parameter_size: "",
      quantization_level: "",
    },
  }],
  object: "list",
  data: [{
    id: "fake-model",
    aliases: ["fake-model"],
    tags: [],
    object: "model",
    created: CREATED,
    owned_by: "llamacpp",
    meta: { n_vocab: 32002, n_ctx: 2048 },
  }],
};

async function handle(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname;
  const hdr = { "x-fake-upstream": "1" };
  const json = (o: unknown, status = 200) =>
    new Response(JSON.stringify(o), {
      status,
      headers: { ...hdr, "content-type": "application/json; charset=utf-8" },
    });
  if (path === "/__last") {
    const prefix = url.searchParams.get("path") ?? "";
    return json(history.findLast((r) => String(r.path).startsWith(prefix)) ?? {});
  }
  if (path === "/__aborted") return json({ count: aborted });

  const raw = new Uint8Array(await req.arrayBuffer());
  const sha = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", raw)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  const rec: Json = {
    method: req.method,
    path: path + url.search,
    headers: Object.fromEntries(req.headers),
    body: raw.length <= 65536 ? new TextDecoder().decode(raw) : null,
    bodyBytes: raw.length,
    bodySha256: sha,
    startedAt: Date.now(),
    finishedAt: null,
  };
  history.push(rec);
  if (history.length > 100) history.shift();
  const done = (r: Response) => {
    rec.finishedAt ??= Date.now();
    return r;
  };

  const route = req.method === "POST" ? ROUTES[path] : undefined;
  if (!route) {
    if (path === "/" && (req.method === "GET" || req.method === "HEAD")) {
      return done(
        new Response("Ollama is running", {
          headers: { ...hdr, "content-type": "text/plain; charset=utf-8" },
        }),
      );
    }
    if (req.method === "GET" && path === "/api/tags") return done(json(TAGS));
    if (req.method === "GET" && path === "/api/version") return done(json({ version: "0.12.3" }));
    if (req.method === "GET" && path === "/api/ps") return done(json({ models: [] }));
    if (req.method === "POST" && path === "/api/show") return done(json(SHOW));
    if (req.method === "GET" && (path === "/v1/models" || path === "/models")) {
      return done(json(MODELS));
    }
    if (req.method === "GET" && path === "/health") return done(json({ status: "ok" }));
    return done(
      json({ error: { message: "File Not Found", type: "not_found_error", code: 404 } }, 404),
    );
  }
  let reqJson: Json;
  try {
    reqJson = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return done(json(errorBody(path, 400, "Invalid JSON in request body"), 400));
  }
  const id = /case:([\w.-]+)/.exec(lastUserText(reqJson))?.[1] ?? "";
  const c = cases.get(id) ?? { id, text: DEFAULT_TEXT };
  if (id === "__500") return done(json(errorBody(path, 500, "fake upstream failure"), 500));
  if (id === "__slow") await sleep(3000);
  const seed = Number(req.headers.get("x-fake-seed") ?? 1) || 1;
  const stream = (reqJson.stream ?? route.startsWith("ollama")) === true;
  const parts = render(route, c, reqJson, seed, stream);
  const type = !stream
    ? "application/json; charset=utf-8"
    : route.startsWith("ollama")
    ? "application/x-ndjson"
    : "text/event-stream";
  const headers = {
    ...hdr,
    "content-type": type,
    ...(stream && !route.startsWith("ollama") ? { "x-accel-buffering": "no" } : {}),
  };
  const dieAfter = id === "__die_mid_stream" ? Math.min(3, parts.length - 1) : undefined;
  return new Response(body(parts, rng(seed * 7919), c.delay_ms ?? 0, dieAfter, rec), { headers });
}

Deno.serve({
  hostname: "127.0.0.1",
  port: Number(opts.port ?? 18500),
  onListen: ({ port }) => console.log(`fake upstream on 127.0.0.1:${port}`),
}, handle);
