import assert from "node:assert/strict";
import { applyBehaviorPatches } from "../../src/rules/apply_behavior.ts";
import { openStore } from "../../src/store/store.ts";
import { patternsFor } from "../../src/store/rule_snapshot.ts";
import type { BehaviorPatch, BehaviorSpec } from "../../src/rules/types.ts";

let next = 1;
const patch = (spec: BehaviorSpec, model = "*", enabled = true): BehaviorPatch => ({
  ...spec,
  id: next++,
  description: "test",
  model,
  enabled,
  successCount: 0,
  createdAt: 0,
});

const system = patch({
  kind: "prompt_modifier",
  payload: {
    system: "Only use files that exist.",
    options: { temperature: 0.2, max_tokens: 64, num_ctx: 8192, stop: ["</s>"] },
  },
}, "qwen*");

Deno.test("prompt modifier on Ollama chat: system message first, options inside options", () => {
  const body = {
    model: "qwen3:8b",
    messages: [{ role: "user", content: "hi" }],
    options: { seed: 1 },
  };
  const out = applyBehaviorPatches("ollama_chat", body, "qwen3:8b", [system]);
  assert.deepEqual(out.body, {
    model: "qwen3:8b",
    messages: [{ role: "system", content: "Only use files that exist." }, {
      role: "user",
      content: "hi",
    }],
    options: { seed: 1, temperature: 0.2, num_predict: 64, num_ctx: 8192, stop: ["</s>"] },
  });
  assert.deepEqual(out.applied, [system.id]);
  assert.equal(body.messages.length, 1, "the input body is not changed");
});

Deno.test("prompt modifier on OpenAI chat appends to a leading system message, top-level options", () => {
  const body = { messages: [{ role: "system", content: "Be terse." }], temperature: 1 };
  const out = applyBehaviorPatches("openai_chat", body, "Qwen2.5-Coder", [system]);
  assert.deepEqual(out.body, {
    messages: [{ role: "system", content: "Be terse.\n\nOnly use files that exist." }],
    temperature: 0.2,
    max_tokens: 64,
    stop: ["</s>"],
  });
});

Deno.test("prompt modifier on generate and completion routes uses system / prompt prefix", () => {
  const gen = applyBehaviorPatches("ollama_generate", { prompt: "p" }, "qwen", [system]).body;
  assert.equal(gen.system, "Only use files that exist.");
  assert.equal(gen.prompt, "p");
  const llama = applyBehaviorPatches("llamacpp_completion", { prompt: "p" }, "qwen", [system]).body;
  assert.deepEqual(llama, {
    prompt: "Only use files that exist.\n\np",
    temperature: 0.2,
    n_predict: 64,
    stop: ["</s>"],
  });
});

Deno.test("patches apply only to matching models and when enabled", () => {
  const off = patch(
    { kind: "prompt_modifier", payload: { options: { temperature: 0 } } },
    "*",
    false,
  );
  const body = { messages: [] };
  const out = applyBehaviorPatches("openai_chat", body, "llama3", [system, off]);
  assert.equal(out.body, body);
  assert.deepEqual(out.applied, []);
});

Deno.test("output filters merge detector settings; validators add compiled patterns", () => {
  const filter = patch({
    kind: "output_filter",
    payload: { detectors: { repetition_loop: { enabled: false } } },
  }, "*coder*");
  const filter2 = patch({
    kind: "output_filter",
    payload: { detectors: { repetition_loop: { action: "detect" } } },
  });
  const validator = patch({
    kind: "validator",
    payload: { patterns: [{ match: "colour", replacement: "color" }] },
  });
  const out = applyBehaviorPatches("openai_chat", {}, "qwen2.5-coder", [
    filter,
    filter2,
    validator,
  ]);
  assert.deepEqual(out.settings, { repetition_loop: { enabled: false, action: "detect" } });
  assert.equal(out.patterns.length, 1);
  assert.equal(out.patterns[0]?.id, -validator.id);
  assert.equal(out.patterns[0]?.matcher.exec("The colour")?.[0], "colour");
  assert.equal(out.patterns[0]?.replacement, "color");
});

Deno.test("a validator hit counts as a success of its patch", () => {
  const store = openStore(":memory:");
  const id = store.behaviorPatches.create({
    description: "v",
    kind: "validator",
    model: "qwen*",
    payload: { patterns: [{ match: "colour", replacement: "color" }] },
  });
  const [p] =
    applyBehaviorPatches("ollama_chat", {}, "qwen3", store.rules().behaviorPatches).patterns;
  store.record({
    requestId: "r",
    time: 0,
    model: "qwen3",
    protocol: "ollama",
    channel: "content",
    type: "pattern_match",
    found: "colour",
    replacement: "color",
    confidence: 0.9,
    action: "corrected",
    patternId: p?.id ?? 0,
  });
  store.flush();
  assert.equal(store.behaviorPatches.get(id)?.successCount, 1);
  store.close();
});

Deno.test("patterns with a model glob apply only to matching models", () => {
  const store = openStore(":memory:");
  const id = store.patterns.create({ match: "colour", replacement: "color", model: "qwen*" });
  const snapshot = store.rules();
  assert.ok(!snapshot.patterns.some((p) => p.id === id));
  assert.ok(patternsFor(snapshot, "qwen3:8b").some((p) => p.id === id));
  assert.ok(!patternsFor(snapshot, "llama3").some((p) => p.id === id));
  assert.equal(patternsFor(snapshot, "llama3"), snapshot.patterns);
  store.close();
});
