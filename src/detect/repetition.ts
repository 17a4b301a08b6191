/**
 * `repetition_loop`: degenerate repetition at the end of the text (a model looping until its token
 * limit): the same line, sentence, block or short phrase repeated verbatim. The answer is kept up
 * to the end of the first repeat (at a line, sentence or word boundary) and the generation ends.
 *
 * How: the Z-function of the reversed text gives, for every period p, how far the text's suffix
 * agrees with itself shifted by p, in one linear pass. The smallest period whose repeated span
 * passes the thresholds below is the loop. Only verbatim repetition counts, so tables, test cases
 * and similar lines with different values never trigger; units without a letter or digit
 * (separators such as `-----`, `|---|`) need a very long run.
 * @module
 */
import type { DetectContext, Detection, Detector } from "./types.ts";

const TYPE = "repetition_loop";
/** Longest repeated unit considered (a block of code). */
const MAX_UNIT = 1500;
/** Separator-only units must repeat over this many characters. */
const SEPARATOR_SPAN = 2000;

/** A verbatim repetition at the end of the text: unit length and the span it covers. */
interface Loop {
  period: number;
  /** Start of the repeated region. */
  start: number;
  /** Where the kept text ends (end of the first repeat, at a boundary). */
  cut: number;
}

/** Repetition needed before a unit of length `p` covering `span` characters is a loop. */
function isLoop(p: number, span: number): boolean {
  if (p < 8) return span >= 100 && span >= 12 * p;
  if (p < 40) return span >= 6 * p && span >= 100;
  return span >= 3 * p;
}

/** Common-suffix lengths: z[p] = longest common suffix of text and text[0, n - p). */
function suffixZ(text: string, maxP: number): Int32Array {
  const n = text.length;
  const at = (i: number): number => text.charCodeAt(n - 1 - i);
  const z = new Int32Array(maxP + 1);
  let l = 0;
  let r = 0;
  for (let i = 1; i <= maxP; i++) {
    let k = 0;
    if (i < r) k = Math.min(r - i, z[i - l] ?? 0);
    while (i + k < n && at(k) === at(i + k)) k++;
    z[i] = k;
    if (i + k > r) {
      l = i;
      r = i + k;
    }
  }
  return z;
}

const WORDY = /[\p{L}\p{N}]/u;

/** How good a cut at `c` is: after a line (3), after a sentence (2), after a word (1). */
function rank(text: string, c: number): number {
  const before = text[c - 1] ?? "";
  const after = text[c] ?? " ";
  if (before === "\n") return 3;
  if (!/\s/.test(after) || /\s/.test(before)) return 0;
  return before === "." || before === "!" || before === "?" ? 2 : 1;
}

/**
 * End of the first repeat of the loop starting at `start` with period `p`, at the best boundary
 * of the cycle: just before the whitespace that ends the first copy, else in the second copy.
 */
function cutPoint(text: string, start: number, p: number): number {
  const first = start + p;
  let best = 0;
  let phase = first;
  for (let c = start + 1; c <= first; c++) {
    const r = rank(text, c);
    if (r > best) {
      best = r;
      phase = c;
    }
  }
  let w = first;
  while (w > start + 1 && /\s/.test(text[w - 1] ?? "")) w--;
  for (let c = first; c >= w; c--) if (rank(text, c) === best) return c;
  return phase === first ? first : phase + p;
}

/** The loop ending the text, or, when `forming`, a repeat that has begun (worth holding). */
function findLoop(text: string, forming: boolean): Loop | null {
  const n = text.length;
  if (n < 16) return null;
  const maxP = Math.min(MAX_UNIT, forming ? n - 1 : n >> 1);
  const z = suffixZ(text, maxP);
  for (let p = 1; p <= maxP; p++) {
    const span = (z[p] ?? 0) + p;
    const ok = forming ? p >= 4 && span - p >= Math.min(p, 8) : isLoop(p, span);
    if (!ok) continue;
    const start = n - span;
    const unit = text.slice(n - Math.min(p, span - p), n);
    if (!WORDY.test(unit) && span < SEPARATOR_SPAN) continue;
    return { period: p, start, cut: cutPoint(text, start, p) };
  }
  return null;
}

/** The `repetition_loop` detector. */
export const repetitionLoop: Detector = {
  type: TYPE,
  detect(text: string, ctx: DetectContext): Detection[] {
    const loop = findLoop(text, false);
    if (loop === null) return [];
    const start = Math.max(loop.cut, ctx.emitted);
    if (start >= text.length) return [];
    const repeats = Math.floor((text.length - loop.start) / loop.period);
    return [{
      type: TYPE,
      start,
      end: text.length,
      found: text.slice(start),
      replacement: "",
      confidence: Math.min(0.99, 0.7 + 0.03 * repeats),
      reason: `the same ${loop.period}-character text repeats ${repeats} times: generation stopped`,
      effect: "end",
    }];
  },
  holdFrom(text: string, ctx: DetectContext): number {
    if (ctx.final) return text.length;
    const forming = findLoop(text, true);
    return forming === null ? text.length : Math.max(forming.cut, ctx.emitted);
  },
};
