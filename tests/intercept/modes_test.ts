import assert from "node:assert/strict";
import { adapterFor } from "../../src/protocols/mod.ts";
import type { RouteKind } from "../../src/protocols/routes.ts";
import { splitBytes } from "../protocols/split.ts";
import { buildStream, literal, run, splitText } from "./harness.ts";

const kinds: RouteKind[] = [
  "openai_chat",
  "openai_completions",
  "llamacpp_completion",
  "ollama_chat",
  "ollama_generate",
];
const enc = new TextEncoder();
const dec = new TextDecoder();

for (const kind of kinds) {
  Deno.test(`${kind}: detect mode sends the upstream bytes unchanged and records`, async () => {
    const text = "Use src/wrong.ts.\nDone.<|im_end|>\n<|im_start|>user\nmore";
    for (let seed = 1; seed <= 40; seed++) {
      const bytes = enc.encode(buildStream(kind, splitText(text, seed)));
      const got = await run(kind, splitBytes(bytes, seed, 32), { mode: "detect" });
      assert.equal(got.raw, dec.decode(bytes));
      assert.equal(got.aborted, false);
      assert.deepEqual(
        got.records.slice(0, 2).map((r) => [r.type, r.action]),
        [["literal_fix", "detected"], ["template_leak", "detected"]],
      );
      assert.ok(got.records.every((r) => r.action === "detected"));
    }
  });

  Deno.test(`${kind}: a clean stream goes out byte for byte in correct mode`, async () => {
    const text = "Plain word here, nothing odd at all; number 1 2 3 and an é.\nNext line.";
    const bytes = enc.encode(buildStream(kind, splitText(text, 5)));
    const detectors = [literal("src/wrong.ts", "src/right.ts")];
    const got = await run(kind, splitBytes(bytes, 9, 64), { detectors });
    assert.equal(got.raw, dec.decode(bytes));
    assert.deepEqual(got.records, []);
  });

  Deno.test(`${kind}: an upstream failure mid-stream flushes held text, then an error frame`, async () => {
    const adapter = adapterFor(kind);
    const full = buildStream(kind, ["Read ", "src/wr"]);
    const cut = full.indexOf("\n", full.lastIndexOf("src/wr")) + 20; // inside the next frame
    const pieces = [enc.encode(full.slice(0, cut))];
    let sent = 0;
    const upstream = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (sent++ < pieces.length) ctrl.enqueue(pieces[0]!);
        else ctrl.error(new Error("connection reset"));
      },
    });
    const got = await run(kind, [], {
      upstream: new Response(upstream, {
        headers: {
          "content-type": adapter.framing === "sse" ? "text/event-stream" : "application/x-ndjson",
        },
      }),
    });
    assert.equal(got.content, "Read src/wr");
    const last = got.chunks.at(-1)!;
    assert.ok("error" in last, JSON.stringify(last));
    const error = last.error;
    if (adapter.protocol === "ollama") assert.equal(typeof error, "string");
    else assert.ok(typeof error === "object" && error !== null && "message" in error);
    assert.ok(got.raw.endsWith(adapter.framing === "sse" ? "\n\n" : "\n"));
  });
}
