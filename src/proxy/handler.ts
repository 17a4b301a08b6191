/**
 * The proxy handler: every request that is not `/hotpatch/*` goes upstream through here, after
 * the middleware (connection cap, mode, body limit). It plans the request, forwards it and hands
 * the upstream's response to the chain.
 * @module
 */
import type { Context } from "hono";
import { getLogger } from "@logtape/logtape";
import { respond } from "../chain/mod.ts";
import type { Config } from "../config.ts";
import type { Detector } from "../detection.ts";
import { buildPlan } from "../plan.ts";
import type { Store } from "../store/types.ts";
import type { Mode } from "../types.ts";
import { currentTrace } from "../observe/trace.ts";
import type { WorkspaceIndex } from "../workspace/types.ts";
import { fetchUpstream } from "./forward.ts";
import { requestHeaders } from "../http/headers.ts";
import type { Slot } from "./middleware.ts";
import type { SendTracker } from "../http/send_timeout.ts";
import { routeOf } from "../protocols/routes.ts";

const log = getLogger(["hotpatch", "proxy"]);

/** What the proxy handler needs. */
export interface ProxyDeps {
  config: Config;
  fetch: typeof fetch;
  store: Store;
  workspace: WorkspaceIndex | null;
  /** Text detectors; the default set when not given. */
  detectors?: readonly Detector[];
}

/** The context variables the middleware set for the handler. */
export interface ProxyVariables {
  requestId: string;
  slot: Slot;
  mode: Mode;
  body: Uint8Array<ArrayBuffer> | null;
  /** Set by the send-timeout middleware when it runs. */
  sendTrack?: SendTracker;
}

/**
 * Build the handler that forwards one request and returns the client's response.
 */
export function createProxyHandler(
  deps: ProxyDeps,
): (c: Context<{ Variables: ProxyVariables }>) => Promise<Response> {
  const { config } = deps;
  return async (c) => {
    const req = c.req.raw;
    const requestId = c.get("requestId");
    const url = new URL(req.url);
    const route = routeOf(req.method, url.pathname);
    const plan = buildPlan(route.kind, c.get("mode"), c.get("body"), requestId, {
      store: deps.store,
      workspace: deps.workspace,
      holdback: config.holdback,
      frameMax: config.maxFrame,
      toolLoopLimit: config.toolLoopLimit,
      ...(deps.detectors ? { detectors: deps.detectors } : {}),
    });
    const trace = currentTrace();
    const send = c.get("sendTrack");
    if (plan.correction !== null) trace?.setModel(plan.correction.base.model);
    const call = await fetchUpstream(config.upstream + url.pathname + url.search, {
      method: req.method,
      headers: requestHeaders(req.headers),
      body: plan.upstreamBody,
    }, { timeoutMs: config.upstreamTimeout, clientSignal: req.signal, fetch: deps.fetch });
    log.debug(`${req.method} ${url.pathname} → ${call.response.status} (${requestId})`);
    return respond(plan.correction, call.response, {
      protocol: route.protocol,
      requestId,
      idleMs: config.upstreamTimeout,
      abort: call.abort,
      release: c.get("slot").handOff(),
      ...(trace ? { trace } : {}),
      ...(send ? { send } : {}),
    });
  };
}
