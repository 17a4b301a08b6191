/**
 * `hotpatch serve`: open the store and the workspace index, start the proxy, and stop it
 * gracefully (in-flight streams get a few seconds) on SIGINT/SIGTERM.
 * @module
 */
import { dirname } from "node:path";
import { getLogger } from "@logtape/logtape";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { defaultDbPath, openStore } from "./store/mod.ts";
import type { Store } from "./store/types.ts";
import { buildWorkspaceIndex, type LiveWorkspaceIndex } from "./workspace/index.ts";
import { listen } from "./listen.ts";

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

/**
 * Open the store and index, then listen on `config.host:config.port` (0 picks a free port).
 * Throws when it cannot listen or open the database.
 * @example
 * const server = await startServer(config);
 * await server.stop();
 */
export async function startServer(config: Config): Promise<RunningServer> {
  const db = dbPathOf(config);
  const store: Store = openStore(db, {
    logDir: config.logDir ?? (db === ":memory:" ? null : dirname(db)),
  });
  let workspace: LiveWorkspaceIndex | null = null;
  try {
    workspace = await buildWorkspaceIndex(config.workspaces, { watch: true });
    log.info(
      `Workspace index: ${workspace.size} entries under ${config.workspaces.join(", ")}` +
        (workspace.truncated ? " (file budget reached: the rest is not checked)" : ""),
    );
    const { app, live } = createApp({ config, store, workspace });
    const server = listen(config.host, config.port, app.fetch, (addr) =>
      log.info(
        `hotpatch listening on http://${addr.hostname}:${addr.port} → ${config.upstream} ` +
          `(mode ${config.mode}, rules in ${db})`,
      ));
    live.port = server.port;
    const index = workspace;
    return {
      port: server.port,
      finished: server.finished,
      stop: async (graceMs = 5000) => {
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
