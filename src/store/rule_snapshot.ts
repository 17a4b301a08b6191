/**
 * Hot reload: the current `RuleSnapshot`, rebuilt only when the rules changed — by this process
 * (marked dirty) or by another one (`PRAGMA data_version`, then the rules revision counter).
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { CompiledPattern } from "../detection.ts";
import { compileRule } from "../rules/compile.ts";
import { modelMatches } from "../rules/glob.ts";
import type { BehaviorPatch, NavigationFix, PatternRule, RuleSnapshot } from "../rules/types.ts";

/** Lists of every rule, as the tables return them. */
export interface RuleSource {
  patterns(): PatternRule[];
  navigationFixes(): NavigationFix[];
  behaviorPatches(): BehaviorPatch[];
}

/**
 * Builds a snapshot from rule lists: enabled patterns compiled (uncompilable ones skipped), the
 * best fix per wrong path (most corrections, then newest), enabled behavior patches.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(buildSnapshot(1, [], [], []).navigationFixes.size, 0);
 * ```
 */
export function buildSnapshot(
  version: number,
  patterns: readonly PatternRule[],
  fixes: readonly NavigationFix[],
  patches: readonly BehaviorPatch[],
): RuleSnapshot {
  const global: CompiledPattern[] = [];
  const modelPatterns: RuleSnapshot["modelPatterns"] = [];
  for (const rule of patterns) {
    if (!rule.enabled) continue;
    const pattern = compileRule(rule);
    if (!pattern) continue;
    if (rule.model === "*") global.push(pattern);
    else modelPatterns.push({ model: rule.model, pattern });
  }
  const ranked = [...fixes].sort((a, b) => a.timesCorrected - b.timesCorrected || a.id - b.id);
  const navigationFixes = new Map<string, string>();
  for (const fix of ranked) navigationFixes.set(fix.incorrectPath, fix.correctPath);
  const behaviorPatches = patches.filter((p) => p.enabled);
  return { version, patterns: global, navigationFixes, behaviorPatches, modelPatterns };
}

/**
 * The correction patterns that apply to `model`: the global ones, then those whose model glob
 * matches.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "./store.ts";
 * const store = openStore(":memory:");
 * store.patterns.create({ match: "colour", replacement: "color", model: "qwen*" });
 * assert.equal(patternsFor(store.rules(), "qwen2.5-coder:7b").length, 6);
 * assert.equal(patternsFor(store.rules(), "llama3").length, 5);
 * store.close();
 * ```
 */
export function patternsFor(snapshot: RuleSnapshot, model: string): CompiledPattern[] {
  const extra = snapshot.modelPatterns.filter((p) => modelMatches(p.model, model));
  return extra.length === 0
    ? snapshot.patterns
    : [...snapshot.patterns, ...extra.map((p) => p.pattern)];
}

/** Keeps the current snapshot, checking the database for changes at most every `intervalMs`. */
export class SnapshotCache {
  #db: DatabaseSync;
  #source: RuleSource;
  #now: () => number;
  #intervalMs: number;
  #snapshot: RuleSnapshot | null = null;
  #dataVersion = -1;
  #checkedAt = -Infinity;
  #dirty = true;

  constructor(db: DatabaseSync, source: RuleSource, now: () => number, intervalMs: number) {
    this.#db = db;
    this.#source = source;
    this.#now = now;
    this.#intervalMs = intervalMs;
  }

  /** Marks the rules changed by this process: the next `get` re-reads them. */
  invalidate(): void {
    this.#dirty = true;
  }

  /** The current snapshot. */
  get(): RuleSnapshot {
    const now = this.#now();
    if (!this.#dirty && this.#snapshot && now - this.#checkedAt < this.#intervalMs) {
      return this.#snapshot;
    }
    this.#checkedAt = now;
    const dataVersion = this.#read("PRAGMA data_version", "data_version");
    if (!this.#dirty && this.#snapshot && dataVersion === this.#dataVersion) return this.#snapshot;
    this.#dataVersion = dataVersion;
    this.#dirty = false;
    this.#db.exec("BEGIN");
    try {
      const revision = this.#read(
        "SELECT value FROM counters WHERE name = 'rules_revision'",
        "value",
      );
      if (this.#snapshot?.version !== revision) {
        const s = this.#source;
        const lists = [s.patterns(), s.navigationFixes(), s.behaviorPatches()] as const;
        this.#snapshot = buildSnapshot(revision, ...lists);
      }
    } finally {
      this.#db.exec("COMMIT");
    }
    return this.#snapshot;
  }

  #read(sql: string, column: string): number {
    const row = this.#db.prepare(sql).get() as Record<string, number> | undefined;
    return Number(row?.[column] ?? 0);
  }
}
