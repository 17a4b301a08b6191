/**
 * Small HTTP helpers of the admin API: bearer-token check, bounded JSON bodies, errors as
 * `{"error": "<reason>"}`.
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { ValidationError } from "../rules/fields.ts";
import { StoreError } from "../store/sqlite.ts";
import { countsToJson } from "../store/stats.ts";
import { readBody } from "../http/read_body.ts";
import { ProxyError } from "../http/proxy_error.ts";

/** An admin API failure with its HTTP status. */
export class AdminError extends Error {
  override name = "AdminError";
  constructor(readonly status: 400 | 401 | 404 | 408 | 500 | 503, message: string) {
    super(message);
  }
}

/** Compares two strings in time independent of where they differ. */
function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Middleware: with a token, every request needs `Authorization: Bearer <token>` (401 otherwise).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.use(requireToken("s3cret"));
 * app.get("/", (c) => c.text("ok"));
 * assert.equal((await app.request("/")).status, 401);
 * assert.equal(
 *   (await app.request("/", { headers: { authorization: "Bearer s3cret" } })).status,
 *   200,
 * );
 * ```
 */
export function requireToken(token: string | null): MiddlewareHandler {
  return async (c, next) => {
    if (token !== null) {
      const header = c.req.header("authorization") ?? "";
      const given = /^Bearer (.+)$/i.exec(header)?.[1] ?? "";
      if (!sameSecret(given, token)) {
        return json(c, {
          error: "Missing or wrong admin token: send Authorization: Bearer <token>",
        }, 401);
      }
    }
    await next();
  };
}

/**
 * A JSON response whose counts may be bigints (written as exact integers).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * const app = new Hono().get("/", (c) => json(c, { requestsProcessed: 2n ** 60n }));
 * assert.equal(await (await app.request("/")).text(), '{"requestsProcessed":1152921504606846976}');
 * ```
 */
export function json(
  c: Context,
  value: unknown,
  status: 200 | 201 | 400 | 401 | 404 | 408 | 500 | 503 = 200,
) {
  return c.body(countsToJson(value), status, { "content-type": "application/json; charset=utf-8" });
}

/**
 * The request body parsed as JSON, at most `maxBytes` long, all received within `timeoutMs`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.post("/", async (c) => c.json(await readJson(c, 1 << 20, 60_000)));
 * app.onError(errorResponse);
 * const post = (body: string) => app.request("/", { method: "POST", body });
 * assert.deepEqual(await (await post('{"a":1}')).json(), { a: 1 });
 * assert.equal((await post("{a:1}")).status, 400);
 * ```
 */
export async function readJson(c: Context, maxBytes: number, timeoutMs: number): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await readBody(c.req.raw, maxBytes, timeoutMs) ?? new Uint8Array();
  } catch (e) {
    if (!(e instanceof ProxyError)) throw e;
    if (e.status === 408) throw new AdminError(408, e.message);
    throw new AdminError(400, `Request body larger than ${maxBytes} bytes`);
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new AdminError(400, `Invalid JSON body: ${(error as Error).message}`);
  }
}

/**
 * A positive integer id from a path parameter.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(idParam("12"), 12);
 * ```
 */
export function idParam(value: string | undefined): number {
  if (!value || !/^[1-9][0-9]{0,15}$/.test(value)) {
    throw new AdminError(400, `Invalid id "${value ?? ""}": must be a positive integer`);
  }
  return Number(value);
}

/**
 * The error response for anything a handler threw.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.get("/:id", (c) => c.text(String(idParam(c.req.param("id")))));
 * app.onError((err, c) => errorResponse(err, c));
 * const res = await app.request("/x");
 * assert.equal(res.status, 400);
 * assert.deepEqual(await res.json(), { error: 'Invalid id "x": must be a positive integer' });
 * ```
 */
export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof AdminError) return json(c, { error: err.message }, err.status);
  if (err instanceof ValidationError) return json(c, { error: err.message }, 400);
  const reason = err instanceof StoreError ? err.message : `Internal error: ${err.message}`;
  return json(c, { error: reason }, 500);
}
