/**
 * A strict static check of user regular expressions against catastrophic backtracking, and the
 * longest text a match can span. It walks the pattern source once (no full parser): groups,
 * classes, escapes, alternation and quantifiers are enough to recognise the dangerous shapes.
 * @module
 */

/** The result of analysing a regex source. */
export interface RegexShape {
  /** Null when the pattern is acceptable, else a one-line reason. */
  problem: string | null;
  /** Upper bound of a match's length; Infinity when unbounded. */
  maxLength: number;
}

interface Frame {
  varQuant: boolean;
  backref: boolean;
  ambiguous: boolean;
  broad: boolean;
  firsts: (string | null)[];
  first: string | null | undefined;
  branchMax: number;
  max: number;
  lookbehind: boolean;
}

interface Atom {
  /** Source text, to spot `a*a*`. */
  src: string;
  first: string | null;
  max: number;
  broad: boolean;
  group?: Frame;
  backref?: boolean;
}

const newFrame = (lookbehind: boolean): Frame => ({
  varQuant: false,
  backref: false,
  ambiguous: false,
  broad: false,
  firsts: [],
  first: undefined,
  branchMax: 0,
  max: 0,
  lookbehind,
});

const QUANT = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/;

/** Read the atom at `i` (not a group); returns it and the next index. */
function readAtom(src: string, i: number, ignoreCase: boolean): [Atom, number] {
  const c = src[i] ?? "";
  if (c === "[") {
    let j = i + 1;
    if (src[j] === "^") j++;
    if (src[j] === "]") j++;
    while (j < src.length && src[j] !== "]") j += src[j] === "\\" ? 2 : 1;
    const body = src.slice(i, j + 1);
    const broad = body.startsWith("[^") || /\\[SWD]/.test(body) || /\\s.*\\S|\\S.*\\s/.test(body);
    return [{ src: body, first: null, max: 1, broad }, j + 1];
  }
  if (c === ".") return [{ src: c, first: null, max: 1, broad: true }, i + 1];
  if (c === "\\") {
    const e = src[i + 1] ?? "";
    if (/[1-9]/.test(e)) {
      const m = /^\d+/.exec(src.slice(i + 1));
      return [
        { src: "\\" + (m?.[0] ?? e), first: null, max: Infinity, broad: true, backref: true },
        i +
        1 + (m?.[0].length ?? 1),
      ];
    }
    if (e === "k" && src[i + 2] === "<") {
      const close = src.indexOf(">", i);
      return [{
        src: src.slice(i, close + 1),
        first: null,
        max: Infinity,
        broad: true,
        backref: true,
      }, close + 1];
    }
    let len = 2;
    if (e === "x") len = 4;
    else if (e === "u") len = src[i + 2] === "{" ? src.indexOf("}", i) - i + 1 : 6;
    else if (e === "c") len = 3;
    else if (e === "p" || e === "P") len = src.indexOf("}", i) - i + 1;
    const body = src.slice(i, i + Math.max(2, len));
    const classLike = /^\\[dDwWsSpPbB]/.test(body);
    const lit = classLike ? null : ignoreCase ? body.toLowerCase() : body;
    return [{
      src: body,
      first: lit,
      max: 1, // a boundary needs the next character to decide: count it for holdback
      broad: /^\\[SWDP]/.test(body),
    }, i + body.length];
  }
  if (c === "^") return [{ src: c, first: null, max: 0, broad: false }, i + 1];
  if (c === "$") return [{ src: c, first: null, max: 1, broad: false }, i + 1];
  return [{ src: c, first: ignoreCase ? c.toLowerCase() : c, max: 1, broad: false }, i + 1];
}

/** True when branch first characters are all known and pairwise different. */
function distinctFirsts(firsts: readonly (string | null)[]): boolean {
  const seen = new Set<string>();
  for (const f of firsts) {
    if (f === null || seen.has(f)) return false;
    seen.add(f);
  }
  return true;
}

/**
 * Analyse a regex source (assumed syntactically valid) for exponential or high-polynomial
 * backtracking shapes and compute a bound on its match length.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(analyseRegex("(a+)+$", "").problem ?? "", /^nested quantifiers/);
 * assert.deepEqual(analyseRegex("colou?r", "").maxLength, 6);
 * ```
 */
export function analyseRegex(src: string, flags: string): RegexShape {
  const ignoreCase = flags.includes("i");
  const stack: Frame[] = [newFrame(false)];
  let broadUnbounded = 0;
  let prev: { src: string; unbounded: boolean } | null = null;
  let i = 0;
  while (i < src.length) {
    const top = stack[stack.length - 1] as Frame;
    const c = src[i];
    if (c === "(") {
      stack.push(newFrame(/^\(\?<[=!]/.test(src.slice(i, i + 4))));
      const named = /^\(\?(?:<(?![=!])[^>]*>|[:=!]|<[=!]|[a-z-]*:)/.exec(src.slice(i));
      i += named ? named[0].length : 1;
      prev = null;
      continue;
    }
    if (c === "|") {
      top.firsts.push(top.first ?? null);
      top.first = undefined;
      top.max = Math.max(top.max, top.branchMax);
      top.branchMax = 0;
      prev = null;
      i++;
      continue;
    }
    let atom: Atom;
    if (c === ")") {
      const g = stack.pop() as Frame;
      g.firsts.push(g.first ?? null);
      g.max = Math.max(g.max, g.branchMax);
      if (g.firsts.length > 1 && !distinctFirsts(g.firsts)) g.ambiguous = true;
      atom = {
        src: "(…)",
        first: g.firsts.length === 1 ? (g.firsts[0] ?? null) : null,
        // A lookahead reads past the match: its length counts for holdback; a lookbehind's not.
        max: g.lookbehind ? 0 : g.max,
        broad: g.broad,
        group: g,
      };
      i++;
    } else {
      [atom, i] = readAtom(src, i, ignoreCase);
    }
    const parent = stack[stack.length - 1] as Frame;
    const q = QUANT.exec(src.slice(i));
    let count = 1;
    let unbounded = false;
    let variable = false;
    if (q !== null) {
      i += q[0].length;
      const sym = q[1];
      const lo = Number(q[2] ?? 0);
      const hi = q[3] === undefined ? lo : q[4] === "" ? Infinity : Number(q[4]);
      count = sym === "*" || sym === "+" ? Infinity : sym === "?" ? 1 : hi;
      unbounded = count === Infinity;
      variable = sym !== undefined || hi !== lo;
      const repeats = count > 1;
      const g = atom.group;
      if (repeats && g !== undefined) {
        if (g.varQuant) return { problem: "nested quantifiers such as (a+)+", maxLength: 0 };
        if (g.ambiguous) {
          return {
            problem: "overlapping alternation under a quantifier such as (a|aa)*",
            maxLength: 0,
          };
        }
        if (g.backref) return { problem: "backreference under a quantifier", maxLength: 0 };
      }
      if (repeats && atom.backref) {
        return { problem: "backreference under a quantifier", maxLength: 0 };
      }
      if (unbounded && atom.broad) broadUnbounded++;
      if (unbounded && prev?.unbounded && (prev.src === atom.src || atom.broad)) {
        return { problem: "adjacent overlapping quantifiers such as \\w*\\w*", maxLength: 0 };
      }
    }
    if (broadUnbounded > 1) {
      return { problem: "more than one unbounded wildcard such as .*foo.*", maxLength: 0 };
    }
    parent.varQuant ||= variable || (atom.group?.varQuant ?? false);
    parent.backref ||= (atom.backref ?? false) || (atom.group?.backref ?? false);
    parent.ambiguous ||= atom.group?.ambiguous ?? false;
    parent.broad ||= atom.broad;
    if (parent.first === undefined && atom.max > 0) parent.first = atom.first;
    parent.branchMax += atom.max === 0 ? 0 : atom.max * (q !== null ? count : 1);
    prev = { src: atom.src, unbounded };
  }
  const root = stack[0] as Frame;
  return { problem: null, maxLength: Math.max(root.max, root.branchMax) };
}
