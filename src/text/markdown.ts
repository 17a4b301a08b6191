/**
 * Markdown code awareness shared by the detectors and the corrector: fenced code blocks and
 * inline code spans, so that tokens a user is *writing about* are left alone.
 *
 * Fences: a line made of optional indentation, then ``` or ~~~ (three or more) opens a block; a
 * line starting with the same character, at least as many times, closes it. Indentation of any
 * depth is accepted (models indent fences inside list items). A closing fence may be glued to a
 * template token (```<|im_end|>): the block still closes there, and the token is outside code.
 * Inline spans: a run of N backticks closed by a run of exactly N backticks on the same line.
 * @module
 */

/** A half-open range [start, end) of UTF-16 offsets. */
export interface CodeRange {
  start: number;
  end: number;
}

/** A fence line; a Harmony message start glued before it (`…<|message|>```py`) is a line start. */
const FENCE_LINE = /^(?:[^`~\n]*<\|message\|>)?[ \t]*(`{3,}|~{3,})(.*)$/;

/** The fence a line opens (when `fence` is null) or the new state after it (when open). */
function fenceAfterLine(fence: string | null, line: string): string | null {
  const m = FENCE_LINE.exec(line);
  if (m === null) return fence;
  const run = m[1] ?? "";
  const rest = m[2] ?? "";
  if (fence === null) {
    // Backtick fences cannot carry backticks in their info string.
    if (run[0] === "`" && rest.includes("`")) return null;
    // A fence glued to a template token ends an answer; it opens nothing.
    if (rest.trimStart().startsWith("<")) return null;
    return run;
  }
  return closesFence(fence, run, rest) ? null : fence;
}

/** True when a fence run (followed by `rest`) closes the open block `fence`. */
function closesFence(fence: string, run: string, rest: string): boolean {
  if (run[0] !== fence[0] || run.length < fence.length) return false;
  const after = rest.trimStart();
  return after === "" || after[0] === "<" || after[0] === "[";
}

/**
 * Fence state after the complete lines of `text` (a trailing partial line is ignored).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const fence = "`".repeat(3);
 * assert.equal(advanceFence(null, `intro\n${fence}ts\nconst a = 1;\n`), fence);
 * assert.equal(advanceFence(fence, `}\n${fence}<|im_end|>\n`), null);
 * ```
 */
export function advanceFence(fence: string | null, text: string): string | null {
  let state = fence;
  let start = 0;
  for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
    const line = text.slice(start, nl);
    if (line.includes("`") || line.includes("~")) state = fenceAfterLine(state, line);
    start = nl + 1;
  }
  return state;
}

/**
 * Code ranges of `text` (fenced blocks, including their fence lines, and inline code spans),
 * given the fence open at offset 0. Offset 0 is taken as a line start. A block still open at the
 * end of `text` runs to its end. The closing fence range stops after its backticks, so a token
 * glued to it is outside code.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(codeRanges("a `<s>` b", null), [{ start: 2, end: 7 }]);
 * const fence = "`".repeat(3);
 * assert.deepEqual(codeRanges(`x\n${fence}\n<s>\n${fence}\ny`, null), [{ start: 2, end: 13 }]);
 * ```
 */
export function codeRanges(text: string, fence: string | null): CodeRange[] {
  const ranges: CodeRange[] = [];
  let state = fence;
  let blockStart = state === null ? -1 : 0;
  let start = 0;
  while (start <= text.length) {
    let nl = text.indexOf("\n", start);
    if (nl === -1) nl = text.length;
    const line = text.slice(start, nl);
    const m = line.includes("`") || line.includes("~") ? FENCE_LINE.exec(line) : null;
    if (state !== null) {
      if (m !== null && closesFence(state, m[1] ?? "", m[2] ?? "")) {
        const runEnd = start + line.indexOf(m[1] ?? "") + (m[1] ?? "").length;
        ranges.push({ start: blockStart, end: runEnd });
        state = null;
      }
    } else if (m !== null && fenceAfterLine(null, line) !== null) {
      state = m[1] ?? "```";
      // A header glued before the fence (`<|message|>```py`) is not code.
      const fence = line.indexOf(m[1] ?? "");
      blockStart = /^[ \t]*$/.test(line.slice(0, fence)) ? start : start + fence;
    } else if (line.includes("`")) {
      inlineSpans(line, start, ranges);
    }
    start = nl + 1;
  }
  if (state !== null) ranges.push({ start: blockStart, end: text.length });
  return ranges;
}

/** Push the inline code spans of one line (offset `base`) to `out`. */
function inlineSpans(line: string, base: number, out: CodeRange[]): void {
  let i = line.indexOf("`");
  while (i !== -1) {
    let j = i;
    while (line[j] === "`") j++;
    const run = j - i;
    let k = line.indexOf("`", j);
    let closed = -1;
    while (k !== -1) {
      let e = k;
      while (line[e] === "`") e++;
      if (e - k === run) {
        closed = e;
        break;
      }
      k = line.indexOf("`", e);
    }
    if (closed === -1) {
      i = line.indexOf("`", j);
      continue;
    }
    out.push({ start: base + i, end: base + closed });
    i = line.indexOf("`", closed);
  }
}

/**
 * True when offset `at` lies inside one of the sorted, non-overlapping `ranges`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(inRanges([{ start: 2, end: 5 }], 3), true);
 * ```
 */
export function inRanges(ranges: readonly CodeRange[], at: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (r === undefined) return false;
    if (at < r.start) hi = mid - 1;
    else if (at >= r.end) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Offset of an unclosed backtick run on the last line of `text` (an inline span that more text
 * could still close), or -1. Streaming detectors hold text from there when it matters.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(openInlineCode("see `<|im_end", null), 4);
 * assert.deepEqual(openInlineCode("see `x` y", null), -1);
 * ```
 */
export function openInlineCode(text: string, fence: string | null): number {
  const lineStart = text.lastIndexOf("\n") + 1;
  const state = advanceFence(fence, text.slice(0, lineStart));
  if (state !== null) return -1;
  const line = text.slice(lineStart);
  if (!line.includes("`") || FENCE_LINE.test(line)) return -1;
  const spans: CodeRange[] = [];
  inlineSpans(line, 0, spans);
  let i = line.indexOf("`");
  for (const s of spans) {
    if (i < s.start) return lineStart + i;
    i = line.indexOf("`", s.end);
  }
  return i === -1 ? -1 : lineStart + i;
}
