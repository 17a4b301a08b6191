/**
 * Line starts found by looking back a bounded distance: a detector that asks for the start of the
 * line at every token would otherwise scan back to the beginning of a long line each time, and a
 * 2 MB answer on one line of paths took minutes.
 * @module
 */

/** How far {@link lineStartNear} looks back by default. */
export const LINE_LOOKBACK = 256;

/**
 * The start of the line holding offset `at` (just after the last `\n` before it), looking back at
 * most `max` characters: on a longer line, `at - max` stands in for its start.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(lineStartNear("ab\ncd", 4), 3);
 * assert.equal(lineStartNear("x".repeat(50), 40, 10), 30);
 * ```
 */
export function lineStartNear(text: string, at: number, max = LINE_LOOKBACK): number {
  const from = Math.max(0, at - max);
  const nl = text.slice(from, at).lastIndexOf("\n");
  return nl === -1 ? from : from + nl + 1;
}

/**
 * The end of the line holding offset `at` (the next `\n` at or after it), looking ahead at most
 * `max` characters: on a longer line, `min(text.length, at + max)` stands in for its end.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(lineEndNear("ab\ncd", 1), 2);
 * assert.equal(lineEndNear("x".repeat(50), 10, 10), 20);
 * ```
 */
export function lineEndNear(text: string, at: number, max = LINE_LOOKBACK): number {
  const to = Math.min(text.length, at + max);
  const nl = text.slice(at, to).indexOf("\n");
  return nl === -1 ? to : at + nl;
}
