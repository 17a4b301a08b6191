/**
 * One upstream call: fetch with a first-byte timeout, aborted when the client goes. (The idle
 * timeout between chunks is the chain's guard: src/chain/upstream.ts.)
 * @module
 */
import { errorText, ProxyError } from "../http/proxy_error.ts";

/** The upstream's answer plus the handle to stop it. */
export interface UpstreamCall {
  response: Response;
  /** Aborts the upstream request (the model stops generating). */
  abort(reason?: string): void;
}

/** What `fetchUpstream` needs besides the request itself. */
export interface ForwardOptions {
  timeoutMs: number;
  /** Aborted when the client disconnects. */
  clientSignal: AbortSignal;
  fetch: typeof fetch;
}

/**
 * Send a request upstream. Unreachable → ProxyError 502; no first byte in time → 504.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const upstream = () => Promise.resolve(new Response('{"models":[]}'));
 * const call = await fetchUpstream("http://127.0.0.1:11434/api/tags", {
 *   method: "GET",
 *   headers: new Headers(),
 *   body: null,
 * }, { timeoutMs: 1000, clientSignal: new AbortController().signal, fetch: upstream });
 * assert.deepEqual(await call.response.json(), { models: [] });
 * const refused = () => Promise.reject(new TypeError("connection refused"));
 * await assert.rejects(
 *   fetchUpstream("http://127.0.0.1:9/", { method: "GET", headers: new Headers(), body: null }, {
 *     timeoutMs: 1000,
 *     clientSignal: new AbortController().signal,
 *     fetch: refused,
 *   }),
 *   { status: 502 },
 * );
 * ```
 */
export async function fetchUpstream(
  url: string,
  init: { method: string; headers: Headers; body: Uint8Array<ArrayBuffer> | null },
  opts: ForwardOptions,
): Promise<UpstreamCall> {
  const controller = new AbortController();
  let timedOut = false;
  const onClientGone = () => controller.abort(new Error("Client disconnected"));
  opts.clientSignal.addEventListener("abort", onClientGone, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("Upstream timeout"));
  }, opts.timeoutMs);
  try {
    const response = await opts.fetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body && init.body.byteLength > 0 ? init.body : null,
      redirect: "manual",
      signal: controller.signal,
    });
    return {
      response,
      abort: (reason = "aborted by hotpatch") => controller.abort(new Error(reason)),
    };
  } catch (e) {
    opts.clientSignal.removeEventListener("abort", onClientGone);
    if (timedOut) {
      throw new ProxyError(
        504,
        "upstream_timeout",
        `Upstream "${new URL(url).origin}" sent no response within ${opts.timeoutMs} ms`,
      );
    }
    if (opts.clientSignal.aborted) {
      throw new ProxyError(499, "client_closed", "Client disconnected");
    }
    throw new ProxyError(
      502,
      "upstream_unreachable",
      `Upstream "${new URL(url).origin}" is unreachable: ${errorText(e)}`,
    );
  } finally {
    clearTimeout(timer);
  }
}
