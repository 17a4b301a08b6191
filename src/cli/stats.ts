/**
 * `hotpatch stats [--json]`: the lifetime statistics kept in the database.
 * @module
 */
import { countsToJson } from "../store/stats.ts";
import type { Stats } from "../store/types.ts";
import type { CommandIo } from "../command/io.ts";
import { openFromFlags } from "./args.ts";
import { type CommandSpec, dbFlag, type Flags, jsonFlag, parseFlags } from "../command/flags.ts";
import { formatTable } from "./table.ts";

const flags = { ...dbFlag, ...jsonFlag } as const satisfies Flags;

/** `--help` of stats. */
export const statsSpec: CommandSpec = {
  name: "stats",
  summary: "lifetime statistics (detections by type, requests) and the rules there are now",
  usage: "[--json]",
  flags,
  example: "hotpatch stats --json",
};

/** The text rows: lifetime counts first, then the rules there are now, each saying which. */
function textRows(
  s: Omit<
    Stats,
    "activeConnections" | "serverListening" | "listenPort" | "ggufEndpoint" | "hotPatchingEnabled"
  >,
): unknown[][] {
  return [
    ["lifetime (kept when rules change):", ""],
    ["  requests processed", s.requestsProcessed],
    ["  detections", s.totalHallucinationsDetected],
    ["  corrected", s.hallucinationsCorrected],
    ...Object.entries(s.hallucinationTypes).map(([type, n]) => [`    ${type}`, n]),
    ["  stored navigation fixes used", s.totalNavigationFixesApplied],
    ["rules now (as the list commands show them):", ""],
    ["  patterns", s.totalCorrectionPatterns],
    ["  navigation fixes", s.totalNavigationPatterns],
    ["  average fix effectiveness", s.averageNavigationFixEffectiveness.toFixed(2)],
    ["  behavior patches", `${s.totalBehaviorPatches} (${s.enabledPatches} enabled)`],
  ].map(([k, v]) => [k, String(v)]);
}

/**
 * Runs `stats`; returns the exit status. Counts of detections, corrections and requests are
 * lifetime totals (they survive removed rules); rule counts are the rules there are now.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * let out = "";
 * const io = { stdout: (s: string) => out += s, stderr: () => {}, env: {} };
 * assert.equal(runStats(["--db", ":memory:", "--json"], io), 0);
 * assert.equal(JSON.parse(out).requestsProcessed, 0);
 * ```
 */
export function runStats(args: string[], io: CommandIo): number {
  const { values } = parseFlags(args, flags, 0);
  const store = openFromFlags(values.db, io.env, { create: false });
  try {
    const {
      activeConnections: _a,
      serverListening: _s,
      listenPort: _p,
      ggufEndpoint: _g,
      hotPatchingEnabled: _h,
      ...stats
    } = store.stats({
      activeConnections: 0,
      serverListening: false,
      listenPort: 0,
      upstream: "",
      mode: "",
    });
    if (values.json) {
      io.stdout(countsToJson(stats) + "\n");
      return 0;
    }
    io.stdout(formatTable(["STATISTIC", "VALUE"], textRows(stats)));
    return 0;
  } finally {
    store.close();
  }
}
