/**
 * `GET /hotpatch/health`: liveness of hotpatch and a live reachability check of the upstream.
 * @module
 */

/** The health document. */
export interface Health {
  status: "ok";
  version: string;
  uptimeMs: number;
  upstream: { url: string; reachable: boolean; latencyMs: number | null; error?: string };
  mode: string;
}

/**
 * Probe the upstream with a cheap `GET /` (any HTTP answer counts as reachable).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const refused = () => Promise.reject(new TypeError("connection refused"));
 * const h = await checkHealth({ upstream: "http://127.0.0.1:9", version: "0.1.0",
 *   startedAt: Date.now(), mode: "correct", fetch: refused, timeoutMs: 500 });
 * assert.equal(h.upstream.reachable, false);
 * ```
 */
export async function checkHealth(opts: {
  upstream: string;
  version: string;
  startedAt: number;
  mode: string;
  fetch: typeof fetch;
  timeoutMs: number;
}): Promise<Health> {
  const t0 = performance.now();
  let reachable = false;
  let error: string | undefined;
  try {
    const res = await opts.fetch(opts.upstream + "/", {
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    await res.body?.cancel();
    reachable = true;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const latencyMs = reachable ? Math.round((performance.now() - t0) * 100) / 100 : null;
  return {
    status: "ok",
    version: opts.version,
    uptimeMs: Date.now() - opts.startedAt,
    upstream: { url: opts.upstream, reachable, latencyMs, ...(error ? { error } : {}) },
    mode: opts.mode,
  };
}
