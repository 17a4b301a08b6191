/**
 * A fake model server for integration tests: a real Deno HTTP server on 127.0.0.1 that replays
 * the llama-server recordings in tests/fixtures/llama-server/ and emits Ollama NDJSON.
 * Tests may replace the handler to script any behaviour.
 * @module
 */

import { chunkedBody, ollamaChatLines } from "../src/demo/wire.ts";

export { chunkedBody, ollamaChatLines };

/** Directory of the llama-server recordings. */
export const FIXTURES = new URL("./fixtures/llama-server/", import.meta.url);

/** A request the fake upstream received. */
export interface SeenRequest {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
  /** The client's TCP port: the same port on two requests means a reused connection. */
  remotePort: number;
}

/** A running fake upstream. */
export interface FakeUpstream {
  url: string;
  port: number;
  seen: SeenRequest[];
  /** Resolves each time the fake notices a client abort on a streaming response. */
  aborts: number;
  handler: (req: Request, seen: SeenRequest) => Response | Promise<Response>;
  close(): Promise<void>;
}

/** Read a recording as text. */
export function fixtureText(name: string): string {
  return Deno.readTextFileSync(new URL(name, FIXTURES));
}

/** Response headers of a recording (`*.headers`), minus hop-by-hop ones. */
export function fixtureHeaders(name: string): Headers {
  const out = new Headers();
  for (const line of fixtureText(name).split(/\r?\n/).slice(1)) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const key = line.slice(0, i).trim();
    if (/^(transfer-encoding|keep-alive|connection)$/i.test(key)) continue;
    out.append(key, line.slice(i + 1).trim());
  }
  return out;
}

/** Split an SSE recording into its events (each ending with a blank line). */
export function sseEvents(text: string): string[] {
  return text.split(/(?<=\n\n)/).filter((e) => e.length > 0);
}

/** The default behaviour: recordings for llama.cpp/OpenAI routes, NDJSON for Ollama routes. */
export function defaultHandler(req: Request, seen: SeenRequest): Response {
  const body = seen.body.byteLength ? JSON.parse(new TextDecoder().decode(seen.body)) : {};
  const stream = body.stream !== false;
  const sse = (name: string) =>
    new Response(chunkedBody(sseEvents(fixtureText(name))), {
      headers: fixtureHeaders(name.replace(/\.sse$/, ".headers")),
    });
  switch (`${req.method} ${seen.path}`) {
    case "GET /":
      return new Response("Ollama is running");
    case "GET /v1/models":
      return new Response(fixtureText("models.json"), {
        headers: { "content-type": "application/json; charset=utf-8" },
      });
    case "POST /v1/chat/completions":
      if (!stream) {
        return new Response(fixtureText("chat.json"), { headers: fixtureHeaders("chat.headers") });
      }
      return sse(body.stream_options?.include_usage ? "chat-stream-usage.sse" : "chat-stream.sse");
    case "POST /v1/completions":
      return sse("v1-completions-stream.sse");
    case "POST /completion":
      return sse("completion-stream.sse");
    case "POST /api/chat": {
      const lines = ollamaChatLines(["Hello", " from", " a", " fake", " model."]);
      if (!stream) {
        const last = JSON.parse(lines[lines.length - 1]!);
        last.message.content = "Hello from a fake model.";
        return Response.json(last);
      }
      return new Response(chunkedBody(lines), {
        headers: { "content-type": "application/x-ndjson" },
      });
    }
    default:
      return new Response(fixtureText("error-404.json"), {
        status: 404,
        headers: fixtureHeaders("error-404.headers"),
      });
  }
}

/**
 * Start the fake upstream on an ephemeral loopback port.
 * @example
 * const up = await startFakeUpstream();
 * await up.close();
 */
export function startFakeUpstream(
  handler: FakeUpstream["handler"] = defaultHandler,
): Promise<FakeUpstream> {
  return new Promise((resolve) => {
    const fake: FakeUpstream = {
      url: "",
      port: 0,
      seen: [],
      aborts: 0,
      handler,
      close: async () => {
        await server.shutdown();
      },
    };
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      // A body that errors on purpose (a dying upstream) ends the connection; without onError
      // Deno prints the error's stack trace for it.
      onError: (e) => new Response(`fake upstream failed: ${e}`, { status: 500 }),
      onListen: (addr) => {
        fake.port = addr.port;
        fake.url = `http://127.0.0.1:${addr.port}`;
        resolve(fake);
      },
    }, async (req, info) => {
      const url = new URL(req.url);
      const seen: SeenRequest = {
        method: req.method,
        path: url.pathname,
        search: url.search,
        headers: req.headers,
        body: new Uint8Array(await req.arrayBuffer()),
        remotePort: info.remoteAddr.port,
      };
      fake.seen.push(seen);
      req.signal.addEventListener("abort", () => fake.aborts++, { once: true });
      return fake.handler(req, seen);
    });
  });
}
