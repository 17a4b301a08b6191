/**
 * One breadth-first walk of the workspace roots: skips `.git`, `node_modules` and what `.gitignore`
 * files ignore, never leaves the roots (symlinks are resolved and must stay inside one), and stops
 * at a file budget, reporting the directories it did not finish as opaque.
 * @module
 */
import { type IgnoreRule, matchIgnore, parseGitignore } from "./gitignore.ts";
import { MAX_GITIGNORE, readUntrusted } from "./untrusted.ts";

/** Directory names never entered. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([".git", "node_modules"]);

/** What one walk found. Paths are relative to their root, `/`-separated, no leading `./`. */
export interface WalkResult {
  /** Per root (same order as `roots`): relative file paths. */
  files: string[][];
  /** Per root: relative directory paths (the root itself excluded). */
  dirs: string[][];
  /** Per root: directories not (fully) read because the file budget ran out. */
  opaque: string[][];
  /** True when the file budget stopped the walk. */
  truncated: boolean;
}

interface IgnoreScope {
  /** Directory of the `.gitignore`, relative to the root ("" for the root). */
  base: string;
  rules: IgnoreRule[];
}

interface Pending {
  rootIndex: number;
  rel: string;
  abs: string;
  scopes: IgnoreScope[];
}

/**
 * True when `abs` is `root` or lies inside it (both absolute and normalized).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isInside("/w/proj", "/w/proj/src"), true);
 * assert.equal(isInside("/w/proj", "/w/project"), false);
 * ```
 */
export function isInside(root: string, abs: string): boolean {
  return abs === root || abs.startsWith(root.endsWith("/") ? root : root + "/");
}

/**
 * Walk the (absolute, real) roots once, breadth first, up to `maxFiles` files.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${dir}/src`);
 * Deno.writeTextFileSync(`${dir}/src/a.ts`, "");
 * const found = await walkRoots([dir], 1000);
 * assert.deepEqual(found.files, [["src/a.ts"]]);
 * assert.deepEqual(found.dirs, [["src"]]);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export async function walkRoots(roots: readonly string[], maxFiles: number): Promise<WalkResult> {
  const result: WalkResult = {
    files: roots.map(() => []),
    dirs: roots.map(() => []),
    opaque: roots.map(() => []),
    truncated: false,
  };
  const seenReal = new Set<string>(roots);
  let queue: Pending[] = roots.map((abs, rootIndex) => ({ rootIndex, rel: "", abs, scopes: [] }));
  let fileCount = 0;
  while (queue.length > 0) {
    const next: Pending[] = [];
    for (const dir of queue) {
      if (fileCount >= maxFiles) {
        result.truncated = true;
        result.opaque[dir.rootIndex]?.push(dir.rel);
        continue;
      }
      const scopes = await withGitignore(dir);
      const entries = await readEntries(dir.abs);
      for (const entry of entries) {
        const rel = dir.rel === "" ? entry.name : `${dir.rel}/${entry.name}`;
        const abs = `${dir.abs}/${entry.name}`;
        const kind = await entryKind(entry, abs, roots, seenReal);
        if (kind === null) continue;
        if (kind.dir && SKIPPED_DIRS.has(entry.name)) continue;
        if (isIgnored(scopes, rel, kind.dir)) continue;
        if (kind.dir) {
          result.dirs[dir.rootIndex]?.push(rel);
          next.push({ rootIndex: dir.rootIndex, rel, abs: kind.abs, scopes });
        } else if (fileCount < maxFiles) {
          result.files[dir.rootIndex]?.push(rel);
          fileCount++;
        } else {
          result.truncated = true;
          result.opaque[dir.rootIndex]?.push(dir.rel);
          break;
        }
      }
    }
    queue = next;
  }
  return result;
}

async function readEntries(abs: string): Promise<Deno.DirEntry[]> {
  const entries: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(abs)) entries.push(entry);
  } catch {
    // Unreadable or vanished directory: index what we can.
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** File or directory (following a symlink only when its target stays inside a root). */
async function entryKind(
  entry: Deno.DirEntry,
  abs: string,
  roots: readonly string[],
  seenReal: Set<string>,
): Promise<{ dir: boolean; abs: string } | null> {
  if (!entry.isSymlink) {
    return entry.isDirectory || entry.isFile ? { dir: entry.isDirectory, abs } : null;
  }
  try {
    const real = await Deno.realPath(abs);
    if (!roots.some((root) => isInside(root, real))) return null;
    const info = await Deno.stat(real);
    if (info.isDirectory) {
      if (seenReal.has(real)) return null; // a cycle or a second way into the same tree
      seenReal.add(real);
      return { dir: true, abs: real };
    }
    return info.isFile ? { dir: false, abs: real } : null;
  } catch {
    return null; // dangling link
  }
}

async function withGitignore(dir: Pending): Promise<IgnoreScope[]> {
  const text = await readUntrusted(`${dir.abs}/.gitignore`, MAX_GITIGNORE);
  return text === null
    ? dir.scopes
    : [...dir.scopes, { base: dir.rel, rules: parseGitignore(text) }];
}

/** Deeper `.gitignore` files override shallower ones. */
function isIgnored(scopes: readonly IgnoreScope[], rel: string, isDir: boolean): boolean {
  for (let k = scopes.length - 1; k >= 0; k--) {
    const scope = scopes[k];
    if (!scope) continue;
    const local = scope.base === "" ? rel : rel.slice(scope.base.length + 1);
    const verdict = matchIgnore(scope.rules, local, isDir);
    if (verdict !== undefined) return verdict;
  }
  return false;
}
