/**
 * The literal text every match of a regex starts with (`\bpip install (x|y)` → "pip install "),
 * so the pattern detector holds back only text that could begin a match, not its whole span.
 * @module
 */

const SPECIAL = new Set([..."().*+?[]{}|^$\\"]);
const QUANTIFIER = new Set([..."*+?{"]);
const cache = new WeakMap<RegexSource, Prefix>();

/** A regex source and its flags (a RegExp, or a compiled pattern). */
export interface RegexSource {
  readonly source: string;
  readonly flags: string;
}

/** The literal start of every match, and whether a match must start at a word boundary. */
export interface Prefix {
  text: string;
  wordStart: boolean;
}

/** True when the source has a `|` outside any group or class (then no common prefix). */
function topLevelAlternation(src: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) return true;
  }
  return false;
}

/** The leading literal characters of a regex source ("" when it starts with anything else). */
function prefixOf(src: string): Prefix {
  if (topLevelAlternation(src)) return { text: "", wordStart: false };
  let i = 0;
  let boundary = false;
  while (src.startsWith("\\b", i) || src[i] === "^") {
    boundary ||= src[i] === "\\";
    i += src[i] === "^" ? 1 : 2;
  }
  let out = "";
  while (i < src.length) {
    const c = src[i] ?? "";
    let lit: string;
    let next: number;
    if (c === "\\") {
      const e = src[i + 1] ?? "";
      if (!/[^\w]/.test(e) || e === "") break; // \d, \s, \w, \b, \1, \u…: not a plain literal
      lit = e;
      next = i + 2;
    } else if (SPECIAL.has(c)) {
      break;
    } else {
      lit = c;
      next = i + 1;
    }
    if (QUANTIFIER.has(src[next] ?? "")) break; // optional or repeated: not a fixed prefix
    out += lit;
    i = next;
  }
  return { text: out, wordStart: boundary && /^\w/.test(out) };
}

/**
 * The literal prefix of every match of `re` (lower-cased when `re` ignores case; "" when
 * unknown), and whether a `\b` before it means a match starts only at a word start.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(literalPrefix(/\bpip install (a|b)/g), { text: "pip install ", wordStart: true });
 * assert.deepEqual(literalPrefix(/colou?r/g).text, "colo");
 * assert.deepEqual(literalPrefix(/a|b/g).text, "");
 * ```
 */
export function literalPrefix(re: RegexSource): Prefix {
  let p = cache.get(re);
  if (p === undefined) {
    p = prefixOf(re.source);
    if (re.flags.includes("i")) p = { ...p, text: p.text.toLowerCase() };
    cache.set(re, p);
  }
  return p;
}
