/**
 * What `hotpatch serve` prints when it starts: where it listens, which workspace it checks paths
 * against (and how big the index is), where the rules and the correction log are, and whether the
 * upstream answers — the facts a newcomer needs to see that the defaults fit.
 * @module
 */
import { fileURLToPath as fromFileUrl } from "node:url";
import { checkHealth } from "./admin/health.ts";

/** The facts of one start. */
export interface StartInfo {
  url: string;
  mode: string;
  version: string;
  workspaces: readonly string[];
  /** Entries in the workspace index, and whether the file budget cut the walk short. */
  indexed: number;
  truncated: boolean;
  db: string;
  /** The live `corrections.log`, or null when there is none (in-memory database). */
  logFile: string | null;
}

/**
 * The startup lines (without the upstream check).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = startLines({ url: "http://127.0.0.1:11435", mode: "correct", version: "0.1.0",
 *   workspaces: ["/app"], indexed: 12, truncated: false, db: "/d/hotpatch.db",
 *   logFile: "/d/corrections.log" });
 * assert.equal(lines[1], "Workspace: /app (12 paths indexed)");
 * ```
 */
export function startLines(info: StartInfo): string[] {
  return [
    `Listening on ${info.url} (hotpatch ${info.version}, mode ${info.mode})`,
    `Workspace: ${info.workspaces.join(", ")} (${info.indexed} ${
      info.indexed === 1 ? "path" : "paths"
    } indexed${info.truncated ? "; file budget reached, the rest is not checked" : ""})`,
    `Rules database: ${info.db}`,
    `Corrections log: ${info.logFile ?? "none (in-memory database)"}`,
  ];
}

/**
 * A warning when hotpatch checks paths against its own checkout (it was started there), else null.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(selfWorkspaceWarning(["/opt/hotpatch"], "/opt/hotpatch") ?? "", /hotpatch's own/);
 * assert.equal(selfWorkspaceWarning(["/home/ada/app"], "/opt/hotpatch"), null);
 * ```
 */
export function selfWorkspaceWarning(
  workspaces: readonly string[],
  checkout: string | null,
): string | null {
  if (checkout === null || !workspaces.includes(checkout)) return null;
  return "The workspace is hotpatch's own checkout, so paths are checked against hotpatch's " +
    "files: start it from your project or pass --workspace DIR";
}

/**
 * The directory of hotpatch's checkout when it runs from source (`file:` modules), else null.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(checkoutDir("file:///opt/hotpatch/src/startup.ts"), "/opt/hotpatch");
 * ```
 */
export function checkoutDir(moduleUrl: string): string | null {
  return moduleUrl.startsWith("file:")
    ? fromFileUrl(new URL("..", moduleUrl)).replace(/\/$/, "")
    : null;
}

/**
 * One line saying whether the upstream answers (any HTTP answer counts), and whether that is bad.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const refused = () => Promise.reject(new TypeError("connection refused"));
 * const { ok, line } = await upstreamLine("http://127.0.0.1:9", refused, 500);
 * assert.equal(ok, false);
 * assert.match(line, /^Upstream: http:\/\/127\.0\.0\.1:9 does not answer/);
 * ```
 */
export async function upstreamLine(
  upstream: string,
  fetcher: typeof fetch,
  timeoutMs: number,
): Promise<{ ok: boolean; line: string }> {
  const health = await checkHealth({
    upstream,
    version: "",
    startedAt: 0,
    mode: "",
    fetch: fetcher,
    timeoutMs,
  });
  const u = health.upstream;
  return u.reachable
    ? { ok: true, line: `Upstream: ${upstream} answers (${Math.round(u.latencyMs ?? 0)} ms)` }
    : {
      ok: false,
      line: `Upstream: ${upstream} does not answer: start the model server or pass ` +
        `--upstream (requests get 502 until it answers)`,
    };
}
