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
  const over = limit + 1;
  // Only cells within `limit` of the diagonal can hold a distance up to `limit`: each row fills
  // that band (2 × limit + 1 cells), so two long names cost their length, not its square. Cells
  // never written read as `over`; the one left of a band is reset, as the rows are reused.
  let prev2 = new Array<number>(b.length + 1).fill(over);
  let prev = new Array<number>(b.length + 1).fill(over);
  let row = new Array<number>(b.length + 1).fill(over);
  for (let j = 0; j <= Math.min(b.length, limit); j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - limit);
    const hi = Math.min(b.length, i + limit);
    row[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    let best = row[lo - 1]!;
    for (let j = lo; j <= hi; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2]! + 1);
      }
      row[j] = Math.min(d, over);
      best = Math.min(best, row[j]!);
    }
    if (best > limit) return over;
    [prev2, prev, row] = [prev, row, prev2];
  }
  return Math.min(prev[b.length]!, over);
}
