/**
 * User correction patterns: validation and compilation.
 *
 * Matching never backtracks: every pattern runs on RE2JS (`npm:re2js`, a port of RE2), whose
 * cost is linear in the text, so no pattern can block the event loop. JavaScript syntax is
 * accepted where RE2 has the same meaning (`\u00e9`, `(?<name>…)`, lookbehind); lookahead and
 * backreferences have no linear-time implementation and are refused with the reason. Shapes that
 * would backtrack catastrophically in a JavaScript engine (`(a+)+`) are still refused, so a rule
 * keeps its meaning wherever it is copied. The pattern detector runs each pattern over segments
 * of at most {@link SEGMENT} + {@link REGEX_SPAN_CAP} characters, and a regex match spans at most
 * {@link REGEX_SPAN_CAP} characters (longer matches are ignored).
 * @module
 */
import { RE2JS } from "re2js";
import type { CompiledPattern } from "../detection.ts";
import { analyseRegex } from "./regex_safety.ts";

/** Longest accepted pattern source. */
export const MAX_SOURCE = 500;
/** Longest text a regex match may span (also the holdback bound of a regex pattern). */
export const REGEX_SPAN_CAP = 256;
/** Characters of new text per regex exec. */
export const SEGMENT = 2048;

/** A pattern as stored (the store issue owns persistence). */
export interface PatternInput {
  id: number;
  match: string;
  regex: boolean;
  replacement: string;
  confidence: number;
  /** Regex flags among `i`, `m`, `s`, `u` (ignored for literals). */
  flags?: string;
}

/** Thrown by {@link compilePattern} with the reason in the message. */
export class PatternError extends Error {
  override readonly name = "PatternError";
  constructor(readonly source: string, readonly reason: string) {
    super(`Cannot use pattern "${source}": ${reason}`);
  }
}

/**
 * Check a regex source: null when acceptable, else a one-line reason.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkRegex("foo(bar)?"), null);
 * assert.deepEqual(checkRegex("(a+)+$"), "nested quantifiers such as (a+)+");
 * ```
 */
export function checkRegex(source: string, flags = ""): string | null {
  if (source.length === 0) return "empty pattern";
  if (source.length > MAX_SOURCE) return `longer than ${MAX_SOURCE} characters`;
  if (!/^[imsu]*$/.test(flags)) return `unsupported flags "${flags}" (use i, m, s, u)`;
  try {
    new RegExp(source, flags);
  } catch (e) {
    return `invalid syntax: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`;
  }
  const shape = analyseRegex(source, flags).problem;
  if (shape !== null) return shape;
  let matcher: RE2JS;
  try {
    matcher = linear(source, flags);
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp: /, "");
    return `not supported by the linear-time matcher (no lookahead or backreferences): ${why}`;
  }
  if (matcher.test("")) return "matches the empty string";
  return null;
}

/** RE2 flags of JavaScript flags (`u` is implied: RE2 always matches code points). */
function re2Flags(flags: string): number {
  let out = RE2JS.LOOKBEHINDS;
  if (flags.includes("i")) out |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes("m")) out |= RE2JS.MULTILINE;
  if (flags.includes("s")) out |= RE2JS.DOTALL;
  return out;
}

/** The linear-time matcher of a JavaScript regex source. Throws on syntax RE2 lacks. */
function linear(source: string, flags: string): RE2JS {
  return RE2JS.compile(RE2JS.translateRegExp(source), re2Flags(flags));
}

/** Escape a literal for use inside a RegExp. */
function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Compile a stored pattern. Literals become escaped regexes (their replacement is taken
 * verbatim); regex replacements may use `$1`, `$<name>` and `$&`. Throws {@link PatternError}.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = compilePattern({ id: 1, match: "colour", regex: false, replacement: "color", confidence: 0.9 });
 * assert.deepEqual(p.maxLength, 6);
 * ```
 */
export function compilePattern(p: PatternInput): CompiledPattern {
  if (!(p.confidence >= 0 && p.confidence <= 1)) {
    throw new PatternError(p.match, "confidence must be between 0 and 1");
  }
  if (!p.regex) {
    if (p.match.length === 0) throw new PatternError(p.match, "empty pattern");
    if (p.match.length > MAX_SOURCE) {
      throw new PatternError(p.match, `longer than ${MAX_SOURCE} characters`);
    }
    const source = escapeLiteral(p.match);
    return {
      id: p.id,
      source,
      flags: "",
      matcher: linear(source, ""),
      replacement: p.replacement.replaceAll("$", "$$$$"),
      confidence: p.confidence,
      maxLength: p.match.length,
    };
  }
  const flags = p.flags ?? "";
  const problem = checkRegex(p.match, flags);
  if (problem !== null) throw new PatternError(p.match, problem);
  const bound = analyseRegex(p.match, flags).maxLength;
  return {
    id: p.id,
    source: p.match,
    flags,
    matcher: linear(p.match, flags),
    replacement: p.replacement,
    confidence: p.confidence,
    maxLength: Math.max(1, Math.min(REGEX_SPAN_CAP, bound)),
  };
}
