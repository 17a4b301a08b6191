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
 * `accept-encoding` is always `identity`. Without it Deno's fetch offers `gzip,br` itself and
 * decodes those two while keeping the upstream's `content-encoding` (so nobody can tell a decoded
 * body from an encoded one), never decodes `deflate`, and a compressing upstream may hold a
 * streamed answer in its encoder.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const sent = requestHeaders(new Headers({ connection: "close", "accept-encoding": "gzip" }));
 * assert.equal(sent.has("connection"), false);
 * assert.equal(sent.get("accept-encoding"), "identity");
 * ```
 */
export function requestHeaders(from: Headers): Headers {
  const drop = new Set([...hopByHop, ...connectionNames(from), "host", "content-length"]);
  drop.add("x-hotpatch-mode");
  drop.add("accept-encoding");
  const out = copyWithout(from, drop);
  out.set("accept-encoding", "identity");
  return out;
}

/**
 * Headers to send to the client: `content-length` goes when the body is rewritten or decoded,
 * `content-encoding` when it is decoded; otherwise both describe the bytes sent and stay.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const upstream = new Headers({ "content-length": "5", "content-encoding": "gzip" });
 * assert.equal(responseHeaders(upstream, true, false).has("content-length"), false);
 * assert.equal(responseHeaders(upstream, false, false).get("content-encoding"), "gzip");
 * assert.equal(responseHeaders(upstream, false, true).has("content-encoding"), false);
 * ```
 */
export function responseHeaders(from: Headers, rewritten: boolean, decoded: boolean): Headers {
  const drop = new Set([...hopByHop, ...connectionNames(from)]);
  if (decoded) drop.add("content-encoding");
  if (rewritten || decoded) drop.add("content-length");
  return copyWithout(from, drop);
}
