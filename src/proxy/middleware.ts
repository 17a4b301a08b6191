/**
 * The middleware in front of the proxy handler: the connection cap, the per-request mode and the
 * request body (read under its limit). What they decide is in the context variables, so the
 * handler only plans, forwards and answers.
 * @module
 */
import { createMiddleware } from "hono/factory";
import type { Mode } from "../types.ts";
import { readBody } from "../http/read_body.ts";
import { ProxyError } from "../http/proxy_error.ts";

/** Live counters shared with health and stats. */
export interface LiveCounters {
  /** Requests in flight (a stream counts until it ends). */
  active: number;
  /** The port actually listened on (set once listening). */
  port: number;
}

/** One request's place under the connection cap. */
export class Slot {
  #live: LiveCounters;
  #held = true;
  #handedOff = false;

  constructor(live: LiveCounters) {
    this.#live = live;
    live.active++;
  }

  /** The response body now releases the slot when it ends (a stream counts until then). */
  handOff(): () => void {
    this.#handedOff = true;
    return () => this.release();
  }

  /** True once the body took over the release. */
  get handedOff(): boolean {
    return this.#handedOff;
  }

  /** Free the slot (only the first call counts). */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    this.#live.active--;
  }
}

/** Seconds a client is asked to wait after a 503. */
const RETRY_AFTER_S = 1;

/**
 * At most `max` proxied requests in flight: above it a protocol-shaped 503 with `Retry-After`.
 * The slot is freed when the response ends (its body, for a stream), whatever the outcome.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { ProxyError } from "../http/proxy_error.ts";
 * const live = { active: 0, port: 11435 };
 * const app = new Hono();
 * app.all("*", connectionCap(live, 1), (c) => c.text(String(live.active)));
 * app.onError((e) => (e as ProxyError).toResponse("ollama"));
 * assert.equal(await (await app.request("/api/tags")).text(), "1"); // this request's slot
 * assert.equal(live.active, 0); // freed when the response ended
 * live.active = 1; // one stream still open
 * assert.equal((await app.request("/api/tags")).status, 503);
 * ```
 */
export function connectionCap(live: LiveCounters, max: number) {
  return createMiddleware<{ Variables: { slot: Slot } }>(async (c, next) => {
    if (live.active >= max) {
      throw new ProxyError(
        503,
        "too_many_connections",
        `Too many connections: ${live.active} in flight, limit ${max} (--max-connections)`,
        { "retry-after": String(RETRY_AFTER_S) },
      );
    }
    const slot = new Slot(live);
    c.set("slot", slot);
    try {
      await next();
    } finally {
      if (!slot.handedOff || c.error !== undefined) slot.release();
    }
  });
}

/**
 * The mode for one request: `x-hotpatch-mode` overrides the server's mode.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(requestMode(new Headers({ "x-hotpatch-mode": "off" }), "correct"), "off");
 * ```
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

/**
 * Sets the `mode` variable from `x-hotpatch-mode` (a protocol-shaped 400 when invalid).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import type { Mode } from "../types.ts";
 * const app = new Hono<{ Variables: { mode: Mode } }>();
 * app.all("*", modeHeader("correct"), (c) => c.text(c.var.mode));
 * const res = await app.request("/api/chat", { headers: { "x-hotpatch-mode": "detect" } });
 * assert.equal(await res.text(), "detect");
 * ```
 */
export function modeHeader(fallback: Mode) {
  return createMiddleware<{ Variables: { mode: Mode } }>(async (c, next) => {
    c.set("mode", requestMode(c.req.raw.headers, fallback));
    await next();
  });
}

/**
 * Reads the request body under `max` bytes into the `body` variable (a protocol-shaped 413 as
 * soon as it passes the limit, chunked bodies included; 408 when it has not all arrived within
 * `timeoutMs`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { ProxyError } from "../http/proxy_error.ts";
 * const app = new Hono<{ Variables: { body: Uint8Array | null } }>();
 * app.all("*", bodyLimit(4, 60_000), (c) => c.text(String(c.var.body?.length)));
 * app.onError((e) => (e as ProxyError).toResponse("ollama"));
 * assert.equal(await (await app.request("/", { method: "POST", body: "abc" })).text(), "3");
 * assert.equal((await app.request("/", { method: "POST", body: "abcdef" })).status, 413);
 * ```
 */
export function bodyLimit(max: number, timeoutMs: number) {
  return createMiddleware<{ Variables: { body: Uint8Array<ArrayBuffer> | null } }>(
    async (c, next) => {
      c.set("body", await readBody(c.req.raw, max, timeoutMs));
      await next();
    },
  );
}
