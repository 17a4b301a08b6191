/**
 * The nearest real path for a wrong one. A candidate is returned only when it is clearly unique:
 * candidates are gathered in tiers (case only; one step away; further away) and the first tier
 * that finds anything decides — one candidate is the answer, several mean "no fix".
 * @module
 */
import { editDistance } from "../text/edit_distance.ts";
import { extensionOf } from "./tokens.ts";
import type { WorkspaceIndex } from "./types.ts";

/** A proposed fix. */
export interface NearestPath {
  path: string;
  confidence: number;
  /** Why this candidate: case, extension, missing_dir, extra_dir, typo, basename, typo2. */
  kind: string;
}

/** Extensions a model commonly swaps for one another. */
const EXTENSION_SWAPS: Readonly<Record<string, readonly string[]>> = {
  js: ["ts", "tsx", "jsx", "mjs"],
  ts: ["js", "tsx", "mts"],
  jsx: ["tsx", "js"],
  tsx: ["jsx", "ts"],
  mjs: ["mts", "js"],
  mts: ["mjs", "ts"],
  cjs: ["cts", "js"],
  cts: ["cjs", "ts"],
  yml: ["yaml"],
  yaml: ["yml"],
  htm: ["html"],
  html: ["htm"],
  md: ["mdx"],
  mdx: ["md"],
};

/** Per-index derived lookups, built once per files() array (a new array means a new snapshot). */
interface Derived {
  /** Directory → names of its direct children (files and directories). */
  children: Map<string, string[]>;
  /** Lower-cased base name → distinct base names. */
  lowerBase: Map<string, Set<string>>;
  /** `extension:length` → distinct base names (typo search looks at lengths ±1 only). */
  byLength: Map<string, string[]>;
  /** Answers already computed for this snapshot (streaming re-scans the same tokens). */
  memo: Map<string, NearestPath | null>;
}

/** Bound of the per-snapshot answer memo; cleared when full. */
const MEMO_LIMIT = 20_000;

const derivedCache = new WeakMap<readonly string[], Derived>();

/**
 * Build the nearest-path lookups of an index ahead of the first query (call after a (re)build,
 * off the response path).
 */
export function warmNearest(index: WorkspaceIndex): void {
  derived(index);
}

function derived(index: WorkspaceIndex): Derived {
  const files = index.files();
  const cached = derivedCache.get(files);
  if (cached) return cached;
  const children = new Map<string, string[]>();
  const lowerBase = new Map<string, Set<string>>();
  const byLength = new Map<string, string[]>();
  const seenDirs = new Set<string>([""]);
  for (const file of files) {
    const slash = file.lastIndexOf("/");
    const base = file.slice(slash + 1);
    addChild(children, slash < 0 ? "" : file.slice(0, slash), base);
    const lower = base.toLowerCase();
    const set = lowerBase.get(lower) ?? new Set<string>();
    if (!set.has(base)) {
      set.add(base);
      const key = `${extensionOf(base)}:${base.length}`;
      const sameLength = byLength.get(key);
      if (sameLength) sameLength.push(base);
      else byLength.set(key, [base]);
    }
    lowerBase.set(lower, set);
    // Register every ancestor directory as a child of its parent, once.
    let dir = slash < 0 ? "" : file.slice(0, slash);
    while (dir !== "" && !seenDirs.has(dir)) {
      seenDirs.add(dir);
      const up = dir.lastIndexOf("/");
      addChild(children, up < 0 ? "" : dir.slice(0, up), dir.slice(up + 1));
      dir = up < 0 ? "" : dir.slice(0, up);
    }
  }
  const result: Derived = { children, lowerBase, byLength, memo: new Map() };
  derivedCache.set(files, result);
  return result;
}

function addChild(children: Map<string, string[]>, dir: string, name: string): void {
  const list = children.get(dir);
  if (list) list.push(name);
  else children.set(dir, [name]);
}

/** The memoized answer for `key` on this snapshot. */
function remember(
  index: WorkspaceIndex,
  key: string,
  compute: () => NearestPath | null,
): NearestPath | null {
  const memo = derived(index).memo;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const answer = compute();
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, answer);
  return answer;
}

/** Decide a tier: exactly one distinct candidate wins, several mean no fix. */
function decide(found: Map<string, NearestPath>): NearestPath | null | undefined {
  if (found.size === 0) return undefined;
  return found.size === 1 ? [...found.values()][0] ?? null : null;
}

/**
 * Nearest real relative path for a wrong relative path, or null when none is clearly meant.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Snapshot } from "./snapshot.ts";
 * const files = [["src/app.ts"]];
 * const index = new Snapshot(["/w"], { files, dirs: [["src"]], opaque: [[]], truncated: false });
 * assert.deepEqual(nearestPath(index, "src/app.TS"), {
 *   path: "src/app.ts",
 *   confidence: 0.95,
 *   kind: "case",
 * });
 * ```
 */
export function nearestPath(index: WorkspaceIndex, wrong: string): NearestPath | null {
  return remember(index, `p:${wrong}`, () => computeNearestPath(index, wrong));
}

function computeNearestPath(index: WorkspaceIndex, wrong: string): NearestPath | null {
  const path = wrong.endsWith("/") ? wrong.slice(0, -1) : wrong;
  const segments = path.split("/");
  const base = segments[segments.length - 1] ?? "";
  const dir = segments.slice(0, -1).join("/");
  const tiers = [caseTier, oneStepTier, farTier];
  for (const tier of tiers) {
    const found = new Map<string, NearestPath>();
    tier(index, { path, segments, base, dir }, (p, confidence, kind) => {
      if (p !== path && !found.has(p)) found.set(p, { path: p, confidence, kind });
    });
    const verdict = decide(found);
    if (verdict !== undefined) return verdict;
  }
  return null;
}

interface Parts {
  path: string;
  segments: string[];
  base: string;
  dir: string;
}
type Add = (path: string, confidence: number, kind: string) => void;

function caseTier(index: WorkspaceIndex, p: Parts, add: Add): void {
  for (const real of index.byLowerPath(p.path.toLowerCase())) add(real, 0.95, "case");
}

function oneStepTier(index: WorkspaceIndex, p: Parts, add: Add): void {
  const join = (d: string, name: string) => (d === "" ? name : `${d}/${name}`);
  const ext = extensionOf(p.base);
  const stem = ext === "" ? p.base : p.base.slice(0, -ext.length - 1);
  for (const alt of EXTENSION_SWAPS[ext] ?? []) {
    const candidate = join(p.dir, `${stem}.${alt}`);
    if (index.exists(candidate)) add(candidate, 0.9, "extension");
  }
  const n = p.segments.length;
  for (const real of index.byBaseName(p.base)) {
    const rs = real.split("/");
    if (rs.length === n + 1 && isOneInsertion(p.segments, rs)) add(real, 0.85, "missing_dir");
    if (rs.length === n && differsInOneSegmentByOneEdit(p.segments, rs)) add(real, 0.85, "typo");
  }
  for (let k = 0; k < n - 1; k++) {
    const candidate = [...p.segments.slice(0, k), ...p.segments.slice(k + 1)].join("/");
    if (index.exists(candidate)) add(candidate, 0.85, "extra_dir");
  }
  if (p.base.length >= 4) {
    for (const sibling of derived(index).children.get(p.dir) ?? []) {
      if (withinOneEdit(sibling, p.base) && sameExtension(sibling, p.base)) {
        add(join(p.dir, sibling), 0.85, "typo");
      }
    }
  }
}

function farTier(index: WorkspaceIndex, p: Parts, add: Add): void {
  const sameName = index.byBaseName(p.base);
  if (sameName.length === 1 && sameName[0] !== undefined && distinctive(p.base)) {
    add(sameName[0], 0.75, "basename");
  }
  if (p.base.length >= 7) {
    for (const sibling of derived(index).children.get(p.dir) ?? []) {
      if (editDistance(sibling, p.base, 2) === 2 && sameExtension(sibling, p.base)) {
        add(p.dir === "" ? sibling : `${p.dir}/${sibling}`, 0.6, "typo2");
      }
    }
  }
}

/**
 * Nearest real base name for a bare file name that exists nowhere (case, or one typing edit for
 * names of 6+ characters with the same extension), or null.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Snapshot } from "./snapshot.ts";
 * const files = [["README.md"]];
 * const index = new Snapshot(["/w"], { files, dirs: [[]], opaque: [[]], truncated: false });
 * assert.deepEqual(nearestBaseName(index, "readme.md"), {
 *   path: "README.md",
 *   confidence: 0.9,
 *   kind: "case",
 * });
 * ```
 */
export function nearestBaseName(index: WorkspaceIndex, name: string): NearestPath | null {
  return remember(index, `b:${name}`, () => computeNearestBaseName(index, name));
}

function computeNearestBaseName(index: WorkspaceIndex, name: string): NearestPath | null {
  const d = derived(index);
  const sameLower = [...(d.lowerBase.get(name.toLowerCase()) ?? [])].filter((b) => b !== name);
  if (sameLower.length > 0) {
    return sameLower.length === 1 && sameLower[0] !== undefined
      ? { path: sameLower[0], confidence: 0.9, kind: "case" }
      : null;
  }
  const ext = extensionOf(name);
  const stem = ext === "" ? name : name.slice(0, -ext.length - 1);
  if (stem.length < 6) return null;
  const found = new Set<string>();
  for (let len = name.length - 1; len <= name.length + 1; len++) {
    for (const b of d.byLength.get(`${ext}:${len}`) ?? []) {
      if (withinOneEdit(b, name) && b !== name) found.add(b);
    }
  }
  const [only] = found;
  return found.size === 1 && only !== undefined
    ? { path: only, confidence: 0.75, kind: "typo" }
    : null;
}

/**
 * True when `a` and `b` are at most one typing edit apart (insert, delete, substitute, swap of
 * neighbours). Linear, no allocation: the fast filter for scanning many names.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a.length < b.length) return withinOneEdit(b, a);
  if (a.length - b.length > 1) return false;
  let i = 0;
  while (i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === b.length) return true;
  if (a.length > b.length) return a.slice(i + 1) === b.slice(i); // one extra character
  if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
}

/** Names too common to say where a file is just because one copy exists (`cli.js`, `index.ts`). */
const GENERIC_STEMS = new Set(
  ("index main mod cli app application server client config settings utils util helpers helper " +
    "types constants common core base test tests spec setup build package readme license init " +
    "__init__ lib api routes router models schema style styles default entry start run")
    .split(" "),
);

/** A base name with an extension and a specific stem of 4+ characters. */
function distinctive(base: string): boolean {
  const ext = extensionOf(base);
  const stem = base.slice(0, base.length - ext.length - 1).toLowerCase();
  return ext !== "" && stem.length >= 4 && !GENERIC_STEMS.has(stem.split(".")[0] ?? stem);
}

function sameExtension(a: string, b: string): boolean {
  return extensionOf(a) === extensionOf(b);
}

/** True when `longer` is `shorter` with exactly one segment inserted somewhere. */
function isOneInsertion(shorter: readonly string[], longer: readonly string[]): boolean {
  let i = 0;
  while (i < shorter.length && shorter[i] === longer[i]) i++;
  for (let k = i; k < shorter.length; k++) if (shorter[k] !== longer[k + 1]) return false;
  return true;
}

/** True when exactly one segment differs, by one typing edit, and the rest match. */
function differsInOneSegmentByOneEdit(a: readonly string[], b: readonly string[]): boolean {
  let diffs = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k] ?? "";
    const y = b[k] ?? "";
    if (x === y) continue;
    if (++diffs > 1 || editDistance(x, y, 1) !== 1) return false;
  }
  return diffs === 1;
}
