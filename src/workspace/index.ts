/**
 * The live workspace index: one walk at start, then a fresh walk (debounced) whenever the file
 * system reports a change under a root. Lookups always answer from the latest complete snapshot.
 * @module
 */
import type { WorkspaceIndex } from "./types.ts";
import { Snapshot } from "./snapshot.ts";
import { warmNearest } from "./nearest.ts";
import { isInside, SKIPPED_DIRS, walkRoots } from "./walk.ts";

/** Options of {@link buildWorkspaceIndex}. */
export interface WorkspaceIndexOptions {
  /**
   * File budget (default 50,000). Past it the walk stops breadth first; directories it did not
   * finish are opaque: paths under them count as existing (never flagged) and are not suggested.
   */
  maxFiles?: number;
  /** Refresh on file-system changes (default false). */
  watch?: boolean;
  /** Debounce of refreshes in milliseconds (default 250). */
  debounceMs?: number;
  /**
   * How often the roots themselves are checked, in milliseconds (default 2000): a root deleted
   * and made again is a new directory the watcher does not see, so it is watched anew.
   */
  rootCheckMs?: number;
}

/** A workspace index that can be closed (stops watching). */
export interface LiveWorkspaceIndex extends WorkspaceIndex {
  /** True when the file budget stopped the last walk. */
  readonly truncated: boolean;
  /** Resolves when the next refresh completes (or on close); for tests and tools. */
  refreshed(): Promise<void>;
  close(): void;
}

/**
 * Walk the roots and return a live index (refreshed on changes when `watch` is set).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${dir}/src`);
 * Deno.writeTextFileSync(`${dir}/src/app.ts`, "");
 * const index = await buildWorkspaceIndex([dir], { maxFiles: 100 });
 * assert.equal(index.exists("src/app.ts"), true);
 * assert.deepEqual(index.byBaseName("app.ts"), ["src/app.ts"]);
 * index.close();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export async function buildWorkspaceIndex(
  roots: string[],
  opts: WorkspaceIndexOptions = {},
): Promise<LiveWorkspaceIndex> {
  const real = await Promise.all(roots.map((root) => Deno.realPath(root)));
  const maxFiles = opts.maxFiles ?? 50_000;
  const first = new Snapshot(real, await walkRoots(real, maxFiles));
  warmNearest(first);
  const live = new LiveIndex(real, first, maxFiles, opts.debounceMs ?? 250);
  if (opts.watch) live.watch(opts.rootCheckMs ?? 2000);
  return live;
}

class LiveIndex implements LiveWorkspaceIndex {
  readonly roots: readonly string[];
  #current: Snapshot;
  #maxFiles: number;
  #debounceMs: number;
  #watcher: Deno.FsWatcher | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #rootTimer: ReturnType<typeof setInterval> | undefined;
  /** Identity (device:inode) of each root when last watched; "" while it is missing. */
  #rootIds: string[] = [];
  /** The loop reading the current watcher; ends after the watcher is closed. */
  #consuming: Promise<void> = Promise.resolve();
  #arming = false;
  #running = false;
  #dirty = false;
  #closed = false;
  #waiters: (() => void)[] = [];

  constructor(roots: readonly string[], first: Snapshot, maxFiles: number, debounceMs: number) {
    this.roots = roots;
    this.#current = first;
    this.#maxFiles = maxFiles;
    this.#debounceMs = debounceMs;
  }

  get size(): number {
    return this.#current.size;
  }

  get truncated(): boolean {
    return this.#current.truncated;
  }

  exists(path: string): boolean {
    return this.#current.exists(path);
  }

  byLowerPath(lowerPath: string): readonly string[] {
    return this.#current.byLowerPath(lowerPath);
  }

  byBaseName(name: string): readonly string[] {
    return this.#current.byBaseName(name);
  }

  files(): readonly string[] {
    return this.#current.files();
  }

  refreshed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  watch(rootCheckMs: number): void {
    void this.#arm();
    this.#rootTimer = setInterval(() => {
      if (this.#arming || !rootIds(this.roots).some((id, i) => id !== this.#rootIds[i])) return;
      void this.#arm().then(() => this.#schedule());
    }, rootCheckMs);
    Deno.unrefTimer(this.#rootTimer);
  }

  /**
   * (Re)starts the watcher over the roots that exist now. The old watcher's loop must have
   * ended first: a watcher opened while another on the same path closes ends at once.
   */
  async #arm(): Promise<void> {
    this.#arming = true;
    try {
      this.#watcher?.close();
      this.#watcher = null;
      await this.#consuming;
      if (this.#closed) return;
      this.#rootIds = rootIds(this.roots);
      const present = this.roots.filter((_, i) => this.#rootIds[i] !== "");
      if (present.length === 0) return;
      try {
        this.#watcher = Deno.watchFs(present, { recursive: true });
      } catch {
        this.#rootIds = []; // a root vanished meanwhile: the next check arms again
        return;
      }
      this.#consuming = this.#consume(this.#watcher).catch(() => {/* the watcher was closed */});
    } finally {
      this.#arming = false;
    }
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#refresh(), this.#debounceMs);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#rootTimer);
    this.#watcher?.close();
    this.#watcher = null;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  async #consume(watcher: Deno.FsWatcher): Promise<void> {
    for await (const event of watcher) {
      if (event.kind === "remove") {
        // A root removed: watched anew by the root check once it exists again (even when a new
        // directory gets the same inode).
        this.#rootIds = this.#rootIds.map((id, i) =>
          event.paths.includes(this.roots[i] ?? "") ? "" : id
        );
      }
      if (event.kind === "access" || !event.paths.some((p) => this.#relevant(p))) continue;
      this.#schedule();
    }
  }

  /**
   * A change can alter the index only when it happens in an indexed directory (or a root):
   * churn inside ignored or skipped trees (`dist/`, `target/`, `node_modules/`) does not cause
   * walks.
   */
  #relevant(abs: string): boolean {
    if (isSkipped(abs)) return false;
    if (this.#running) return true; // a walk in progress may have missed it: walk again
    const root = this.roots.find((r) => isInside(r, abs));
    if (root === undefined || abs === root) return root !== undefined;
    const rel = abs.slice(root.length + 1);
    const slash = rel.lastIndexOf("/");
    return slash < 0 || this.#current.exists(rel.slice(0, slash));
  }

  async #refresh(): Promise<void> {
    if (this.#closed) return;
    if (this.#running) {
      this.#dirty = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#dirty = false;
        const walk = await walkRoots(this.roots, this.#maxFiles);
        if (this.#closed) return;
        const next = new Snapshot(this.roots, walk);
        warmNearest(next);
        this.#current = next;
      } while (this.#dirty);
    } finally {
      this.#running = false;
    }
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}

/** `dev:ino:birthtime` of each root, "" for a missing one. */
function rootIds(roots: readonly string[]): string[] {
  return roots.map((root) => {
    try {
      const info = Deno.statSync(root);
      return info.isDirectory ? `${info.dev}:${info.ino}:${info.birthtime?.getTime()}` : "";
    } catch {
      return "";
    }
  });
}

function isSkipped(path: string): boolean {
  return path.split("/").some((segment) => SKIPPED_DIRS.has(segment));
}
