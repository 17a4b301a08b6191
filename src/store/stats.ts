/**
 * Statistics with the seed's names: lifetime counters (64-bit, exact) plus rule counts and the
 * live process state.
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { Count, LiveInfo, Stats } from "./types.ts";

/**
 * A 64-bit counter as a number while exact, else the bigint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(toCount(5n), 5);
 * assert.equal(toCount(2n ** 60n), 1152921504606846976n);
 * ```
 */
export function toCount(value: bigint): Count {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/**
 * JSON text of a value whose counts may be bigints (written as exact integer literals).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(countsToJson({ n: 2n ** 60n }), '{"n":1152921504606846976}');
 * ```
 */
export function countsToJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => typeof v === "bigint" ? raw(v.toString()) : v);
}

/** `JSON.rawJSON` (V8 has it; the TypeScript lib does not declare it yet). */
const raw = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/**
 * Reads the statistics (flush the write queue first to include queued records).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openDatabase } from "./sqlite.ts";
 * const db = openDatabase(":memory:", Date.now);
 * const stats = readStats(db, { activeConnections: 0, serverListening: true, listenPort: 11435,
 *   upstream: "http://127.0.0.1:11434", mode: "correct" });
 * assert.equal(stats.requestsProcessed, 0);
 * db.close();
 * ```
 */
export function readStats(db: DatabaseSync, live: LiveInfo): Stats {
  const counterRows = db.prepare("SELECT name, value FROM counters");
  counterRows.setReadBigInts(true);
  const counters = new Map<string, bigint>();
  for (const row of counterRows.all() as { name: string; value: bigint }[]) {
    counters.set(row.name, row.value);
  }
  const counter = (name: string) => toCount(counters.get(name) ?? 0n);
  const types: Record<string, Count> = {};
  for (const [name, value] of [...counters].sort(([a], [b]) => a.localeCompare(b))) {
    if (name.startsWith("type:")) types[name.slice(5)] = toCount(value);
  }
  const one = (sql: string) => Number((db.prepare(sql).get() as { n: number | null }).n ?? 0);
  return {
    totalHallucinationsDetected: counter("detected"),
    hallucinationsCorrected: counter("corrected"),
    hallucinationTypes: types,
    totalNavigationFixesApplied: counter("navigation_fixes_applied"),
    averageNavigationFixEffectiveness: one(
      "SELECT avg(effectiveness) AS n FROM navigation_fixes",
    ),
    totalBehaviorPatches: one("SELECT count(*) AS n FROM behavior_patches"),
    enabledPatches: one("SELECT count(*) AS n FROM behavior_patches WHERE enabled = 1"),
    hotPatchingEnabled: live.mode !== "off",
    totalCorrectionPatterns: one("SELECT count(*) AS n FROM correction_patterns"),
    totalNavigationPatterns: one("SELECT count(*) AS n FROM navigation_fixes"),
    requestsProcessed: counter("requests"),
    activeConnections: live.activeConnections,
    serverListening: live.serverListening,
    listenPort: live.listenPort,
    ggufEndpoint: live.upstream,
  };
}
