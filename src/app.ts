/**
 * The Hono application: `/hotpatch/*` admin routes, everything else proxied upstream.
 * @module
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { getLogger } from "@logtape/logtape";
import { type Config, isLoopback } from "./config.ts";
import type { Detector } from "./detection.ts";
import { checkHealth } from "./admin/health.ts";
import { adminRoutes } from "./admin/api.ts";
import { adminGuard, hostGuard } from "./admin/guard.ts";
import { sendTimeout } from "./http/send_timeout.ts";
import type { Store } from "./store/types.ts";
import type { WorkspaceIndex } from "./workspace/types.ts";
import { ProxyError } from "./http/proxy_error.ts";
import { createProxyHandler } from "./proxy/handler.ts";
import { bodyLimit, connectionCap, type LiveCounters, modeHeader } from "./proxy/middleware.ts";
import { protocolOf } from "./protocols/routes.ts";
import { VERSION } from "./version.ts";
import { unmatched } from "./admin/discover.ts";
import { DASHBOARD_HTML, dashboardPolicy } from "./admin/dashboard/page.ts";
import { requireToken } from "./admin/http.ts";
import { observeRequests, timedFetch } from "./observe/instrument.ts";
import { observedStore, Observer } from "./observe/observer.ts";
import { EXPOSITION_TYPE } from "./observe/prometheus.ts";

const log = getLogger(["hotpatch", "app"]);

/** Everything the app is built from; tests build a fresh set each time. */
export interface AppDeps {
  config: Config;
  store: Store;
  workspace: WorkspaceIndex | null;
  fetch?: typeof fetch;
  /** Clock for uptime; defaults to Date.now at creation. */
  startedAt?: number;
  /** Text detectors of every response; the default set when not given. */
  detectors?: readonly Detector[];
  /** Where corrections, requests and upstream errors are reported; a fresh one by default. */
  observer?: Observer;
}

/** The app plus its live counters. */
export interface HotpatchApp {
  app: Hono<{ Variables: { requestId: string } }>;
  live: LiveCounters;
  observer: Observer;
}

/**
 * Build the Hono app.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "./config.ts";
 * import { openStore } from "./store/store.ts";
 * const config = parseConfig(["--upstream", "http://127.0.0.1:9"], {}, () => true);
 * const store = openStore(":memory:");
 * const { app } = createApp({ config, store, workspace: null });
 * const res = await app.request("http://127.0.0.1:11435/hotpatch/api");
 * assert.equal(res.status, 200);
 * await res.body?.cancel();
 * store.close();
 * ```
 */
export function createApp(deps: AppDeps): HotpatchApp {
  const { config } = deps;
  const upstreamFetch = deps.fetch ?? fetch;
  const startedAt = deps.startedAt ?? Date.now();
  const live: LiveCounters = { active: 0, port: config.port };
  const { store, workspace } = deps;
  const observer = deps.observer ?? new Observer({
    rulesRevision: () => store.rules().version,
    storeQueueDepth: () => store.queued?.() ?? 0,
  });
  const proxy = createProxyHandler({
    config,
    fetch: timedFetch(upstreamFetch, () => performance.now()),
    store: observedStore(store, observer),
    workspace,
    ...(deps.detectors ? { detectors: deps.detectors } : {}),
  });
  const app = new Hono<{ Variables: { requestId: string } }>();
  const token = adminToken(config);

  // Always a fresh id (no header read: ids name hotpatch's own records), on every response, also
  // on the ones handlers return whole (Hono adds prepared headers only to responses it builds).
  app.use(requestId({ headerName: "" }), async (c, next) => {
    await next();
    c.res.headers.set("x-hotpatch-request-id", c.get("requestId"));
  });
  app.use(observeRequests(observer, config.maxFrame));
  app.use(hostGuard(config));
  app.use("/hotpatch/*", adminGuard(config));
  app.use(sendTimeout(config.sendTimeout));

  app.get("/hotpatch/health", async (c) =>
    c.json(
      await checkHealth({
        upstream: config.upstream,
        version: VERSION,
        startedAt,
        mode: config.mode,
        fetch: upstreamFetch,
        timeoutMs: 2000,
      }),
    ));

  app.route(
    "/hotpatch/api",
    adminRoutes({
      store,
      token,
      observer,
      hello: () => ({ version: VERSION, mode: config.mode, upstream: config.upstream }),
      bodyTimeout: config.bodyTimeout,
      live: () => ({
        activeConnections: live.active,
        serverListening: true,
        listenPort: live.port,
        upstream: config.upstream,
        mode: config.mode,
      }),
    }),
  );

  app.get(
    "/hotpatch/metrics",
    requireToken(token),
    (c) => c.body(observer.metrics.expose(), 200, { "content-type": EXPOSITION_TYPE }),
  );
  app.get("/hotpatch", (c) => c.redirect("/hotpatch/", 301));
  app.get("/hotpatch/", async (c) =>
    c.html(DASHBOARD_HTML, 200, {
      "cache-control": "no-cache",
      "content-security-policy": await dashboardPolicy(),
      "x-content-type-options": "nosniff",
    }));
  app.all("/hotpatch/*", unmatched);

  app.all(
    "*",
    connectionCap(live, config.maxConnections),
    modeHeader(config.mode),
    bodyLimit(config.maxBody, config.bodyTimeout),
    proxy,
  );

  app.onError((err, c) => {
    const protocol = protocolOf(c.req.path);
    if (err instanceof HTTPException) {
      return err.res ??
        new ProxyError(err.status, "http_error", err.message || "Request refused")
          .toResponse(protocol);
    }
    if (err instanceof ProxyError) {
      if (err.status >= 500) log.warn(err.message);
      return err.toResponse(protocol);
    }
    log.error(`Unexpected error on ${c.req.path}: ${err.stack ?? String(err)}`);
    return new ProxyError(500, "internal_error", `Internal error in hotpatch: ${String(err)}`)
      .toResponse(protocol);
  });

  return { app, live, observer };
}

/**
 * The bearer token the admin API requires: `--admin-token` when set; on a non-loopback address
 * without one, a random token nobody knows (the API stays locked rather than open to the network).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(adminToken({ host: "127.0.0.1", adminToken: null }), null);
 * ```
 */
export function adminToken(config: Pick<Config, "host" | "adminToken">): string | null {
  if (config.adminToken) return config.adminToken;
  return isLoopback(config.host) ? null : crypto.randomUUID();
}
