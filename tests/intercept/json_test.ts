import assert from "node:assert/strict";
import { getAt, setAt } from "../../src/protocols/adapter.ts";
import type { RouteKind } from "../../src/protocols/routes.ts";
import { splitBytes } from "../protocols/split.ts";
import { buildStream, run, splitText } from "./harness.ts";

const enc = new TextEncoder();
const broken = "Here it is:\n```json\n{'name': 'hotpatch', 'ok': True,}\n```";
const repaired = { name: "hotpatch", ok: true };

const asks: [RouteKind, Record<string, unknown>][] = [
  ["ollama_chat", { model: "m", format: "json" }],
  ["ollama_generate", { model: "m", format: { type: "object" } }],
  ["openai_chat", { model: "m", response_format: { type: "json_object" } }],
];

for (const [kind, body] of asks) {
  Deno.test(`${kind}: an answer that must be JSON is held and sent repaired, whole, at the end`, async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const upstream = buildStream(kind, splitText(broken, seed));
      const got = await run(kind, splitBytes(enc.encode(upstream), seed, 60), { body });
      assert.deepEqual(JSON.parse(got.content), repaired, `seed ${seed}`);
      const withText = got.chunks.filter((c) => JSON.stringify(c).includes("hotpatch"));
      assert.equal(withText.length, 1, "the document goes out in one chunk");
      assert.ok(got.records.some((r) => r.channel === "json" && r.action === "corrected"));
    }
  });
}

Deno.test("a valid JSON answer goes out unchanged", async () => {
  const doc = '{"a": [1, 2], "b": "x"}';
  const got = await run(
    "ollama_chat",
    [enc.encode(buildStream("ollama_chat", splitText(doc, 2)))],
    {
      body: { model: "m", format: "json" },
    },
  );
  assert.equal(got.content, doc);
  assert.deepEqual(got.records, []);
});

Deno.test("openai_chat: a non-streaming JSON answer is repaired", async () => {
  const fixture = new URL("../fixtures/llama-server/chat.json", import.meta.url);
  const path = ["choices", 0, "message", "content"];
  const upstream = setAt(JSON.parse(Deno.readTextFileSync(fixture)), path, broken);
  const got = await run("openai_chat", [enc.encode(JSON.stringify(upstream))], {
    body: { model: "m", response_format: { type: "json_object" } },
    contentType: "application/json",
  });
  assert.deepEqual(JSON.parse(String(getAt(JSON.parse(got.raw), path))), repaired);
});
