import assert from "node:assert/strict";
import { FragmentJoiner } from "../../src/chain/toolcalls.ts";
import { detectContext } from "../../src/detect/context.ts";
import { defaultSettings } from "../../src/rules/detector_settings.ts";
import type { OfferedTool } from "../../src/detection.ts";
import type { JsonObject } from "../../src/protocols/adapter.ts";
import { repairToolCall } from "../../src/repair/repair.ts";
import { runPieces } from "../../scripts/eval/chain.ts";
import { textToolCallDetector } from "../../src/detect/text_tool_call.ts";
import { randomPieces } from "../protocols/split.ts";

const fixture = new URL(
  "../fixtures/llama-server/chat-tools-stream.sse",
  import.meta.url,
);
const chunks = (await Deno.readTextFile(fixture)).split("\n")
  .filter((l) => l.startsWith("data: {"))
  .map((l) => JSON.parse(l.slice(6)) as JsonObject);
const content = chunks.map((c) => {
  const choice = (c.choices as { delta?: { content?: string | null } }[] | undefined)?.[0];
  return choice?.delta?.content ?? "";
}).join("");
const tools: OfferedTool[] = [{
  name: "read_file",
  parameters: {
    type: "object",
    properties: { path: { type: "string" }, limit: { type: "integer" } },
    required: ["path"],
  },
}];

Deno.test("recorded llama-server tools stream: content without a written call passes unchanged", () => {
  assert.ok(content.length > 0);
  const ctx = detectContext({ tools });
  for (let seed = 1; seed <= 50; seed++) {
    const out = runPieces(randomPieces(content, seed, 12), [textToolCallDetector], ctx);
    assert.deepEqual([out.content, out.calls], [content, []]);
  }
});

Deno.test("recorded chunk shape: broken arguments split at random points are repaired once whole", () => {
  const template = chunks[0]!;
  const broken = "{'path': 'src/a.ts', 'limit': '20',}";
  for (let seed = 1; seed <= 50; seed++) {
    const joiner = new FragmentJoiner();
    const pieces = randomPieces(broken, seed, 6);
    pieces.forEach((p, i) => {
      const fragment = i === 0
        ? { index: 0, id: "call_1", name: "read_files", arguments: p }
        : { index: 0, name: "", arguments: p };
      assert.deepEqual(joiner.add(fragment, template), []);
    });
    const [call] = joiner.drain();
    const r = repairToolCall(call!, tools, defaultSettings);
    assert.deepEqual(r.call, {
      index: 0,
      id: "call_1",
      name: "read_file",
      arguments: '{"path":"src/a.ts","limit":20}',
    });
    assert.deepEqual(r.detections.map((d) => d.type), [
      "misspelled_tool",
      "malformed_arguments",
      "schema_mismatch",
    ]);
  }
});
