import assert from "node:assert/strict";
import { openStore } from "../../src/store/store.ts";
import { parseRulesDocument } from "../../src/store/transfer.ts";
import { ValidationError } from "../../src/rules/fields.ts";

/** A store with one rule of each kind. */
function seeded() {
  const store = openStore(":memory:");
  store.patterns.create({ match: "colour", replacement: "color", model: "qwen*", confidence: 0.7 });
  store.navigationFixes.create({
    incorrectPath: "src/a.ts",
    correctPath: "src/b.ts",
    reasoning: "moved",
  });
  store.behaviorPatches.create({
    description: "terse",
    kind: "prompt_modifier",
    model: "*coder*",
    payload: { system: "Be terse.", options: { stop: ["\n\n\n"] } },
  });
  return store;
}

Deno.test("export, change, import restores the old rules exactly", () => {
  const store = seeded();
  const before = store.exportRules();
  const text = JSON.stringify(before);
  store.patterns.remove(1);
  store.patterns.update(6, { replacement: "COLOR", enabled: false });
  store.navigationFixes.create({ incorrectPath: "x", correctPath: "y" });
  store.behaviorPatches.remove(1);
  assert.notDeepEqual(store.exportRules(), before);
  const version = store.rules().version;
  store.importRules(parseRulesDocument(JSON.parse(text)));
  assert.deepEqual(store.exportRules(), before);
  assert.equal(JSON.stringify(store.exportRules()), text);
  assert.ok(store.rules().version > version, "an import is a rule change");
  store.close();
});

Deno.test("an import into another database reproduces the same document", () => {
  const a = seeded();
  const b = openStore(":memory:");
  b.importRules(a.exportRules());
  assert.deepEqual(b.exportRules(), a.exportRules());
  a.close();
  b.close();
});

Deno.test("invalid documents are refused and leave the rules untouched", async (t) => {
  const store = seeded();
  const good = store.exportRules();
  const cases: [string, unknown][] = [
    ["not an object", [1]],
    ["wrong format", { ...good, format: "other" }],
    ["unknown top-level field", { ...good, extra: 1 }],
    ["unknown rule field", { ...good, patterns: [{ ...good.patterns[0], sql: "x" }] }],
    ["catastrophic regex", {
      ...good,
      patterns: [{ ...good.patterns[0], match: "(a+)+$", regex: true }],
    }],
    ["duplicate ids", { ...good, patterns: [good.patterns[0], good.patterns[0]] }],
    ["negative count", { ...good, patterns: [{ ...good.patterns[0], hitCount: -1 }] }],
    ["bad patch kind", { ...good, behaviorPatches: [{ ...good.behaviorPatches[0], kind: "x" }] }],
  ];
  for (const [name, doc] of cases) {
    await t.step(name, () => {
      assert.throws(() => store.importRules(doc as never), ValidationError);
      assert.deepEqual(store.exportRules(), good);
    });
  }
  store.close();
});
