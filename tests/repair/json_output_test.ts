import assert from "node:assert/strict";
import { repairJsonOutput } from "../../src/repair/json_output.ts";

const schema = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer" }, tags: { type: "array" } },
  required: ["name", "age"],
};
const any = { schema: null };
const typed = { schema };

Deno.test("repairJsonOutput leaves valid JSON unchanged", async (t) => {
  const cases: [string, string][] = [
    ["compact", '{"a":1}'],
    ["pretty", '{\n  "a": 1\n}\n'],
    ["an array", "[1, 2]"],
    ["a bare value under format json", "42"],
  ];
  for (const [name, text] of cases) {
    await t.step(
      name,
      () => assert.deepEqual(repairJsonOutput(text, any), { text, detections: [] }),
    );
  }
  await t.step("fits the schema", () => {
    const text = '{"name":"Ann","age":3}';
    assert.deepEqual(repairJsonOutput(text, typed), { text, detections: [] });
  });
});

Deno.test("repairJsonOutput strips fences and prose and repairs the syntax", async (t) => {
  const cases: [string, string, string][] = [
    ["fenced", '```json\n{"a": 1}\n```', '{\n  "a": 1\n}'],
    ["prose around", 'Here you go: {"a": 1} Hope it helps.', '{"a":1}'],
    ["trailing comma", '{"a": 1,}', '{"a":1}'],
    ["Python literals", "{'ok': True, 'v': None}", '{"ok":true,"v":null}'],
    ["cut after a complete value", '{"a": [1, 2]', '{"a":[1,2]}'],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => {
      const r = repairJsonOutput(text, any);
      assert.equal(r.text, expected);
      assert.deepEqual(r.detections.map((d) => [d.type, d.found, d.replacement]), [[
        "invalid_json_output",
        text,
        expected,
      ]]);
    });
  }
  await t.step("safe schema coercions", () => {
    const r = repairJsonOutput('{"name":"Ann","age":"3","tags":"x"}', typed);
    assert.equal(r.text, '{"name":"Ann","age":3,"tags":["x"]}');
  });
});

Deno.test("repairJsonOutput flags what it cannot repair and leaves the text alone", async (t) => {
  const cases: [string, string][] = [
    ["prose only", "Sorry, I cannot help with that."],
    ["cut inside a value", '{"name": "An'],
    ["cut after a key", '{"name": "Ann", "age"'],
  ];
  for (const [name, text] of cases) {
    await t.step(name, () => {
      const r = repairJsonOutput(text, any);
      assert.equal(r.text, text);
      assert.deepEqual(r.detections.map((d) => [d.type, d.replacement]), [[
        "invalid_json_output",
        null,
      ]]);
    });
  }
  await t.step("missing required field", () => {
    const text = '{"name":"Ann"}';
    const r = repairJsonOutput(text, typed);
    assert.equal(r.text, text);
    assert.deepEqual(r.detections.map((d) => d.replacement), [null]);
    assert.match(r.detections[0]!.reason, /"age"/);
  });
});
