import assert from "node:assert/strict";
import { nestsWithin } from "../../src/text/json_depth.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("nestsWithin counts arrays and objects, not brackets inside strings (escaped quotes and backslashes included)", () => {
  assert.equal(nestsWithin(bytes('{"a":[{"b":1}]}'), 3), true);
  assert.equal(nestsWithin(bytes('{"a":[{"b":1}]}'), 2), false);
  assert.equal(nestsWithin(bytes('["\\"[[[", "\\\\"]'), 1), true);
  assert.equal(nestsWithin(bytes('["\\\\\\"[[[", [1]]'), 1), false);
  assert.equal(nestsWithin(bytes('"never closed [[[['), 0), true);
  assert.equal(nestsWithin(bytes(""), 0), true);
});

Deno.test("nestsWithin stops at the first level past the bound (16 million brackets)", () => {
  assert.equal(nestsWithin(new Uint8Array(16_000_000).fill(0x5b), 1000), false);
});
