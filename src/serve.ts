/**
 * `hotpatch serve`: open the store and the workspace index, start the proxy, and stop it
 * gracefully (in-flight streams get a few seconds) on SIGINT/SIGTERM.
 * @module
 */
import { dirname, join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { defaultDbPath, openStore } from "./store/mod.ts";
import type { Store } from "./store/types.ts";
import { buildWorkspaceIndex, type LiveWorkspaceIndex } from "./workspace/index.ts";
import { listen } from "./listen.ts";
import { LOG_FILE } from "./store/corrections_log.ts";
import { checkoutDir, selfWorkspaceWarning, startLines, upstreamLine } from "./startup.ts";
import { VERSION } from "./version.ts";

const log = getLogger(["hotpatch"]);

/** A running proxy. */
export interface RunningServer {
  port: number;
  /** Stop accepting, let in-flight streams finish for up to `graceMs`, then close everything. */
  stop(graceMs?: number): Promise<void>;
  finished: Promise<void>;
}

/** The database file for a config: `--db`, else the user's data directory. */
export function dbPathOf(config: Config): string {
  return config.db ?? defaultDbPath(Deno.env.toObject(), Deno.build.os);
}

/** Prints the startup lines, then (without delaying the start) whether the upstream answers. */
function announce(
  config: Config,
  addr: Deno.NetAddr,
  db: string,
  logDir: string | null,
  workspace: LiveWorkspaceIndex,
): void {
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  const lines = startLines({
    url: `http://${host}:${addr.port}`,
    mode: config.mode,
    version: VERSION,
    workspaces: config.workspaces,
    indexed: workspace.size,
    truncated: workspace.truncated,
    db,
    logFile: logDir === null ? null : join(logDir, LOG_FILE),
  });
  for (const line of lines) log.info(line);
  const self = selfWorkspaceWarning(config.workspaces, checkoutDir(import.meta.url));
  if (self !== null) log.warn(self);
  upstreamLine(config.upstream, fetch, 2000).then(({ ok, line }) =>
    ok ? log.info(line) : log.warn(line)
  );
}

/**
 * Open the store and index, then listen on `config.host:config.port` (0 picks a free port).
 * Throws when it cannot listen or open the database.
 */
export async function startServer(config: Config): Promise<RunningServer> {
  const db = dbPathOf(config);
  const logDir = config.logDir ?? (db === ":memory:" ? null : dirname(db));
  const store: Store = openStore(db, { logDir });
  let workspace: LiveWorkspaceIndex | null = null;
  try {
    workspace = await buildWorkspaceIndex(config.workspaces, { watch: true });
    const { app, live, observer } = createApp({ config, store, workspace });
    const server = listen(
      config.host,
      config.port,
      app.fetch,
      (addr) => announce(config, addr, db, logDir, workspace!),
    );
    live.port = server.port;
    const index = workspace;
    return {
      port: server.port,
      finished: server.finished,
      stop: async (graceMs = 5000) => {
        observer.bus.close(); // live-feed streams never end by themselves
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<"late">((r) => timer = setTimeout(() => r("late"), graceMs));
        const result = await Promise.race([server.stop().then(() => "done" as const), late]);
        clearTimeout(timer);
        if (result === "late") log.warn(`Streams still open after ${graceMs} ms: closing them`);
        index.close();
        store.close();
      },
    };
  } catch (e) {
    workspace?.close();
    store.close();
    throw e;
  }
}
