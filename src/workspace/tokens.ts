/**
 * Path-token extraction shared by the request side (grounded paths) and the `invalid_path`
 * detector, so both normalize a path the same way.
 * @module
 */

/** A path-like token found in text. `[start, end)` covers exactly `path` in the text. */
export interface PathToken {
  start: number;
  end: number;
  /** Normalized path: no leading `./`, no quotes, trailing punctuation or `:line:col` suffix. */
  path: string;
  /** Start of the whole run (including a stripped `./`), for holdback. */
  runStart: number;
  /** Offset just after the run and any `:line:col` suffix. */
  runEnd: number;
  /** True when the path was written with a leading `./`. */
  dotted: boolean;
  /** Written with Windows separators (`src\\a.ts`): `path` has `/`, a fix goes back to `\\`. */
  windows?: boolean;
}

/** Extensions that look like source, config or data files (lower case, no dot). */
export const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set(
  ("ts tsx mts cts js jsx mjs cjs json jsonc json5 md mdx py pyi ipynb rs go java kt kts rb php " +
    "c h cc cpp cxx hpp hh cs swift scala sh bash zsh ps1 bat yaml yml toml ini cfg conf lock " +
    "html htm css scss sass less vue svelte astro sql graphql gql proto txt xml csv tsv env " +
    "gradle dart lua jl erl hs clj elm zig nim tf hcl rst adoc tex sol cmake mk svg")
    .split(" "),
);

/** Top-level domains that make `name.tld/...` a web address rather than a path. */
const TLDS = new Set(
  "com org net io dev ai co edu gov app me us uk de xyz info cloud ly gg so to fr jp cn ru".split(
    " ",
  ),
);

/** 1 = may appear inside a path run; 2 = may appear in a run but disqualifies it (glob, $VAR...). */
const RUN = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/\\") {
  RUN[c.charCodeAt(0)] = 1;
}
for (const c of "*?{}[]~$@%+") RUN[c.charCodeAt(0)] = 2;

const SLASH = 47;
const COLON = 58;

/** The lower-cased extension of a file name (`"a.TS"` → `"ts"`), or "" when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : "";
}

/** True when char code `c` can be part of a path run (including disqualifying chars). */
export function isRunChar(c: number): boolean {
  return c < 128 && RUN[c] !== 0;
}

/**
 * The offset just after the last space, tab or line break before `at` (0 when there is none).
 * Path runs and URLs never cross whitespace, so {@link extractPathTokens} from there finds the
 * same tokens, from the run that reaches `at` on, as a pass over the whole text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(runsFrom("see src/a.ts", 8), 4);
 * ```
 */
export function runsFrom(text: string, at: number): number {
  for (let i = Math.min(at, text.length) - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) return i + 1;
  }
  return 0;
}

/**
 * Extract path-like tokens from text: runs with a `/` or a source-like file extension, minus URLs,
 * globs, home/env paths, e-mail addresses, domains, numbers and fractions. `from` (0, or an
 * offset from {@link runsFrom}) skips the runs before it.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   extractPathTokens("see `./src/a.ts:12`, not https://x.io/b.ts").map((t) => t.path),
 *   ["src/a.ts"],
 * );
 * ```
 */
export function extractPathTokens(text: string, from = 0): PathToken[] {
  const out: PathToken[] = [];
  const n = text.length;
  let i = from;
  let nextDot = text.indexOf(".", from);
  let nextSlash = text.indexOf("/", from);
  let nextBack = text.indexOf("\\", from);
  // Only runs holding a `.`, `/` or `\` can be paths: jump from one such character to the next
  // and grow the run around it.
  while (i < n) {
    if (nextDot !== -1 && nextDot < i) nextDot = text.indexOf(".", i);
    if (nextSlash !== -1 && nextSlash < i) nextSlash = text.indexOf("/", i);
    if (nextBack !== -1 && nextBack < i) nextBack = text.indexOf("\\", i);
    const at = earliest(earliest(nextDot, nextSlash), nextBack);
    if (at === -1) break;
    let runStart = at;
    let bad = false;
    while (runStart > i) {
      const c = text.charCodeAt(runStart - 1);
      if (c >= 128 || RUN[c] === 0) break;
      if (RUN[c] === 2) bad = true;
      runStart--;
    }
    let runEnd = at + 1;
    while (runEnd < n) {
      const c = text.charCodeAt(runEnd);
      if (c >= 128 || RUN[c] === 0) break;
      if (RUN[c] === 2) bad = true;
      runEnd++;
    }
    i = runEnd;
    // A URL: `scheme://...`. Skip to the end of the whole address (query strings included).
    if (
      text.charCodeAt(runStart) === SLASH && text.charCodeAt(runStart + 1) === SLASH &&
      runStart > 0 && text.charCodeAt(runStart - 1) === COLON
    ) {
      while (i < n && !URL_END.test(text[i] ?? " ")) i++;
      continue;
    }
    // `nextBack` is the first backslash at or after the run's start (the run holds no earlier
    // one); searching the text again here would cost the rest of the text for every run.
    if (nextBack !== -1 && nextBack < runEnd) {
      backslashRun(text, runStart, runEnd, bad, out);
      continue;
    }
    const token = classifyRun(text, runStart, runEnd, bad);
    if (token) out.push(token);
  }
  return out;
}

/** A relative path with Windows separators: segments start with a letter or digit. */
const WINDOWS_PATH = /^(?:\.\\)?(?:[A-Za-z0-9][\w.-]*\\)+[A-Za-z0-9][\w.-]*$/;

/**
 * A run holding backslashes: a Windows-style path (normalized to `/`, marked `windows`), else
 * each piece between backslashes on its own (`"a.ts\\n"` in a string literal is `a.ts`).
 */
function backslashRun(
  text: string,
  runStart: number,
  runEnd: number,
  bad: boolean,
  out: PathToken[],
) {
  let end = runEnd;
  let begin = runStart;
  while (text[begin] === "*" || text[begin] === "[") begin++;
  while (end > begin && /[.?*\]]/.test(text[end - 1] ?? "")) end--;
  const raw = text.slice(begin, end);
  if (!/[*{}[\]~$@%+?]/.test(raw) && !raw.includes("/") && WINDOWS_PATH.test(raw)) {
    const dotted = raw.startsWith(".\\");
    const start = dotted ? begin + 2 : begin;
    const path = text.slice(start, end).replaceAll("\\", "/");
    if (isPathLike(path)) {
      let tail = runEnd;
      const suffix = /^:\d+(?::\d+)?/.exec(text.slice(tail, tail + 16));
      if (suffix) tail += suffix[0].length;
      out.push({ start, end, path, runStart, runEnd: tail, dotted, windows: true });
    }
    return;
  }
  let from = runStart;
  for (let i = runStart; i <= runEnd; i++) {
    if (i < runEnd && text[i] !== "\\") continue;
    if (i > from) {
      const token = classifyRun(text, from, i, bad);
      if (token) out.push(token);
    }
    from = i + 1;
  }
}

const URL_END = /[\s"'`<>)\]]/;

/** The smaller of two offsets where -1 means "none". */
function earliest(a: number, b: number): number {
  return a === -1 ? b : b === -1 ? a : Math.min(a, b);
}

/** Trim a raw run to its path and decide whether it is path-like. */
function classifyRun(
  text: string,
  runStart: number,
  runEnd: number,
  bad: boolean,
): PathToken | null {
  let start = runStart;
  let end = runEnd;
  // Markdown emphasis and link text around a path (`**src/a.ts**`, `[a.ts](…)`, `**[a.ts](…)**`)
  // and trailing sentence punctuation (`.`, `?`) are not part of it.
  const stars = /^\*{0,3}/.exec(text.slice(start, start + 3))?.[0].length ?? 0;
  const bracket = text[start + stars] === "[";
  if (bracket) start += stars + 1;
  while (end > start && (text[end - 1] === "." || text[end - 1] === "?")) end--;
  if (bracket && text[end - 1] === "]") end--;
  if (!bracket && stars > 0 && text.slice(end - stars, end) === "*".repeat(stars)) {
    start += stars;
    end -= stars;
  }
  while (end > start && (text[end - 1] === "." || text[end - 1] === "?")) end--;
  if (bad && /[*{}[\]~$@%+]|\?/.test(text.slice(start, end))) return null;
  const dotted = text.startsWith("./", start);
  while (text.startsWith("./", start)) start += 2;
  if (end - start < 3 || end - start > 260) return null;
  const path = text.slice(start, end);
  if (!isPathLike(path)) return null;
  let tail = runEnd;
  const suffix = /^:\d+(?::\d+)?/.exec(text.slice(tail, tail + 16));
  if (suffix) tail += suffix[0].length;
  return { start, end, path, runStart, runEnd: tail, dotted };
}

/**
 * True when a normalized token looks like a file system path rather than prose, a number, a
 * domain or a dotted name.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isPathLike("src/a.ts"), true);
 * assert.equal(isPathLike("github.com/x/y"), false);
 * ```
 */
export function isPathLike(path: string): boolean {
  if (!path.includes("/")) {
    const ext = extensionOf(path);
    if (!SOURCE_EXTENSIONS.has(ext)) return false;
    return /[A-Za-z_]/.test(path.slice(0, path.length - ext.length - 1)) && path[0] !== ".";
  }
  if (path.includes("//")) return false;
  const segments = path.split("/");
  let first = 0;
  if (segments[0] === "") first = 1; // absolute
  while (segments[first] === "..") first++;
  const head = segments[first] ?? "";
  if (head === "" || /^[\d.,-]+$/.test(head)) return false;
  if (!/[A-Za-z]/.test(path.slice(path.indexOf(head)))) return false;
  const dot = head.lastIndexOf(".");
  if (first === 0 && dot > 0 && TLDS.has(head.slice(dot + 1).toLowerCase())) return false;
  for (let k = first; k < segments.length; k++) {
    const s = segments[k] ?? "";
    if (s === "" && k !== segments.length - 1) return false;
    if (s === ".." || s === ".") return false;
  }
  return true;
}
