/**
 * The admin API describes itself: `GET /hotpatch/api` lists every route, and a known path asked
 * with a wrong method gets `405` with `Allow`.
 * @module
 */
import type { Context } from "hono";

/** One admin route: path (relative to `/hotpatch`), methods, what it does. */
export interface RouteDoc {
  path: string;
  methods: readonly string[];
  description: string;
}

const rules = (path: string, noun: string, plural = `${noun}s`): RouteDoc[] => [
  { path, methods: ["GET", "POST"], description: `list ${plural} / create one (201 with the id)` },
  {
    path: `${path}/:id`,
    methods: ["GET", "PATCH", "DELETE"],
    description: `read / change / delete one ${noun}`,
  },
];

/** Every route under `/hotpatch/`. */
export const ROUTES: readonly RouteDoc[] = [
  { path: "/hotpatch/", methods: ["GET"], description: "the dashboard (HTML page)" },
  {
    path: "/hotpatch/health",
    methods: ["GET"],
    description: "status, version, uptime, upstream reachability",
  },
  {
    path: "/hotpatch/metrics",
    methods: ["GET"],
    description: "Prometheus metrics (text exposition format)",
  },
  { path: "/hotpatch/api", methods: ["GET"], description: "this list" },
  ...rules("/hotpatch/api/patterns", "correction pattern"),
  ...rules("/hotpatch/api/navigation-fixes", "navigation fix", "navigation fixes"),
  ...rules("/hotpatch/api/behavior-patches", "behavior patch"),
  {
    path: "/hotpatch/api/corrections",
    methods: ["GET"],
    description: "recorded detections, newest last; query: request_id, type, limit",
  },
  {
    path: "/hotpatch/api/events",
    methods: ["GET"],
    description:
      "live feed (Server-Sent Events): correction, request_start, request_end, upstream_error",
  },
  { path: "/hotpatch/api/stats", methods: ["GET"], description: "lifetime statistics" },
  { path: "/hotpatch/api/export", methods: ["GET"], description: "all rules as one document" },
  { path: "/hotpatch/api/import", methods: ["POST"], description: "replace all rules" },
];

function matches(pattern: string, path: string): boolean {
  const a = pattern.replace(/\/$/, "").split("/");
  const b = path.replace(/\/$/, "").split("/");
  return a.length === b.length && a.every((part, i) => part.startsWith(":") || part === b[i]);
}

/**
 * The methods a known path allows, or null when no route has that path.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(allowedMethods("/hotpatch/api/patterns/3"), ["GET", "PATCH", "DELETE"]);
 * ```
 */
export function allowedMethods(path: string): readonly string[] | null {
  const route = ROUTES.find((r) => matches(r.path, path));
  return route === undefined ? null : route.methods;
}

/**
 * The answer for a request no route took: 405 with `Allow` when the path is known (HEAD is
 * allowed wherever GET is), else 404.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.notFound(unmatched);
 * const res = await app.request("/hotpatch/api/patterns/3", { method: "POST" });
 * assert.equal(res.status, 405);
 * assert.equal(res.headers.get("allow"), "GET, PATCH, DELETE, HEAD");
 * ```
 */
export function unmatched(c: Context): Response {
  const allowed = allowedMethods(c.req.path);
  const headers = { "content-type": "application/json; charset=utf-8" };
  if (allowed === null) {
    const error = `No hotpatch route ${c.req.method} ${c.req.path}: GET /hotpatch/api lists them`;
    return new Response(JSON.stringify({ error }), { status: 404, headers });
  }
  const allow = allowed.includes("GET") ? [...allowed, "HEAD"] : allowed;
  const error = `Method ${c.req.method} is not allowed on ${c.req.path}: use ${allow.join(", ")}`;
  return new Response(JSON.stringify({ error }), {
    status: 405,
    headers: { ...headers, allow: allow.join(", ") },
  });
}
