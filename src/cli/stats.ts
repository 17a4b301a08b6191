/**
 * `hotpatch stats [--json]`: the lifetime statistics kept in the database.
 * @module
 */
import { countsToJson } from "../store/stats.ts";
import { type AdminIo, openFromFlags } from "./args.ts";
import { type CommandSpec, dbFlag, type Flags, jsonFlag, parseFlags } from "./flags.ts";
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

/**
 * Runs `stats`; returns the exit status. Counts of detections, corrections and requests are
 * lifetime totals (they survive removed rules); rule counts are the rules there are now.
 * @example
 * await runStats(["--json"], io);
 */
export function runStats(args: string[], io: AdminIo): number {
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
    const { hallucinationTypes, ...plain } = stats;
    const rows: unknown[][] = Object.entries(plain).map(([k, v]) => [k, String(v)]);
    for (const [type, n] of Object.entries(hallucinationTypes)) rows.push([`  ${type}`, String(n)]);
    io.stdout(formatTable(["STATISTIC", "VALUE"], rows));
    return 0;
  } finally {
    store.close();
  }
}
