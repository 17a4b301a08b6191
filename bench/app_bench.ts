/**
 * CPU cost of hotpatch per request and per chunk, in process (no sockets): the app's fetch handler
 * with an injected upstream fetch that returns a 200-chunk Ollama stream, against reading that
 * same stream directly (the baseline).
 */
import { createApp } from "../src/app.ts";
import { openStore } from "../src/store/mod.ts";
import { ollamaChatLines } from "../tests/fake_upstream.ts";
import { testConfig } from "../tests/helpers.ts";

const enc = new TextEncoder();
const chunks = ollamaChatLines(
  Array.from({ length: 200 }, (_, i) => ` word${i}${i % 12 === 11 ? ".\n" : ""}`),
).map((l) => enc.encode(l));

function upstreamBody(): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]!);
      else c.close();
    },
  }, { highWaterMark: 0 });
}

const fakeFetch = (() =>
  Promise.resolve(
    new Response(upstreamBody(), { headers: { "content-type": "application/x-ndjson" } }),
  )) as typeof fetch;

const store = openStore(":memory:");
const { app } = createApp({
  config: testConfig("http://127.0.0.1:9"),
  store,
  workspace: null,
  fetch: fakeFetch,
});
globalThis.addEventListener("unload", () => store.close());

async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  for await (const _ of body!) { /* read every chunk */ }
}

function request(mode: string): Request {
  return new Request("http://127.0.0.1:11435/api/chat", {
    method: "POST",
    headers: { "x-hotpatch-mode": mode },
    body: JSON.stringify({ model: "bench", messages: [{ role: "user", content: "hi" }] }),
  });
}

Deno.bench("200 chunks read directly", { group: "200-chunk stream", baseline: true }, async () => {
  await drain(upstreamBody());
});
for (const mode of ["off", "detect", "correct"]) {
  Deno.bench(`200 chunks through hotpatch (${mode})`, { group: "200-chunk stream" }, async () => {
    await drain((await app.fetch(request(mode))).body);
  });
}

const answer = JSON.stringify({
  model: "bench",
  created_at: "2026-11-26T10:00:00Z",
  message: { role: "assistant", content: "A short answer that mentions nothing wrong." },
  done: true,
  done_reason: "stop",
});
const jsonApp = createApp({
  config: testConfig("http://127.0.0.1:9"),
  store,
  workspace: null,
  fetch: (() =>
    Promise.resolve(
      new Response(answer, { headers: { "content-type": "application/json" } }),
    )) as typeof fetch,
}).app;

Deno.bench("JSON body read directly", { group: "non-streaming", baseline: true }, async () => {
  await new Response(answer, { headers: { "content-type": "application/json" } }).text();
});
for (const mode of ["off", "detect", "correct"]) {
  Deno.bench(`JSON body through hotpatch (${mode})`, { group: "non-streaming" }, async () => {
    await (await jsonApp.fetch(request(mode))).text();
  });
}
