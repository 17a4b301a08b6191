/**
 * `pattern_match`: the user's correction patterns (ctx.patterns, compiled by patterns.ts) found
 * in the text and replaced. Each pattern runs on a linear-time matcher over segments of bounded
 * length, and a match spans at most the pattern's `maxLength`, so the cost per window is linear
 * in the window (see patterns.ts).
 * @module
 */
import type { CompiledPattern, DetectContext, Detection, Detector } from "../detection.ts";
import { SEGMENT } from "../rules/pattern.ts";
import { literalPrefix } from "../rules/regex_prefix.ts";

const TYPE = "pattern_match";

/** Expand `$1`, `$<name>`, `$&` and `$$` in a replacement for one match. */
function expand(replacement: string, m: RegExpMatchArray): string {
  if (!replacement.includes("$")) return replacement;
  return replacement.replace(
    /\$(\$|&|\d{1,2}|<([^>]*)>)/g,
    (whole, what: string, name?: string) => {
      if (what === "$") return "$";
      if (what === "&") return m[0];
      if (name !== undefined) return m.groups?.[name] ?? "";
      const n = Number(what);
      return n > 0 && n < m.length ? m[n] ?? "" : whole;
    },
  );
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * False when `seg` cannot hold a match of `p`: every match starts with the pattern's literal
 * prefix. Decided only where that is exact (no case folding, or ASCII text and prefix); true
 * (ask the matcher) otherwise.
 */
function mayMatch(seg: string, p: CompiledPattern): boolean {
  const { text: lit } = literalPrefix(p);
  if (lit === "" || NON_ASCII.test(lit)) return true;
  if (!p.flags.includes("i")) return seg.includes(lit);
  return NON_ASCII.test(seg) || seg.toLowerCase().includes(lit);
}

/** Matches of one pattern starting in [first, limit), scanning bounded segments. */
function matchesOf(
  text: string,
  p: CompiledPattern,
  first: number,
  limit: number,
  out: Detection[],
): void {
  let from = first;
  while (from < limit) {
    const segEnd = Math.min(text.length, from + SEGMENT + p.maxLength);
    const seg = text.slice(from, segEnd);
    const stop = Math.min(limit, from + SEGMENT) - from;
    let next = from + SEGMENT;
    if (mayMatch(seg, p) && p.matcher.test(seg)) {
      for (const m of p.matcher.matchAll(seg)) {
        const at = m.index ?? 0;
        if (at >= stop) break;
        if (m[0].length === 0 || m[0].length > p.maxLength) continue;
        out.push({
          type: TYPE,
          start: from + at,
          end: from + at + m[0].length,
          found: m[0],
          replacement: expand(p.replacement, m),
          confidence: p.confidence,
          reason: `matches user pattern #${p.id}`,
          patternId: p.id,
        });
        next = Math.max(next, from + at + m[0].length);
      }
    }
    from = next;
  }
}

/** Matches starting before this offset are complete: no more text can change them. */
function settled(text: string, p: CompiledPattern): number {
  return Math.max(0, text.length - p.maxLength + 1);
}

/**
 * Start of the earliest possibly incomplete match of `p` at the end of `text`: where the text
 * could still begin the pattern's literal prefix (every position when it has none). Candidates
 * are found with `indexOf` on the last `maxLength` characters (lower-cased for a case-folding
 * pattern when they are ASCII, where that equals folding each character).
 */
function holdOf(text: string, p: CompiledPattern): number {
  const from = settled(text, p);
  const { text: lit, wordStart } = literalPrefix(p);
  if (lit === "") return from;
  const n = text.length;
  let end = text.slice(from);
  if (p.flags.includes("i")) {
    if (NON_ASCII.test(end)) return foldedHoldOf(text, from, lit, wordStart);
    end = end.toLowerCase();
  }
  const c = lit[0]!;
  for (let j = end.indexOf(c); j !== -1; j = end.indexOf(c, j + 1)) {
    const i = from + j;
    if (wordStart && i > 0 && /\w/.test(text[i - 1] ?? "")) continue; // \b: not mid-word
    let k = 1;
    while (k < lit.length && j + k < end.length && end[j + k] === lit[k]) k++;
    if (k === lit.length || i + k === n) return i;
  }
  return n;
}

/** {@link holdOf} for a case-folding pattern over text that is not all ASCII: char by char. */
function foldedHoldOf(text: string, from: number, lit: string, wordStart: boolean): number {
  const fold = (c: string) => c.toLowerCase();
  const n = text.length;
  for (let i = from; i < n; i++) {
    if (fold(text[i] ?? "") !== lit[0]) continue;
    if (wordStart && i > 0 && /\w/.test(text[i - 1] ?? "")) continue; // \b: not mid-word
    let k = 1;
    while (k < lit.length && i + k < n && fold(text[i + k] ?? "") === lit[k]) k++;
    if (k === lit.length || i + k === n) return i;
  }
  return n;
}

/** The `pattern_match` detector. */
export const patternMatch: Detector = {
  type: TYPE,
  detect(text: string, ctx: DetectContext): Detection[] {
    const out: Detection[] = [];
    for (const p of ctx.patterns) {
      const limit = ctx.final ? text.length : settled(text, p);
      // Matches starting in emitted text were handled by an earlier window.
      matchesOf(text, p, Math.max(0, ctx.emitted - p.maxLength), limit, out);
    }
    return out.filter((d) => d.start >= ctx.emitted).sort((a, b) => a.start - b.start);
  },
  holdFrom(text: string, ctx: DetectContext): number {
    if (ctx.final) return text.length;
    let hold = text.length;
    for (const p of ctx.patterns) hold = Math.min(hold, holdOf(text, p));
    return hold;
  },
};
