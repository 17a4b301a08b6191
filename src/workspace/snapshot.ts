/**
 * An immutable lookup structure over one walk of the workspace roots.
 * @module
 */
import type { WorkspaceIndex } from "./types.ts";
import { isInside, type WalkResult } from "./walk.ts";

/**
 * Resolve `.` and `..` segments of a relative path; null when it climbs above its start.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(normalizeRelative("src/../lib/./a.ts"), "lib/a.ts");
 * assert.equal(normalizeRelative("../etc/passwd"), null);
 * ```
 */
export function normalizeRelative(path: string): string | null {
  const plain = path !== "" && path[0] !== "/" && path[0] !== "." && !path.endsWith("/") &&
    !path.includes("/.") && !path.includes("//");
  if (plain) return path;
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length === 0) return null;
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join("/");
}

/** Lookups over one walk. Every query is a map or set lookup; no I/O. */
export class Snapshot implements WorkspaceIndex {
  readonly roots: readonly string[];
  readonly size: number;
  /** True when the file budget stopped the walk (see `opaque`). */
  readonly truncated: boolean;
  #entries = new Set<string>();
  #lower = new Map<string, string[]>();
  #base = new Map<string, string[]>();
  #files: string[] = [];
  #opaque: string[];

  /**
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * const s = new Snapshot(["/w"], {
   *   files: [["a.ts"]],
   *   dirs: [[]],
   *   opaque: [[]],
   *   truncated: false,
   * });
   * assert.equal(s.exists("/w/a.ts"), true);
   * ```
   */
  constructor(roots: readonly string[], walk: WalkResult) {
    this.roots = roots;
    this.truncated = walk.truncated;
    this.#opaque = walk.opaque.flat();
    for (const dirs of walk.dirs) {
      for (const dir of dirs) this.#add(dir, false);
    }
    for (const files of walk.files) {
      for (const file of files) this.#add(file, true);
    }
    this.size = this.#entries.size;
  }

  #add(rel: string, isFile: boolean): void {
    if (this.#entries.has(rel)) return;
    this.#entries.add(rel);
    push(this.#lower, rel.toLowerCase(), rel);
    if (!isFile) return;
    this.#files.push(rel);
    push(this.#base, rel.slice(rel.lastIndexOf("/") + 1), rel);
  }

  exists(path: string): boolean {
    const rel = this.#relative(path);
    if (rel === null) return false;
    if (rel === "" || this.#entries.has(rel)) return true;
    // A path under a directory the walk did not finish cannot be disproved.
    return this.#opaque.some((dir) => dir === "" || rel === dir || rel.startsWith(dir + "/"));
  }

  byLowerPath(lowerPath: string): readonly string[] {
    const rel = this.#relative(lowerPath);
    return rel === null ? [] : this.#lower.get(rel.toLowerCase()) ?? [];
  }

  byBaseName(name: string): readonly string[] {
    return this.#base.get(name) ?? [];
  }

  files(): readonly string[] {
    return this.#files;
  }

  /** Relative form of a path (absolute inside a root, or relative); null when outside. */
  #relative(path: string): string | null {
    if (path.startsWith("/")) {
      const root = this.roots.find((r) => isInside(r, path));
      if (root === undefined) return null;
      return normalizeRelative(path.slice(root.length));
    }
    return normalizeRelative(path.endsWith("/") ? path.slice(0, -1) : path);
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
