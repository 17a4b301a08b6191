import assert from "node:assert/strict";
import { intercept } from "../../src/chain/mod.ts";
import { streamOf } from "../protocols/split.ts";
import { memorySink, testDetectors, testSettings } from "../intercept/harness.ts";

const enc = new TextEncoder();

function frame(content: string): string {
  return `data: {"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}}]}\n\n`;
}

/** The client's chunks, as the objects read from the intercepted body. */
async function chunksOf(
  reads: readonly Uint8Array[],
  mode: "correct" | "detect" = "correct",
  sink = memorySink(),
): Promise<Uint8Array[]> {
  const res = await intercept({
    kind: "openai_chat",
    body: { model: "m", stream: true },
    requestId: "r",
    mode,
    upstream: new Response(streamOf(reads), { headers: { "content-type": "text/event-stream" } }),
    abort() {},
    sink,
    workspace: null,
    rules: { patterns: [], navigationFixes: new Map() },
    settings: testSettings,
    detectors: testDetectors(),
  });
  const out: Uint8Array[] = [];
  for await (const chunk of res.body!) out.push(chunk);
  return out;
}

function joined(chunks: readonly Uint8Array[]): string {
  return chunks.map((c) => new TextDecoder().decode(c)).join("");
}

Deno.test("corrected body: a read of whole unchanged frames goes out as the upstream's own bytes", async () => {
  const reads = [enc.encode(frame("Hello ")), enc.encode(frame("wörld") + frame(", fine."))];
  const out = await chunksOf(reads);
  assert.equal(out[0], reads[0]);
  assert.equal(out[1], reads[1]);
});

Deno.test("corrected body: after a read split inside a frame and a character, whole reads pass again", async () => {
  const text = frame("naïve ") + frame("café ");
  const bytes = enc.encode(text);
  const cut = text.indexOf("ï") + 1; // inside the two bytes of "ï"
  const reads = [bytes.slice(0, cut), bytes.slice(cut), enc.encode(frame("done."))];
  const out = await chunksOf(reads);
  assert.equal(joined(out), text + frame("done."));
  assert.equal(out.at(-1), reads[2]);
});

Deno.test("corrected body: a read with a corrected frame is re-encoded", async () => {
  const reads = [enc.encode(frame("see src/wrong.ts now"))];
  const out = await chunksOf(reads);
  assert.notEqual(out[0], reads[0]);
  assert.equal(joined(out), frame("see src/right.ts now"));
});

Deno.test("detect mode: text inspected in batches is reported even when the stream just stops", async () => {
  const text = "A long enough line of answer text, then see src/wrong.ts";
  const pieces = text.match(/.{1,4}/gs) ?? [];
  const reads = pieces.map((p) => enc.encode(frame(p)));
  const sink = memorySink();
  const out = await chunksOf(reads, "detect", sink);
  assert.equal(joined(out), pieces.map(frame).join(""));
  assert.deepEqual(sink.all.map((r) => [r.type, r.found, r.action]), [
    ["literal_fix", "src/wrong.ts", "detected"],
  ]);
});
