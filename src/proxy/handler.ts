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
import { type RouteKind, routeOf } from "./routes.ts";
import { intercept } from "./intercept.ts";
import { resolveSettings } from "../detect/settings.ts";
import { applyBehaviorPatches, patternsFor } from "../store/mod.ts";
import type { Store } from "../store/types.ts";
import { currentTrace } from "../observe/trace.ts";
import type { WorkspaceIndex } from "../workspace/types.ts";

const log = getLogger(["hotpatch", "proxy"]);

/** Live counters shared with health and stats. */
export interface LiveCounters {
  /** Requests in flight (a stream counts until it ends). */
  active: number;
  /** The port actually listened on (set once listening). */
  port: number;
}

/** What the proxy handler needs. */
export interface ProxyDeps {
  config: Config;
  fetch: typeof fetch;
  live: LiveCounters;
  store: Store;
  workspace: WorkspaceIndex | null;
}

/** A generation request hotpatch will correct: its parsed body after behavior patches. */
interface Prepared {
  kind: RouteKind;
  body: Record<string, unknown>;
  bytes: Uint8Array<ArrayBuffer>;
  rules: Pick<Parameters<typeof intercept>[0], "rules" | "settings">;
}

/**
 * Parse a generation request and apply the behavior patches of its model. Null when the body is
 * not a JSON object (the upstream answers that itself).
 */
function prepare(
  kind: RouteKind,
  raw: Uint8Array<ArrayBuffer> | null,
  store: Store,
): Prepared | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(raw ?? new Uint8Array()));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const original = parsed as Record<string, unknown>;
  const model = typeof original.model === "string" ? original.model : "";
  currentTrace()?.setModel(model);
  const snapshot = store.rules();
  const patched = applyBehaviorPatches(kind, original, model, snapshot.behaviorPatches);
  store.countRequest(patched.applied);
  const changed = patched.body !== original;
  return {
    kind,
    body: patched.body,
    bytes: changed ? new TextEncoder().encode(JSON.stringify(patched.body)) : raw!,
    rules: {
      rules: {
        patterns: [...patternsFor(snapshot, model), ...patched.patterns],
        navigationFixes: snapshot.navigationFixes,
      },
      settings: resolveSettings(patched.settings),
    },
  };
}

/**
 * Build the handler that forwards one request and returns the client's response.
 * @example
 * const handle = createProxyHandler({ config, fetch, live: { active: 0, port: 11435 } });
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
        { "retry-after": "1" },
      );
    }
    const mode = requestMode(req.headers, config.mode);
    live.active++;
    let open = true;
    const release = () => {
      if (open) {
        open = false;
        live.active--;
      }
    };
    try {
      const body = await readBody(req, config.maxBody, config.bodyTimeout);
      const prepared = route.kind !== null && mode !== "off"
        ? prepare(route.kind, body, deps.store)
        : null;
      if (prepared === null) deps.store.countRequest();
      const call = await fetchUpstream(config.upstream + url.pathname + url.search, {
        method: req.method,
        headers: requestHeaders(req.headers, prepared !== null),
        body: prepared?.bytes ?? body,
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
      if (
        prepared !== null && mode !== "off" && upstream.ok && /json|event-stream/.test(contentType)
      ) {
        const guardedBody = guardBody(upstream.body, {
          idleMs: config.upstreamTimeout,
          abort: call.abort,
          errorFrame: null,
          onEnd: () => {},
        });
        return intercept({
          kind: prepared.kind,
          body: prepared.body,
          requestId,
          mode,
          upstream: new Response(guardedBody, upstream),
          abort: () => call.abort("Generation ended early by hotpatch"),
          sink: deps.store,
          workspace: deps.workspace,
          ...prepared.rules,
          holdback: config.holdback,
          onEnd: release,
        });
      }
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
