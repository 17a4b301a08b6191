import assert from "node:assert/strict";
import { editDistance } from "../../src/text/edit_distance.ts";

Deno.test("editDistance counts adjacent swaps as one edit and stops past the limit", () => {
  assert.equal(editDistance("abcd", "abdc", 2), 1);
  assert.equal(editDistance("kitten", "sitting", 5), 3);
  assert.equal(editDistance("a", "abcdef", 2), 3);
});

Deno.test("editDistance matches the full table on 20,000 seeded pairs (band of limit around the diagonal)", () => {
  let seed = 42;
  const rnd = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const word = () => Array.from({ length: rnd(10) }, () => "abc_"[rnd(4)]).join("");
  for (let k = 0; k < 20_000; k++) {
    const a = word();
    const b = k % 2 ? word() : a.replace(/./g, (c) => (rnd(4) === 0 ? "abc_"[rnd(4)]! : c));
    const limit = rnd(4);
    assert.equal(editDistance(a, b, limit), Math.min(fullTable(a, b), limit + 1), `${a} ${b}`);
  }
});

Deno.test("editDistance of two 1,000,000-character names with limit 2 finishes in a killable child within 20 s (the band, not the square)", async () => {
  const module = new URL("../../src/text/edit_distance.ts", import.meta.url).href;
  const code = `import { editDistance } from "${module}";` +
    `console.log(editDistance("x".repeat(1e6), "x".repeat(999_999) + "y", 2));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).output();
  assert.equal(new TextDecoder().decode(out.stdout).trim(), "1");
});

/** Optimal string alignment distance by the whole table, for reference. */
function fullTable(a: string, b: string): number {
  const d = Array.from(
    { length: a.length + 1 },
    (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
