/**
 * Edit distance between two short strings (tool names, argument names, file names), bounded so
 * that far-apart strings cost no more than the bound.
 * @module
 */

/**
 * Optimal string alignment distance (Levenshtein plus adjacent swaps), or `limit + 1` once the
 * distance is known to exceed `limit`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(editDistance("raed_file", "read_file", 2), 1);
 * ```
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2]! + 1);
      }
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}
