/**
 * The edges where the observer hooks into the proxy without living inside it: a Hono middleware
 * that traces every proxied request (start, status, `server-timing`, upstream errors the handler
 * threw) and a wrapper of the upstream `fetch` that counts the time spent waiting for it.
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { ProxyError } from "../http/proxy_error.ts";
import { routeOf } from "../protocols/routes.ts";
import type { Protocol } from "../types.ts";
import type { Observer } from "./observer.ts";
import { currentTrace, type RequestTrace, withTrace } from "./trace.ts";

/**
 * Middleware tracing each request outside `/hotpatch/` (runs after the request id is set).
 * Every such response gets `server-timing: hotpatch;dur=<ms>`: hotpatch's own time before the
 * first byte. A whole JSON answer gets `x-hotpatch-corrections` when it ends within `maxBody`
 * bytes; a longer one (or one that never ends) streams on as it comes, without that header.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { Observer } from "./observer.ts";
 * const observer = new Observer();
 * const app = new Hono<{ Variables: { requestId: string } }>();
 * app.use((c, next) => (c.set("requestId", "r1"), next()));
 * app.use(observeRequests(observer, 8 * 1024 * 1024));
 * app.get("/api/tags", (c) => c.json({ models: [] }));
 * const res = await app.request("/api/tags");
 * assert.match(res.headers.get("server-timing") ?? "", /^hotpatch;dur=/);
 * await res.body?.cancel();
 * ```
 */
export function observeRequests(
  observer: Observer,
  maxBody: number,
): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (c, next) => {
    const path = c.req.path;
    if (path === "/hotpatch" || path.startsWith("/hotpatch/")) return await next();
    const route = routeOf(c.req.method, path);
    const trace = observer.begin({
      requestId: c.get("requestId"),
      method: c.req.method,
      path,
      route: route.kind ?? "other",
      protocol: route.protocol,
    });
    try {
      await withTrace(trace, next);
      if (trace.inspected && isWholeAnswer(c.res)) {
        c.res = await settled(c.res, trace, route.protocol, maxBody);
      }
    } finally {
      const error = c.error;
      if (error instanceof ProxyError && error.code.startsWith("upstream_")) {
        trace.upstreamError(error.code, error.message);
      }
      const own = trace.respond(c.res.status);
      c.res.headers.append("server-timing", `hotpatch;dur=${own.toFixed(3)}`);
    }
  };
}

/** A 2xx non-streamed JSON answer (its corrections are all known once its body is read). */
function isWholeAnswer(res: Response): boolean {
  const type = res.headers.get("content-type") ?? "";
  return res.ok && res.body !== null && type.includes("json") && !type.includes("ndjson");
}

/**
 * The answer read whole, with `x-hotpatch-corrections`; past `max` bytes, what was read and the
 * rest stream on untouched. A body that fails while being read becomes a 502 in the route's
 * protocol (the guarded body already reported the upstream error).
 */
async function settled(
  res: Response,
  trace: RequestTrace,
  protocol: Protocol,
  max: number,
): Promise<Response> {
  const reader = res.body!.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      parts.push(r.value);
      size += r.value.byteLength;
      if (size > max) return new Response(resume(parts, reader), res);
    }
  } catch (e) {
    const why = `Upstream body failed: ${e instanceof Error ? e.message : String(e)}`;
    return new ProxyError(502, "upstream_stream_error", why).toResponse(protocol);
  }
  const out = new Response(new Blob(parts as Uint8Array<ArrayBuffer>[]), res);
  out.headers.set("x-hotpatch-corrections", String(trace.corrections));
  return out;
}

/** `parts`, then the rest of `reader`, read as the client asks. */
function resume(
  parts: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      const held = parts.shift();
      if (held !== undefined) return ctrl.enqueue(held);
      const r = await reader.read();
      if (r.done) ctrl.close();
      else ctrl.enqueue(r.value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}

/**
 * `fetch` that adds the time to the upstream's response headers to the current trace, and
 * reports an upstream 5xx answer as an upstream error.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RequestTrace, withTrace } from "./trace.ts";
 * const errors: string[] = [];
 * const sink = { upstreamError: (_: string, kind: string) => errors.push(kind), finish: () => {} };
 * const start = { requestId: "r1", time: 0, method: "POST", path: "/", route: "x", protocol: "x" };
 * const trace = new RequestTrace(start, sink, Date.now);
 * const upstream = timedFetch(
 *   () => Promise.resolve(new Response(null, { status: 503 })),
 *   Date.now,
 * );
 * await withTrace(trace, () => upstream("http://127.0.0.1:9/"));
 * assert.deepEqual(errors, ["upstream_status"]);
 * ```
 */
export function timedFetch(inner: typeof fetch, now: () => number): typeof fetch {
  return async (input, init) => {
    const trace = currentTrace();
    if (trace === undefined) return await inner(input, init);
    const t0 = now();
    try {
      const response = await inner(input, init);
      if (response.status >= 500) {
        trace.upstreamError("upstream_status", `Upstream answered ${response.status}`);
      }
      return response;
    } finally {
      trace.waited(now() - t0);
    }
  };
}
