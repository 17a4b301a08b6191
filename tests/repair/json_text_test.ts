import assert from "node:assert/strict";
import { readJson } from "../../src/repair/json_text.ts";
import { endingOf } from "../../src/repair/truncation.ts";

Deno.test("readJson repairs the usual model JSON mistakes", async (t) => {
  const cases: [string, string, unknown][] = [
    ["single quotes", "{'path': 'a.ts'}", { path: "a.ts" }],
    ["trailing commas", '{"a":[1,2,],}', { a: [1, 2] }],
    ["unquoted keys", '{path: "a.ts", line: 3}', { path: "a.ts", line: 3 }],
    ["Python literals", '{"a": True, "b": False, "c": None}', { a: true, b: false, c: null }],
    ["Python repr", "{'a': True, 'b': None, 'c': 'it\\'s'}", { a: true, b: null, c: "it's" }],
    ["Python tuple", "{'xs': (1, 2)}", { xs: [1, 2] }],
    ["apostrophe in single quotes", "{'name': 'McDonald's', 'n': 1}", { name: "McDonald's", n: 1 }],
    ["fenced", '```json\n{"a": 1}\n```', { a: 1 }],
    ["JSON inside a string", '"{\\"a\\":1}"', { a: 1 }],
    ["closers cut", '{"a":{"b":"x"', { a: { b: "x" } }],
    ["cut after a literal", '{"a":true', { a: true }],
    ["cut after an array", '{"a":[1,2]', { a: [1, 2] }],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => {
      const read = readJson(text);
      assert.equal(read.kind, "repaired");
      assert.deepEqual(read.kind === "repaired" && read.value, expected);
    });
  }
});

Deno.test("readJson refuses texts cut where content may be lost", async (t) => {
  const cases: [string, string][] = [
    ['{"distance":30', "number"],
    ['{"name":"Nancy Parso', "string"],
    ['{"a":1,"dividend"', "key"],
    ['{"a":', "before a value"],
    ['{"a":1,', "comma"],
    ['{"a": tru', "word"],
  ];
  for (const [text, where] of cases) {
    await t.step(`${text} (${where})`, () => assert.equal(readJson(text).kind, "broken"));
  }
});

Deno.test("readJson leaves valid JSON as it is", () => {
  assert.deepEqual(readJson('{"a": 1}'), { kind: "valid", value: { a: 1 } });
  assert.deepEqual(readJson("[1]"), { kind: "valid", value: [1] });
});

Deno.test("endingOf tells closable cuts from lossy ones", () => {
  assert.deepEqual(endingOf('{"a":1}'), { kind: "complete" });
  assert.deepEqual(endingOf("{"), { kind: "closable" });
  assert.deepEqual(endingOf("{'a': None"), { kind: "closable" });
  assert.equal(endingOf('{"a":"x').kind, "lost");
  assert.equal(endingOf("{a: 1, b").kind, "lost");
});
