import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openStore } from "../../src/store/store.ts";
import { countsToJson } from "../../src/store/stats.ts";
import type { CorrectionEntry, LiveInfo } from "../../src/store/types.ts";

const live: LiveInfo = {
  activeConnections: 2,
  serverListening: true,
  listenPort: 11435,
  upstream: "http://127.0.0.1:11434",
  mode: "correct",
};

const entry = (over: Partial<CorrectionEntry>): CorrectionEntry => ({
  requestId: "r",
  time: 1000,
  model: "m",
  protocol: "ollama",
  channel: "content",
  type: "template_leak",
  found: "x",
  replacement: "",
  confidence: 1,
  action: "corrected",
  ...over,
});

const pathFix = (requestId: string, action = "corrected") =>
  entry({
    requestId,
    type: "invalid_path",
    found: "src/util.ts",
    replacement: "src/utils.ts",
    action,
  });

Deno.test("the same path correction seen twice is learned and served as a navigation fix", () => {
  const store = openStore(":memory:");
  store.record(pathFix("a"));
  store.flush();
  assert.equal(store.rules().navigationFixes.size, 0);
  store.record(pathFix("b"));
  store.flush();
  assert.equal(store.rules().navigationFixes.get("src/util.ts"), "src/utils.ts");
  const [fix] = store.navigationFixes.list();
  assert.equal(fix?.timesCorrected, 0, "a learned fix was not used yet");
  assert.equal(fix?.lastApplied, null);
  assert.match(fix?.reasoning ?? "", /learned/);
  store.record(pathFix("c"));
  store.record(entry({ type: "invalid_path", found: "src/util.ts", replacement: "src/other.ts" }));
  const s = store.stats(live);
  const after = store.navigationFixes.list()[0];
  assert.equal(after?.timesCorrected, 1);
  assert.equal(after?.timesSeen, 2);
  assert.equal(after?.effectiveness, 0.5);
  assert.equal(s.totalNavigationFixesApplied, after?.timesCorrected, "stats agree with the fix");
  assert.equal(s.averageNavigationFixEffectiveness, 0.5);
  store.close();
});

Deno.test("stats after a scripted set of requests use the seed's names and live values", () => {
  const store = openStore(":memory:");
  const patch = store.behaviorPatches.create({
    description: "cool",
    kind: "prompt_modifier",
    payload: { options: { temperature: 0.1 } },
  });
  for (let i = 0; i < 5; i++) store.countRequest(i < 3 ? [patch] : []);
  store.record(entry({ type: "template_leak" }));
  store.record(entry({ type: "template_leak", action: "detected" }));
  store.record(entry({ type: "repetition_loop", action: "ended" }));
  store.record(entry({ type: "pattern_match", patternId: 1 }));
  const s = store.stats(live);
  assert.deepEqual(s, {
    totalHallucinationsDetected: 4,
    hallucinationsCorrected: 3,
    hallucinationTypes: { pattern_match: 1, repetition_loop: 1, template_leak: 2 },
    totalNavigationFixesApplied: 0,
    averageNavigationFixEffectiveness: 0,
    totalBehaviorPatches: 1,
    enabledPatches: 1,
    hotPatchingEnabled: true,
    totalCorrectionPatterns: 5,
    totalNavigationPatterns: 0,
    requestsProcessed: 5,
    activeConnections: 2,
    serverListening: true,
    listenPort: 11435,
    ggufEndpoint: "http://127.0.0.1:11434",
  });
  assert.equal(store.behaviorPatches.get(patch)?.successCount, 3);
  assert.equal(store.patterns.get(1)?.hitCount, 1);
  assert.equal(store.stats({ ...live, mode: "off" }).hotPatchingEnabled, false);
  store.close();
});

Deno.test("lifetime counters survive a restart and stay exact past 2^53", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "hotpatch.db");
  const first = openStore(path);
  first.countRequest();
  first.record(entry({}));
  first.close();
  const raw = new DatabaseSync(path);
  raw.prepare("UPDATE counters SET value = ? WHERE name = 'requests'").run(2n ** 62n);
  raw.close();
  const second = openStore(path);
  second.countRequest();
  const s = second.stats(live);
  assert.equal(s.requestsProcessed, 2n ** 62n + 1n);
  assert.equal(s.totalHallucinationsDetected, 1);
  assert.match(countsToJson(s), /"requestsProcessed":4611686018427387905,/);
  second.close();
  await Deno.remove(dir, { recursive: true });
});
