/**
 * Who may talk to hotpatch, the way Ollama protects itself: a `Host` header that names this
 * machine (DNS rebinding sends a foreign name), an `Origin` that is hotpatch itself on the admin
 * routes (any web page can send a request, not read its answer), and JSON-only admin writes
 * (an HTML form or a `text/plain` fetch cannot send `application/json` without a preflight).
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { isLoopback } from "../config.ts";

/** What the guards allow besides loopback. */
export interface GuardOptions {
  /** The listen address (`--host`). */
  host: string;
  /** Extra names for `Host` (`--allowed-hosts`); `*` allows any. */
  allowedHosts: readonly string[];
  /** Extra origins for the admin routes (`--allowed-origins`); `*` allows any. */
  allowedOrigins: readonly string[];
}

/** True for an IPv4 or bracket-less IPv6 literal: a name no DNS answer can rebind. */
function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(":");
}

/** The host name of a `Host` header value (`[::1]:11435` → `::1`), lower-cased. */
function hostName(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith("[")) return v.slice(1, v.indexOf("]") === -1 ? undefined : v.indexOf("]"));
  const colon = v.lastIndexOf(":");
  return colon === -1 || v.indexOf(":") !== colon ? v : v.slice(0, colon);
}

/**
 * Whether a `Host` header value may reach hotpatch: loopback (`*.localhost` too), the listen
 * address, a name in
 * `allowedHosts`; when listening on every address (`0.0.0.0`, `::`), also any IP literal.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(
 *   hostAllowed("127.0.0.1:11435", { host: "127.0.0.1", allowedHosts: [], allowedOrigins: [] }),
 *   true,
 * );
 * assert.equal(
 *   hostAllowed("rebind.example:11435", {
 *     host: "127.0.0.1",
 *     allowedHosts: [],
 *     allowedOrigins: [],
 *   }),
 *   false,
 * );
 * ```
 */
export function hostAllowed(value: string, opts: GuardOptions): boolean {
  const name = hostName(value);
  if (isLoopback(name) || name.endsWith(".localhost") || name === opts.host.toLowerCase()) {
    return true;
  }
  if ((opts.host === "0.0.0.0" || opts.host === "::") && isIpLiteral(name)) return true;
  return opts.allowedHosts.some((h) => h === "*" || h.toLowerCase() === name);
}

/** A protocol-neutral JSON error (`{"error": …}`); admin and proxy clients both read it. */
function refuse(status: 403 | 415, message: string): Response {
  return Response.json({ error: message }, { status });
}

/**
 * Middleware for every route: 403 when the `Host` header names another machine.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.use(hostGuard({ host: "127.0.0.1", allowedHosts: [], allowedOrigins: [] }));
 * app.get("/", (c) => c.text("ok"));
 * assert.equal((await app.request("/", { headers: { host: "127.0.0.1:11435" } })).status, 200);
 * assert.equal((await app.request("/", { headers: { host: "rebind.example" } })).status, 403);
 * ```
 */
export function hostGuard(opts: GuardOptions): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host");
    if (host !== undefined && !hostAllowed(host, opts)) {
      return refuse(
        403,
        `Host "${host}" is not allowed: hotpatch answers only its own names (--allowed-hosts)`,
      );
    }
    await next();
  };
}

/**
 * Middleware for the admin routes: 403 for an `Origin` other than hotpatch's own (or one in
 * `allowedOrigins`), 415 for a write (POST, PUT, PATCH) with a body that is not
 * `application/json`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.use("/hotpatch/*", adminGuard({ host: "127.0.0.1", allowedHosts: [], allowedOrigins: [] }));
 * app.get("/hotpatch/api", (c) => c.text("ok"));
 * const from = (origin: string) =>
 *   app.request("/hotpatch/api", { headers: { host: "127.0.0.1:11435", origin } });
 * assert.equal((await from("http://127.0.0.1:11435")).status, 200);
 * assert.equal((await from("https://evil.example")).status, 403);
 * ```
 */
export function adminGuard(opts: GuardOptions): MiddlewareHandler {
  const origins = new Set(opts.allowedOrigins.map((o) => o.toLowerCase().replace(/\/+$/, "")));
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin !== undefined && !origins.has("*")) {
      const own = `//${(c.req.header("host") ?? "").toLowerCase()}`;
      const o = origin.toLowerCase();
      const same = (o === `http:${own}` || o === `https:${own}`) && own !== "//";
      if (!same && !origins.has(o)) {
        return refuse(
          403,
          `Origin "${origin}" may not use the hotpatch API (--allowed-origins)`,
        );
      }
    }
    const method = c.req.method;
    // A write without a body carries no rule: it goes on to its route (405, 400, …).
    const body = c.req.raw.body !== null && c.req.header("content-length") !== "0";
    if ((method === "POST" || method === "PUT" || method === "PATCH") && body) {
      const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
      if (type !== "application/json") {
        return refuse(
          415,
          `Content-Type "${type ?? ""}" is not accepted: send application/json`,
        );
      }
    }
    await next();
  };
}
