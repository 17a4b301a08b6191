/**
 * `repetition_loop`: degenerate repetition at the end of the text (a model looping until its token
 * limit): the same line, sentence, block or short phrase repeated verbatim. The answer is kept up
 * to the end of the first repeat (at a line, sentence or word boundary) and the generation ends.
 *
 * How: a period p is a candidate when the text's last characters also occur p characters
 * earlier; for each candidate (smallest first) the length over which the suffix agrees with itself
 * shifted by p gives the repeated span. The smallest period passing the thresholds is the loop.
 * Only verbatim repetition counts, so tables, test cases and similar lines with different values
 * never trigger; units without a letter or digit (separators such as `-----`, `|---|`) need a
 * very long run.
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

/** Length of the common suffix of `text` and `text[0, n - p)`. */
function commonSuffix(text: string, p: number): number {
  const n = text.length;
  let k = 0;
  while (k < n - p && text.charCodeAt(n - 1 - k) === text.charCodeAt(n - 1 - p - k)) k++;
  return k;
}

/**
 * Every loop needs its suffix to agree with itself shifted by p over at least this many
 * characters (the smallest `span - p` that {@link isLoop} accepts is above 80).
 */
const LOOP_MIN_AGREE = 64;
/** A forming repeat agrees over at least this many characters. */
const FORMING_MIN_AGREE = 4;

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
  const agree = forming ? FORMING_MIN_AGREE : LOOP_MIN_AGREE;
  if (n < 16 || n <= agree) return null;
  const maxP = Math.min(MAX_UNIT, forming ? n - 1 : n >> 1);
  // A period p can only qualify if the last `agree` characters also occur p characters earlier:
  // walk those occurrences, nearest (smallest p) first.
  const suffix = text.slice(n - agree);
  for (
    let at = text.lastIndexOf(suffix, n - agree - 1);
    at !== -1;
    at = at === 0 ? -1 : text.lastIndexOf(suffix, at - 1)
  ) {
    const p = n - agree - at;
    if (p > maxP) break;
    const span = commonSuffix(text, p) + p;
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
