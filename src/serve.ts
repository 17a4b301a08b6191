/**
 * `hotpatch serve`: start the proxy, stop it gracefully on SIGINT/SIGTERM.
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";

const log = getLogger(["hotpatch"]);

/** A running proxy. */
export interface RunningServer {
  port: number;
  /** Stop accepting, let in-flight streams finish for up to `graceMs`, then close. */
  stop(graceMs?: number): Promise<void>;
  finished: Promise<void>;
}

/**
 * Listen on `config.host:config.port` (port 0 picks a free one). Throws when it cannot listen.
 * @example
 * const server = startServer(config);
 * await server.stop();
 */
export function startServer(config: Config): RunningServer {
  const { app } = createApp({ config });
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    onListen: (addr) =>
      log.info(
        `hotpatch listening on http://${addr.hostname}:${addr.port} → ${config.upstream} ` +
          `(mode ${config.mode})`,
      ),
  }, app.fetch);
  return {
    port: server.addr.port,
    finished: server.finished,
    stop: async (graceMs = 5000) => {
      let timer: number | undefined;
      const late = new Promise<"late">((r) => timer = setTimeout(() => r("late"), graceMs));
      const result = await Promise.race([server.shutdown().then(() => "done" as const), late]);
      clearTimeout(timer);
      if (result === "late") {
        log.warn(`Streams still open after ${graceMs} ms: closing them`);
      }
    },
  };
}
