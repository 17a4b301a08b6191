/**
 * Listening that survives the accept loop dying. `Deno.serve` ends its accept loop on the first
 * accept error (EMFILE when descriptors run out: `finished` rejects and the port closes), so the
 * listener is re-opened on the same port — with a backoff while descriptors are still short —
 * and streams already open keep going on the old server. Deno raises the soft `RLIMIT_NOFILE` to
 * the hard limit itself at start; `ulimit -Hn` is the bound.
 * @module
 */
import { getLogger } from "@logtape/logtape";

const log = getLogger(["hotpatch"]);

/** A listener that re-opens itself after accept errors until stopped. */
export interface Listener {
  port: number;
  /** Resolves once stopped and every server generation has finished. */
  finished: Promise<void>;
  /** Stop accepting and wait for in-flight requests of every generation. */
  stop(): Promise<void>;
}

/**
 * Serve `handler` on `hostname:port` (0: any free port, kept across re-opens).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l = listen("127.0.0.1", 0, () => new Response("hi"), () => {});
 * assert.equal(await (await fetch(`http://127.0.0.1:${l.port}/`)).text(), "hi");
 * await l.stop();
 * ```
 */
export function listen(
  hostname: string,
  port: number,
  handler: Deno.ServeHandler,
  onListen: (addr: Deno.NetAddr) => void,
): Listener {
  const servers = new Set<Deno.HttpServer<Deno.NetAddr>>();
  let stopped = false;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => done = r);
  const open = (
    at: number,
    notify: (addr: Deno.NetAddr) => void,
  ): Deno.HttpServer<Deno.NetAddr> => {
    const server = Deno.serve({ hostname, port: at, onListen: notify }, handler);
    servers.add(server);
    const bound = server.addr.port;
    server.finished.then(() => servers.delete(server), (error: unknown) => {
      servers.delete(server);
      if (stopped) return;
      log.warn(`Accept failed (${String(error)}): listening again on port ${bound}`);
      reopen(bound, 50);
    });
    return server;
  };
  const reopen = (at: number, delay: number) => {
    setTimeout(() => {
      if (stopped) return;
      try {
        open(at, () => log.info(`Listening again on port ${at}`));
      } catch (error) {
        log.warn(`Cannot listen on port ${at} yet (${String(error)}): retrying`);
        reopen(at, Math.min(delay * 2, 1000));
      }
    }, delay);
  };
  const first = open(port, onListen);
  return {
    port: first.addr.port,
    finished,
    stop: async () => {
      stopped = true;
      await Promise.allSettled([...servers].map((s) => s.shutdown()));
      done();
    },
  };
}
