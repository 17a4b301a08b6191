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
import type { DetectContext, Detection, Detector } from "../detection.ts";

const TYPE = "repetition_loop";
/** Longest repeated unit considered (a block of code). */
const MAX_UNIT = 4000;
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

/**
 * Repetition needed before a unit of length `p` covering `span` characters is a loop: short units
 * (a word, a small matrix row of zeros) must repeat many times, long ones (a paragraph, a block)
 * three times. A model that loops goes on until its token limit, so high counts cost little recall.
 */
function isLoop(p: number, span: number): boolean {
  if (p < 8) return span >= 160 && span >= 16 * p;
  if (p < 40) return span >= 10 * p && span >= 160;
  // A long block (a paragraph, a function): two whole copies and a third well begun.
  if (p >= LONG_UNIT) return span >= 2 * p + LONG_UNIT;
  return span >= 3 * p;
}

/** A unit at least this long is a loop once a third copy has agreed this far. */
const LONG_UNIT = 200;

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
/** A forming repeat (two copies) covers at least this many characters. */
const FORMING_MIN_SPAN = 24;
/** ... so its suffix agrees with itself over at least half of that. */
const FORMING_MIN_AGREE = FORMING_MIN_SPAN / 2;

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

/** A period of the text's end and the span over which the text repeats with it. */
interface Period {
  p: number;
  span: number;
}

/** The last text's periods: the corrector asks `holdFrom` and then `detect` about one text. */
let lastPeriods: { text: string; periods: Period[] } | null = null;

/**
 * The periods p (up to the longest unit, at most half the text) that can matter, nearest
 * (smallest p) first, with their spans: the last {@link FORMING_MIN_AGREE} characters occur p
 * characters earlier, and the end agrees with itself shifted by p over at least min(p,
 * {@link LOOP_MIN_AGREE}) characters (a forming repeat needs p, a loop {@link LOOP_MIN_AGREE};
 * both callers skip the other periods). One search serves `holdFrom` and `detect`.
 *
 * Cheap measuring: a period whose end does not agree at that distance is dropped after one
 * comparison, and a multiple of the first kept period p0 up to its span s0 has span s0 (the end
 * repeats with p0 over s0). Indented code and separator runs make many p periods.
 */
function periodsOf(text: string): Period[] {
  if (lastPeriods !== null && lastPeriods.text === text) return lastPeriods.periods;
  const n = text.length;
  const agree = FORMING_MIN_AGREE;
  const periods: Period[] = [];
  if (n > agree) {
    const suffix = text.slice(n - agree);
    // Forward `indexOf` is a fast search (a backward `lastIndexOf` scan is several times
    // slower); only occurrences with p <= maxP can matter, so the search starts there.
    const maxP = Math.min(MAX_UNIT, n >> 1);
    // In a run of one character (indentation, a rule) the next occurrence is the next offset
    // while the run goes on: one comparison instead of a new search.
    const c = text.charCodeAt(n - 1);
    const run = commonSuffix(suffix, 1) === agree - 1;
    const found: number[] = [];
    for (
      let at = text.indexOf(suffix, Math.max(0, n - agree - maxP));
      at !== -1 && at < n - agree;
      at = run && text.charCodeAt(at + agree) === c ? at + 1 : text.indexOf(suffix, at + 1)
    ) found.push(at);
    for (let i = found.length - 1; i >= 0; i--) {
      const p = n - agree - found[i]!;
      const need = Math.min(p, LOOP_MIN_AGREE);
      if (text.charCodeAt(n - need) !== text.charCodeAt(n - need - p)) continue;
      const first = periods[0];
      const span = first !== undefined && p % first.p === 0 && p <= first.span
        ? first.span
        : commonSuffix(text, p) + p;
      if (span - p >= need) periods.push({ p, span });
    }
  }
  lastPeriods = { text, periods };
  return periods;
}

/**
 * Near-empty lines (a comment marker, a bullet, a quote mark) repeated this many times are a loop
 * even without words: real answers never hold dozens of identical empty markers in a row.
 */
const MARKER_LINES = 32;

/**
 * True when the repeated part is words, a run of near-empty lines repeated many times, or a
 * separator run long enough to be a loop.
 */
function worthy(text: string, p: number, span: number, forming = false): boolean {
  if (span >= SEPARATOR_SPAN) return true;
  const unit = text.slice(text.length - Math.min(p, span - p));
  if (WORDY.test(unit)) return true;
  return p <= 16 && unit.includes("\n") && (forming || span >= MARKER_LINES * p) &&
    /\S/.test(unit);
}

/** The loop ending the text (smallest period), or null. */
function findLoop(text: string): Loop | null {
  const n = text.length;
  if (n < 16) return null;
  let unit = 0; // the smallest period repeating at least twice: its multiples are the same loop
  let unitSpan = 0;
  for (const { p, span } of periodsOf(text)) {
    if (span - p < LOOP_MIN_AGREE) continue;
    if (unit > 0 && p % unit === 0 && span <= unitSpan) continue;
    if (unit === 0 && span >= 2 * p) {
      unit = p;
      unitSpan = span;
    }
    const marker = p <= 16 && span >= MARKER_LINES * p;
    if (!(isLoop(p, span) || marker) || !worthy(text, p, span)) continue;
    return { period: p, start: n - span, cut: cutPoint(text, n - span, p) };
  }
  return null;
}

/**
 * When the text ends with at least two copies of a unit (a loop may be starting), the end of the
 * second copy: later copies are held until the text is a loop or diverges. Two copies are rare in
 * real answers, so clean text is almost never held.
 */
function formingHold(text: string): number {
  const n = text.length;
  for (const { p, span } of periodsOf(text)) {
    if (span < 2 * p || !worthy(text, p, span, true)) continue;
    const marker = !WORDY.test(text.slice(n - p));
    if (!marker && (p < 4 || span < FORMING_MIN_SPAN)) continue;
    return Math.min(n, cutPoint(text, n - span, p) + p);
  }
  return n;
}

/**
 * When the text ends with the same near-empty line (a marker without letters or digits, up to
 * 16 characters) twice or more, the end of its first copy: the run is held until it is a loop or
 * other text follows. Else the text's length.
 */
function markerRunHold(text: string): number {
  const n = text.length;
  if (n < 4) return n;
  if (text.charCodeAt(n - 1) !== 10) {
    // A copy still being written: held with the run before it.
    const cut = lineStartNear(text, n);
    if (cut <= 0 || n - cut > MARKER_LINE) return n;
    const partial = text.slice(cut);
    const prevStart = text.lastIndexOf("\n", cut - 2) + 1;
    if (WORDY.test(partial)) return n;
    if (!text.startsWith(partial, prevStart) || WORDY.test(text.slice(prevStart, cut))) return n;
    return Math.min(cut, markerRunHold(text.slice(0, cut)));
  }
  const lastStart = lineStartNear(text, n - 1);
  if (lastStart < 0 || n - lastStart > MARKER_LINE) return n;
  const line = text.slice(lastStart, n);
  if (WORDY.test(line) || !/\S/.test(line)) return n;
  let first = lastStart;
  while (first >= line.length && text.startsWith(line, first - line.length)) first -= line.length;
  if (first > 0 && text.charCodeAt(first - 1) !== 10) first += line.length; // not a line start
  return lastStart - first >= line.length ? first + line.length : n;
}

/** Longest near-empty marker line, its "\n" included. */
const MARKER_LINE = 17;

/**
 * Start of the line holding offset `end - 1` (just after its "\n"; 0 at the text's start) when
 * that is at most {@link MARKER_LINE} characters back from `end`, else -1: only that far is
 * looked at, so a long text without line breaks costs nothing here.
 */
function lineStartNear(text: string, end: number): number {
  const stop = Math.max(0, end - MARKER_LINE - 1);
  for (let i = end - 1; i >= stop; i--) if (text.charCodeAt(i) === 10) return i + 1;
  return stop === 0 ? 0 : -1;
}

/** The cut, or when text past it already went out, the next copy boundary (else `emitted`). */
function startAfter(loop: Loop, emitted: number, n: number): number {
  if (loop.cut >= emitted) return loop.cut;
  const next = loop.cut + Math.ceil((emitted - loop.cut) / loop.period) * loop.period;
  return next < n ? next : emitted;
}

/** The `repetition_loop` detector. */
export const repetitionLoop: Detector = {
  type: TYPE,
  /** Three copies of the longest unit: a long block is cut in a stream as in a whole answer. */
  lookback: 3 * MAX_UNIT,
  detect(text: string, ctx: DetectContext): Detection[] {
    const loop = findLoop(text);
    if (loop === null) return [];
    const start = startAfter(loop, ctx.emitted, text.length);
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
    return Math.max(Math.min(formingHold(text), markerRunHold(text)), ctx.emitted);
  },
};
