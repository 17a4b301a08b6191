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
 * Listen on `config.host:config.port` (port 0 picks a free one).
 * @example
 * const server = await startServer(config);
 * await server.stop();
 */
export function startServer(config: Config): Promise<RunningServer> {
  const { app } = createApp({ config });
  return new Promise((resolve, reject) => {
    let server: Deno.HttpServer<Deno.NetAddr>;
    try {
      server = Deno.serve({
        hostname: config.host,
        port: config.port,
        onListen: (addr) => {
          log.info("hotpatch listening on http://{host}:{port} → {upstream} (mode {mode})", {
            host: addr.hostname,
            port: addr.port,
            upstream: config.upstream,
            mode: config.mode,
          });
          resolve({
            port: addr.port,
            finished: server.finished,
            stop: async (graceMs = 5000) => {
              const timer = new Promise<"timeout">((r) => {
                const t = setTimeout(() => r("timeout"), graceMs);
                server.finished.then(() => clearTimeout(t));
              });
              const result = await Promise.race([server.shutdown().then(() => "done"), timer]);
              if (result === "timeout") {
                log.warn("Streams still open after {graceMs} ms: closing them", { graceMs });
              }
            },
          });
        },
      }, app.fetch);
    } catch (e) {
      reject(e);
    }
  });
}
