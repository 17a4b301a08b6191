// Store costs on the request path: queueing a record, taking a rule snapshot, applying behavior
// patches; and the background cost of writing a batch. Run: deno bench -A bench/store_bench.ts
import { join } from "node:path";
import { applyBehaviorPatches } from "../src/rules/apply_behavior.ts";
import { openStore } from "../src/store/store.ts";
import type { CorrectionEntry } from "../src/store/types.ts";

const dir = Deno.makeTempDirSync();
const store = openStore(join(dir, "bench.db"), { flushDelayMs: 3_600_000, logDir: dir });
for (let i = 0; i < 50; i++) store.patterns.create({ match: `word${i}`, replacement: `w${i}` });
store.behaviorPatches.create({
  description: "qwen prompt",
  kind: "prompt_modifier",
  model: "qwen*",
  payload: { system: "Only reference files that exist.", options: { temperature: 0.2 } },
});
store.behaviorPatches.create({
  description: "no loops for coder",
  kind: "output_filter",
  model: "*coder*",
  payload: { detectors: { repetition_loop: { action: "detect" } } },
});
store.behaviorPatches.create({
  description: "validator",
  kind: "validator",
  payload: { patterns: [{ match: "colour", replacement: "color" }] },
});

const entry: CorrectionEntry = {
  requestId: "r",
  time: 0,
  model: "qwen2.5-coder:7b",
  protocol: "ollama",
  channel: "content",
  type: "template_leak",
  found: "<|im_end|>",
  replacement: "",
  confidence: 0.9,
  action: "corrected",
};

let queued = 0;
Deno.bench("record(): queue one detection", { group: "hot path" }, () => {
  store.record(entry);
  if (++queued % 1000 === 0) store.flush();
});

Deno.bench("rules(): snapshot, unchanged", { group: "hot path" }, () => {
  store.rules();
});

const body = { model: "qwen2.5-coder:7b", messages: [{ role: "user", content: "hi" }] };
Deno.bench("applyBehaviorPatches: 3 matching patches", { group: "hot path" }, () => {
  applyBehaviorPatches("ollama_chat", body, "qwen2.5-coder:7b", store.rules().behaviorPatches);
});

Deno.bench("rules(): rebuild after a rule change (50 patterns)", (b) => {
  store.patterns.update(10, { replacement: `x${Math.random()}` });
  b.start();
  store.rules();
  b.end();
});

Deno.bench("flush(): 100 records in one transaction + log lines", (b) => {
  for (let i = 0; i < 100; i++) store.record(entry);
  b.start();
  store.flush();
  b.end();
});

globalThis.addEventListener("unload", () => {
  store.close();
  Deno.removeSync(dir, { recursive: true });
});
