/**
 * The scripted model of `hotpatch demo` (and of the tests): a real HTTP server on 127.0.0.1 that
 * speaks Ollama's `/api/chat` and OpenAI's `/v1/chat/completions` (streamed or not) and answers
 * each request with the scenario its last user message names — one per classic mistake.
 * @module
 */
import { chunkedBody, ollamaChatLines, openaiChatEvents, pieces, type WireCall } from "./wire.ts";

/** One scripted answer: the request the demo sends and what the model says. */
export interface Scenario {
  id: string;
  /** What the mistake is, for the demo's output. */
  title: string;
  /** The route the demo asks it on. */
  path: "/api/chat" | "/v1/chat/completions";
  /** Tools offered with the request (OpenAI shape). */
  tools?: unknown[];
  content: string;
  calls?: WireCall[];
}

const readFileTool = {
  type: "function",
  function: {
    name: "read_file",
    description: "Read a file of the workspace",
    parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
};

/** The classic mistakes, in the demo's order. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: "template_leak",
    title: "a leaked <|im_end|> and a made-up user turn",
    path: "/api/chat",
    content: "All 12 tests pass.<|im_end|>\n<|im_start|>user\nGreat, now delete the old branch.",
  },
  {
    id: "misspelled_tool",
    title: "a call to a tool that was not offered (misspelled)",
    path: "/v1/chat/completions",
    tools: [readFileTool],
    content: "",
    calls: [{ name: "read_flie", arguments: '{"path":"src/main.ts"}' }],
  },
  {
    id: "invalid_path",
    title: "a path that does not exist in the workspace",
    path: "/api/chat",
    content: "The component is defined in src/App.TS, next to src/main.ts.",
  },
  {
    id: "think_leak",
    title: "a <think> block in the answer",
    path: "/api/chat",
    content:
      "<think>The user wants the test command. It is in deno.json.</think>Run deno task test.",
  },
  {
    id: "repetition_loop",
    title: "a repetition loop",
    path: "/api/chat",
    content: "Let me look at the failing test.\n" +
      "I will check the import path again.\n".repeat(12),
  },
  {
    id: "malformed_arguments",
    title: "broken tool-call JSON",
    path: "/v1/chat/completions",
    tools: [readFileTool],
    content: "",
    calls: [{ name: "read_file", arguments: "{'path': 'src/main.ts',}" }],
  },
];

/** The plain answer to a request that names no scenario. */
const PLAIN: Scenario = {
  id: "plain",
  title: "a clean answer",
  path: "/api/chat",
  content: "Hello from the scripted model.",
};

/**
 * The scenario a request body asks for: the first scenario id found in its last user message.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(
 *   scenarioFor({ messages: [{ role: "user", content: "demo: think_leak" }] }).id,
 *   "think_leak",
 * );
 * ```
 */
export function scenarioFor(body: unknown): Scenario {
  const messages = (body as { messages?: unknown })?.messages;
  const last = Array.isArray(messages) ? messages.at(-1) : undefined;
  const text = typeof last?.content === "string" ? last.content : "";
  return SCENARIOS.find((s) => text.includes(s.id)) ?? PLAIN;
}

/** A running scripted model. */
export interface ScriptedModel {
  url: string;
  close(): Promise<void>;
}

/** How the scripted model answers. */
export interface ModelOptions {
  /** Pause between streamed chunks (default 15 ms: looks like a model typing). */
  delayMs?: number;
  model?: string;
}

function ollamaAnswer(s: Scenario, stream: boolean, o: Required<ModelOptions>): Response {
  const lines = ollamaChatLines(pieces(s.content), o.model);
  if (stream) {
    return new Response(chunkedBody(lines, { delayMs: o.delayMs }), {
      headers: { "content-type": "application/x-ndjson" },
    });
  }
  const last = JSON.parse(lines.at(-1)!);
  last.message.content = s.content;
  return Response.json(last);
}

function openaiAnswer(s: Scenario, stream: boolean, o: Required<ModelOptions>): Response {
  const calls = s.calls ?? [];
  if (stream) {
    return new Response(
      chunkedBody(openaiChatEvents(pieces(s.content), calls, o.model), { delayMs: o.delayMs }),
      { headers: { "content-type": "text/event-stream" } },
    );
  }
  const toolCalls = calls.map((c, i) => ({
    id: `call_demo${i}`,
    type: "function",
    function: { name: c.name, arguments: c.arguments },
  }));
  return Response.json({
    id: "chatcmpl-demo",
    object: "chat.completion",
    created: 1764150000,
    model: o.model,
    choices: [{
      index: 0,
      message: {
        role: "assistant",
        content: s.content,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      },
      finish_reason: toolCalls.length > 0 ? "tool_calls" : "stop",
    }],
  });
}

/**
 * Start the scripted model on an ephemeral loopback port.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const model = await startScriptedModel({ delayMs: 0 });
 * const body = JSON.stringify({ messages: [{ role: "user", content: "demo: think_leak" }] });
 * const res = await fetch(model.url + "/api/chat", { method: "POST", body });
 * assert.equal(res.status, 200);
 * await res.body?.cancel();
 * await model.close();
 * ```
 */
export function startScriptedModel(opts: ModelOptions = {}): Promise<ScriptedModel> {
  const o: Required<ModelOptions> = { delayMs: opts.delayMs ?? 15, model: opts.model ?? "demo" };
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: (addr) =>
        resolve({
          url: `http://127.0.0.1:${addr.port}`,
          close: () => server.shutdown(),
        }),
    }, async (req) => {
      const path = new URL(req.url).pathname;
      if (req.method === "GET" && path === "/") return new Response("Ollama is running");
      if (req.method === "GET" && path === "/api/tags") {
        return Response.json({ models: [{ name: o.model, model: o.model }] });
      }
      if (req.method !== "POST") return Response.json({ error: "not found" }, { status: 404 });
      let body: Record<string, unknown>;
      try {
        body = await req.json();
      } catch {
        return Response.json({ error: "invalid JSON body" }, { status: 400 });
      }
      const scenario = scenarioFor(body);
      if (path === "/api/chat") return ollamaAnswer(scenario, body.stream !== false, o);
      if (path === "/v1/chat/completions") {
        return openaiAnswer(scenario, body.stream === true, o);
      }
      return Response.json({ error: `no route ${path}` }, { status: 404 });
    });
  });
}
