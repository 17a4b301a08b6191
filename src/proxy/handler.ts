/**
 * The proxy handler: every request that is not `/hotpatch/*` goes upstream through here.
 * @module
 */
import { getLogger } from "@logtape/logtape";
import type { Config } from "../config.ts";
import type { Mode } from "../types.ts";
import { readBody } from "./body.ts";
import { isStreamType, ProxyError, streamErrorFrame } from "./errors.ts";
import { fetchUpstream, guardBody } from "./forward.ts";
import { requestHeaders, responseHeaders } from "./headers.ts";
import { routeOf } from "./routes.ts";

const log = getLogger(["hotpatch", "proxy"]);

/** Live counters shared with health and stats. */
export interface LiveCounters {
  active: number;
  requests: number;
}

/** What the proxy handler needs. */
export interface ProxyDeps {
  config: Config;
  fetch: typeof fetch;
  live: LiveCounters;
}

/**
 * Build the handler that forwards one request and returns the client's response.
 * @example
 * const handle = createProxyHandler({ config, fetch, live: { active: 0, requests: 0 } });
 * const res = await handle(new Request("http://127.0.0.1:11435/api/tags"), "req-1");
 */
export function createProxyHandler(
  deps: ProxyDeps,
): (req: Request, requestId: string) => Promise<Response> {
  const { config, live } = deps;
  return async (req, requestId) => {
    const url = new URL(req.url);
    const route = routeOf(req.method, url.pathname);
    if (live.active >= config.maxConnections) {
      throw new ProxyError(
        503,
        "too_many_connections",
        `Too many connections: ${live.active} in flight, limit ${config.maxConnections} (--max-connections)`,
      );
    }
    const mode = requestMode(req.headers, config.mode);
    live.active++;
    live.requests++;
    let open = true;
    const release = () => {
      if (open) {
        open = false;
        live.active--;
      }
    };
    try {
      const body = await readBody(req, config.maxBody);
      const rewrite = route.kind !== null && mode !== "off";
      const call = await fetchUpstream(config.upstream + url.pathname + url.search, {
        method: req.method,
        headers: requestHeaders(req.headers, rewrite),
        body,
      }, { timeoutMs: config.upstreamTimeout, clientSignal: req.signal, fetch: deps.fetch });
      const upstream = call.response;
      log.debug(`${req.method} ${url.pathname} → ${upstream.status} (${requestId})`);
      if (!upstream.body) {
        release();
        return new Response(null, {
          status: upstream.status,
          headers: responseHeaders(upstream.headers, false),
        });
      }
      const contentType = upstream.headers.get("content-type") ?? "";
      const guarded = guardBody(upstream.body, {
        idleMs: config.upstreamTimeout,
        abort: call.abort,
        errorFrame: isStreamType(contentType)
          ? (message) => streamErrorFrame(route.protocol, contentType, message)
          : null,
        onEnd: release,
      });
      return new Response(guarded, {
        status: upstream.status,
        headers: responseHeaders(upstream.headers, false),
      });
    } catch (e) {
      release();
      throw e;
    }
  };
}

/**
 * The mode for one request: `x-hotpatch-mode` overrides the server's mode.
 * @example
 * requestMode(new Headers({ "x-hotpatch-mode": "off" }), "correct"); // "off"
 */
export function requestMode(headers: Headers, fallback: Mode): Mode {
  const asked = headers.get("x-hotpatch-mode");
  if (asked === null) return fallback;
  const v = asked.trim().toLowerCase();
  if (v === "off" || v === "detect" || v === "correct") return v;
  throw new ProxyError(
    400,
    "invalid_mode",
    `Invalid x-hotpatch-mode "${asked}": must be one of off, detect, correct`,
  );
}
