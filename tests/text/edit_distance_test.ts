import assert from "node:assert/strict";
import { editDistance } from "../../src/text/edit_distance.ts";

Deno.test("editDistance counts adjacent swaps as one edit and stops past the limit", () => {
  assert.equal(editDistance("abcd", "abdc", 2), 1);
  assert.equal(editDistance("kitten", "sitting", 5), 3);
  assert.equal(editDistance("a", "abcdef", 2), 3);
});
