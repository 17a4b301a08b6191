/**
 * `openStore`: the SQLite-backed `Store` (rules, hot reload, batched correction writes, stats).
 * @module
 */
import { correctionsSince, listCorrections } from "./corrections.ts";
import { behaviorTable } from "./behaviors.ts";
import { CorrectionLog, type LogOptions } from "./corrections_log.ts";
import { navigationTable } from "./navigation.ts";
import { patternTable, type TableContext } from "./patterns.ts";
import { SnapshotCache } from "./rule_snapshot.ts";
import { openDatabase } from "./sqlite.ts";
import { readStats } from "./stats.ts";
import { mergeRules, parseRulesDocument, replaceRules } from "./transfer.ts";
import type { RuleTable, Store } from "./types.ts";
import { WriteQueue } from "./writer.ts";

/** Options of `openStore`. */
export interface StoreOptions {
  /** Directory of `corrections.log`; no log file when absent. */
  logDir?: string | null;
  /** Log rotation (default 10 MiB, 5 files kept). */
  log?: LogOptions;
  /** Clock (ms since the epoch). */
  now?: () => number;
  /** Delay before queued records are written (default 50 ms). */
  flushDelayMs?: number;
  /** Corrections kept in the history table, newest first (default 1 000 000). */
  keepCorrections?: number;
  /** Longest time a rule change by another process goes unseen (default 200 ms). */
  reloadIntervalMs?: number;
}

/**
 * Opens the store at `path` (created and migrated when needed; `:memory:` for tests).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const store = openStore(":memory:");
 * store.patterns.create({ match: "colour", replacement: "color" });
 * assert.equal(store.rules().patterns.length, 6); // 5 defaults + 1
 * store.close();
 * ```
 */
export function openStore(path: string, opts: StoreOptions = {}): Store {
  const now = opts.now ?? Date.now;
  const db = openDatabase(path, now);
  let cache: SnapshotCache | null = null;
  const ctx: TableContext = { db, now, changed: () => cache?.invalidate() };
  const patterns = patternTable(ctx);
  const navigationFixes = navigationTable(ctx);
  const behaviorPatches = behaviorTable(ctx);
  cache = new SnapshotCache(
    db,
    {
      patterns: patterns.list,
      navigationFixes: navigationFixes.list,
      behaviorPatches: behaviorPatches.list,
    },
    now,
    opts.reloadIntervalMs ?? 200,
  );
  const log = opts.logDir ? new CorrectionLog(opts.logDir, opts.log) : null;
  const queue = new WriteQueue(db, log, {
    delayMs: opts.flushDelayMs ?? 50,
    keep: opts.keepCorrections ?? 1_000_000,
    onRulesChanged: ctx.changed,
  });
  const snapshots = cache;
  let closed = false;
  /** Reads through the API see the counters of queued records (hit counts, times corrected). */
  const flushed = <Row, Input>(table: RuleTable<Row, Input>): RuleTable<Row, Input> => ({
    ...table,
    list: () => (queue.flush(), table.list()),
    get: (id) => (queue.flush(), table.get(id)),
  });
  return {
    patterns: flushed(patterns),
    navigationFixes: flushed(navigationFixes),
    behaviorPatches: flushed(behaviorPatches),
    record(entry) {
      if (!closed) queue.record(entry);
    },
    countRequest(patches = []) {
      if (!closed) queue.countRequest(patches);
    },
    rules: () => snapshots.get(),
    list(query) {
      queue.flush();
      return listCorrections(db, query);
    },
    since(afterId, limit) {
      queue.flush();
      return correctionsSince(db, afterId, limit);
    },
    stats(live) {
      queue.flush();
      return readStats(db, live);
    },
    exportRules: () => ({
      format: "hotpatch-rules",
      version: 1,
      patterns: patterns.list(),
      navigationFixes: navigationFixes.list(),
      behaviorPatches: behaviorPatches.list(),
    }),
    importRules(doc) {
      replaceRules(db, parseRulesDocument(doc));
      ctx.changed();
    },
    mergeRules(doc) {
      const counts = mergeRules(db, parseRulesDocument(doc), now());
      ctx.changed();
      return counts;
    },
    flush: () => queue.flush(),
    queued: () => queue.depth,
    close() {
      if (closed) return;
      closed = true;
      queue.close();
      db.close();
    },
  };
}
