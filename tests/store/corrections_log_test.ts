import assert from "node:assert/strict";
import { join } from "node:path";
import { CorrectionLog, LOG_FILE } from "../../src/store/corrections_log.ts";
import { openStore } from "../../src/store/store.ts";
import type { CorrectionRecord } from "../../src/types.ts";

const rec = (i: number): CorrectionRecord => ({
  requestId: `r${i}`,
  time: Date.UTC(2026, 0, 1),
  model: "qwen3",
  protocol: "openai",
  channel: "content",
  type: "template_leak",
  found: "<|im_end|>",
  replacement: null,
  confidence: 0.9,
  action: "corrected",
});

Deno.test("each record becomes one JSON line in corrections.log with the documented fields", async () => {
  const dir = await Deno.makeTempDir();
  const store = openStore(":memory:", { logDir: join(dir, "logs") });
  store.record(rec(1));
  store.record(rec(2));
  store.close();
  const lines = (await Deno.readTextFile(join(dir, "logs", LOG_FILE))).trimEnd().split("\n");
  assert.equal(lines.length, 2);
  const first = JSON.parse(lines[0] ?? "");
  assert.deepEqual(
    Object.keys(first).slice(0, 8),
    ["timestamp", "requestId", "model", "type", "confidence", "found", "replacement", "action"],
  );
  assert.equal(first.timestamp, "2026-01-01T00:00:00.000Z");
  assert.equal(first.requestId, "r1");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the log rotates by size and keeps the configured number of files", async () => {
  const dir = await Deno.makeTempDir();
  const log = new CorrectionLog(dir, { maxBytes: 600, keep: 2 });
  for (let i = 0; i < 20; i++) log.append([rec(i), rec(i)]);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert.deepEqual(names, [LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`]);
  for (const name of names) assert.ok(Deno.statSync(join(dir, name)).size <= 600);
  const newest = Deno.readTextFileSync(join(dir, LOG_FILE)).trimEnd().split("\n").at(-1) ?? "";
  assert.equal(JSON.parse(newest).requestId, "r19");
  await Deno.remove(dir, { recursive: true });
});
