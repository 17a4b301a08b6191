/**
 * Header hygiene for a reverse proxy: hop-by-hop headers never cross hotpatch.
 * Deno's `Headers` are costly to copy and edit (~10 µs for a handful), so each side copies once,
 * skipping what must not cross, instead of copying and deleting name by name.
 * @module
 */

const hopByHop = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

/** Names listed in a `Connection` header (they are hop-by-hop too). */
function connectionNames(headers: Headers): string[] {
  const connection = headers.get("connection");
  return connection ? connection.split(",").map((s) => s.trim().toLowerCase()) : [];
}

/** A copy of `from` without the names in `drop`, in one pass. */
function copyWithout(from: Headers, drop: ReadonlySet<string>): Headers {
  const kept: [string, string][] = [];
  for (const [name, value] of from) if (!drop.has(name)) kept.push([name, value]);
  return new Headers(kept);
}

/**
 * Headers to send upstream: hop-by-hop, `host`, `content-length` and hotpatch's own removed;
 * `accept-encoding` removed too when the response will be rewritten.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(
 *   requestHeaders(new Headers({ connection: "close", "x-a": "1" }), false).has("connection"),
 *   false,
 * );
 * ```
 */
export function requestHeaders(from: Headers, rewritten: boolean): Headers {
  const drop = new Set([...hopByHop, ...connectionNames(from), "host", "content-length"]);
  drop.add("x-hotpatch-mode");
  if (rewritten) drop.add("accept-encoding");
  return copyWithout(from, drop);
}

/**
 * Headers to send to the client. `content-encoding` and `content-length` always go:
 * fetch hands hotpatch a decoded body, and a rewritten body has another length.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(
 *   responseHeaders(new Headers({ "content-length": "5", "x-b": "2" }), true).has(
 *     "content-length",
 *   ),
 *   false,
 * );
 * ```
 */
export function responseHeaders(from: Headers, rewritten: boolean): Headers {
  const drop = new Set([...hopByHop, ...connectionNames(from), "content-encoding"]);
  if (rewritten || from.has("content-encoding")) drop.add("content-length");
  return copyWithout(from, drop);
}
