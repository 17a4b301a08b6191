import assert from "node:assert/strict";
import { adapterFor } from "../../src/protocols/mod.ts";
import type { RouteKind } from "../../src/protocols/routes.ts";
import { splitBytes } from "../protocols/split.ts";
import { buildStream, run, splitText } from "./harness.ts";

const kinds: RouteKind[] = [
  "openai_chat",
  "openai_completions",
  "llamacpp_completion",
  "ollama_chat",
  "ollama_generate",
];
const enc = new TextEncoder();

const fixText = "Open src/wrong.ts and — ça va, 日本語 — compare it with src/wrong.ts.\n" +
  "```\nconst x = 1;\n```\nThe end, src/wrong.t";
const fixExpected = "Open src/right.ts and — ça va, 日本語 — compare it with src/right.ts.\n" +
  "```\nconst x = 1;\n```\nThe end, src/wrong.t";

const endText = "Use src/wrong.ts.\nDone.<|im_end|>\n<|im_start|>user\nthanks, now src/wrong.ts";
const endExpected = "Use src/right.ts.\nDone.";

for (const kind of kinds) {
  Deno.test(`${kind}: random splits of a stream with a hallucination give the corrected text`, async () => {
    const adapter = adapterFor(kind);
    for (let seed = 1; seed <= 120; seed++) {
      const upstream = buildStream(kind, splitText(fixText, seed));
      const got = await run(kind, splitBytes(enc.encode(upstream), seed * 7, 48));
      assert.equal(got.content, fixExpected, `seed ${seed}`);
      for (const f of got.frames) {
        if (f.data !== null && f.data !== "[DONE]") JSON.parse(f.data);
      }
      const last = got.chunks.at(-1)!;
      assert.ok(got.chunks.some((c) => adapter.decode(c).some((e) => e.kind === "done")));
      assert.equal(got.aborted, false);
      if (adapter.trailer) assert.ok(got.raw.endsWith(adapter.trailer));
      assert.ok(last);
      assert.equal(got.records.filter((r) => r.type === "literal_fix").length, 2);
    }
  });

  Deno.test(`${kind}: a leaked end-of-turn ends the stream early with reason stop`, async () => {
    const adapter = adapterFor(kind);
    for (let seed = 1; seed <= 120; seed++) {
      const upstream = buildStream(kind, splitText(endText, seed));
      const got = await run(kind, splitBytes(enc.encode(upstream), seed * 13, 40));
      assert.equal(got.content, endExpected, `seed ${seed}`);
      assert.equal(got.aborted, true);
      const done = got.chunks.flatMap((c) => adapter.decode(c)).filter((e) => e.kind === "done");
      assert.deepEqual(done, [{ kind: "done", reason: "stop" }]);
      if (adapter.trailer) assert.ok(got.raw.endsWith(adapter.trailer));
      assert.ok(got.records.some((r) => r.type === "template_leak" && r.action === "ended"));
    }
  });
}
