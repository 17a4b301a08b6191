import assert from "node:assert/strict";
import { checkSchema } from "../../src/repair/schema.ts";

const schema = {
  type: "object",
  properties: {
    n: { type: "integer" },
    x: { type: "number" },
    flag: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
    zip: { type: "string" },
    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    opts: { type: "dict", properties: { depth: { type: "int" } }, required: ["depth"] },
    any: {},
  },
  required: ["n"],
};

Deno.test("checkSchema applies safe coercions as fixes", async (t) => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['"5" for an integer', { n: "5" }, { n: 5 }],
    ['"2.5" for a number', { n: 1, x: "2.5" }, { n: 1, x: 2.5 }],
    ['"true" for a boolean', { n: 1, flag: "True" }, { n: 1, flag: true }],
    ["one value where an array is asked", { n: 1, tags: "a" }, { n: 1, tags: ["a"] }],
    ["a JSON array text where an array is asked", { n: 1, tags: '["a","b"]' }, {
      n: 1,
      tags: ["a", "b"],
    }],
    ["a number where a string is asked", { n: 1, zip: 94103 }, { n: 1, zip: "94103" }],
    ["enum value in other case", { n: 1, unit: "Celsius" }, { n: 1, unit: "celsius" }],
    ["null for an optional argument", { n: 1, zip: null }, { n: 1 }],
    ["a misspelled argument name", { n: 1, unti: "celsius" }, { n: 1, unit: "celsius" }],
    ["nested, Python-ish type names", { n: 1, opts: { depth: "2" } }, { n: 1, opts: { depth: 2 } }],
  ];
  for (const [name, value, expected] of cases) {
    await t.step(name, () => {
      const r = checkSchema(value, schema);
      assert.deepEqual(r.value, expected);
      assert.equal(r.fixes.length, 1);
      assert.deepEqual(r.problems, []);
    });
  }
});

Deno.test("checkSchema flags what it cannot fix safely", async (t) => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ["a number with units", { n: "5 km" }, "mismatch", "n"],
    ["a fraction for an integer", { n: 2.5 }, "mismatch", "n"],
    ["a value outside the enum", { n: 1, unit: "kelvin" }, "mismatch", "unit"],
    ["a missing required argument", {}, "missing", "n"],
    ["a missing nested required argument", { n: 1, opts: {} }, "missing", "opts.depth"],
  ];
  for (const [name, value, kind, path] of cases) {
    await t.step(name, () => {
      const r = checkSchema(value, schema);
      assert.deepEqual(r.problems.map((p) => [p.kind, p.path]), [[kind, path]]);
      assert.deepEqual(r.fixes, []);
    });
  }
});

Deno.test("checkSchema is liberal about dialects", async (t) => {
  await t.step("unknown keywords and types are ignored", () => {
    const r = checkSchema({ a: 1 }, {
      type: "object",
      properties: { a: { type: "file", minimum: 9 } },
    });
    assert.deepEqual([r.fixes, r.problems], [[], []]);
  });
  await t.step("type lists and nullable", () => {
    const s = {
      type: "object",
      properties: { a: { type: ["string", "null"] }, b: { type: "integer", nullable: true } },
    };
    const r = checkSchema({ a: null, b: null }, s);
    assert.deepEqual([r.fixes, r.problems], [[], []]);
  });
  await t.step("anyOf picks the alternative that fits", () => {
    const s = { anyOf: [{ type: "integer" }, { type: "array", items: { type: "integer" } }] };
    assert.deepEqual(checkSchema([1, 2], s).problems, []);
    assert.equal(checkSchema("3", s).value, 3);
  });
  await t.step("unknown properties only matter with additionalProperties false", () => {
    assert.deepEqual(
      checkSchema({ zzz: 1 }, { type: "object", properties: { a: {} } }).problems,
      [],
    );
    const strict = { type: "object", properties: { a: {} }, additionalProperties: false };
    assert.equal(checkSchema({ zzz: 1 }, strict).problems[0]?.kind, "unknown_property");
  });
  await t.step("a valid value has no fixes and no problems", () => {
    const r = checkSchema({
      n: 1,
      x: 2,
      flag: false,
      tags: ["a"],
      unit: "celsius",
      opts: { depth: 1 },
    }, schema);
    assert.deepEqual([r.fixes, r.problems], [[], []]);
  });
});

Deno.test("checkSchema: a schema 100,000 levels deep (allOf chain, nested properties) is checked to a bounded depth without overflowing the stack", () => {
  let allOf: Record<string, unknown> = { type: "integer" };
  let props: Record<string, unknown> = { type: "integer" };
  let value: unknown = "5";
  for (let i = 0; i < 100_000; i++) {
    allOf = { allOf: [allOf] };
    props = { type: "object", properties: { a: props } };
    value = { a: value };
  }
  assert.deepEqual(checkSchema({ n: 1 }, allOf).problems, []);
  const deep = checkSchema(value, props);
  assert.deepEqual(deep.problems, []);
  assert.ok(typeof deep.value === "object" && deep.value !== null && "a" in deep.value);
  // Near the top the check still applies.
  assert.deepEqual(
    checkSchema({ a: { a: "5" } }, {
      type: "object",
      properties: { a: { type: "object", properties: { a: { type: "integer" } } } },
    }).value,
    { a: { a: 5 } },
  );
});

Deno.test("checkSchema: an array of 20,000 items against 1,000 branches each stops checking after a bounded number of schema nodes", () => {
  const schema = {
    type: "array",
    items: {
      anyOf: Array.from({ length: 1_000 }, (_, i) => ({ type: "string", enum: [`v${i}`] })),
    },
  };
  const checked = checkSchema(Array.from({ length: 20_000 }, () => "V999"), schema);
  const value = checked.value as string[];
  assert.equal(value.length, 20_000);
  assert.equal(value[0], "v999", "the first items are checked (enum case fixed)");
  assert.equal(value[19_999], "V999", "past the bound the rest is left as it is");
});
