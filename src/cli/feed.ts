/**
 * A client of hotpatch's live feed (`GET /hotpatch/api/events`, Server-Sent Events), for
 * `hotpatch log --follow`.
 * @module
 */

/** One event of the feed. */
export interface FeedMessage {
  type: string;
  data: unknown;
}

/** Longest event accepted from the feed (a bigger one is a broken server: the read stops). */
const MAX_EVENT = 4 * 1024 * 1024;

/**
 * Parses one SSE event block (lines without the blank separator); null for comments only.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseEvent('event: correction\ndata: {"a":1}'), {
 *   type: "correction",
 *   data: { a: 1 },
 * });
 * ```
 */
export function parseEvent(block: string): FeedMessage | null {
  let type = "message";
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith("event:")) type = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
  }
  if (data.length === 0) return null;
  try {
    return { type, data: JSON.parse(data.join("\n")) };
  } catch {
    return null;
  }
}

/**
 * Connects to the feed at `baseUrl`; throws when it cannot (unreachable, 401, not hotpatch).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { EventBus } from "../observe/bus.ts";
 * const bus = new EventBus();
 * const app = new Hono().get("/hotpatch/api/events", (c) =>
 *   c.body(bus.subscribe({ version: "0.1.0" })!, 200, { "content-type": "text/event-stream" }));
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
 * const stop = new AbortController();
 * const feed = await openFeed(`http://127.0.0.1:${server.addr.port}`, null, stop.signal);
 * assert.equal((await feed.next()).value?.type, "hello");
 * stop.abort();
 * bus.close();
 * await server.shutdown();
 * ```
 */
export async function openFeed(
  baseUrl: string,
  token: string | null,
  signal?: AbortSignal,
): Promise<AsyncGenerator<FeedMessage>> {
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl.replace(/\/$/, "")}/hotpatch/api/events`, {
    headers,
    ...(signal ? { signal } : {}),
  });
  const type = res.headers.get("content-type") ?? "";
  if (!res.ok || res.body === null || !type.includes("text/event-stream")) {
    await res.body?.cancel();
    throw new Error(`${baseUrl} answered ${res.status} instead of the event feed`);
  }
  return read(res.body, signal);
}

/** The feed's events until the body ends or `signal` aborts (the read is cancelled then). */
async function* read(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<FeedMessage> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  // Aborting fetch's signal does not always end a body read that is already waiting: cancel it.
  const stop = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", stop, { once: true });
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value.replaceAll("\r\n", "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const message = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (message !== null) yield message;
      }
      if (buffer.length > MAX_EVENT) throw new Error("Feed event larger than 4 MiB");
    }
  } finally {
    signal?.removeEventListener("abort", stop);
    reader.cancel().catch(() => {});
  }
}
