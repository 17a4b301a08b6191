/**
 * Header hygiene for a reverse proxy: hop-by-hop headers never cross hotpatch.
 * @module
 */

const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

function strip(from: Headers, extra: readonly string[]): Headers {
  const out = new Headers(from);
  const named = (from.get("connection") ?? "").split(",").map((s) => s.trim().toLowerCase());
  for (const name of [...hopByHop, ...named, ...extra]) if (name) out.delete(name);
  return out;
}

/**
 * Headers to send upstream: hop-by-hop, `host`, `content-length` and hotpatch's own removed;
 * `accept-encoding` removed too when the response will be rewritten.
 * @example
 * requestHeaders(new Headers({ connection: "close", "x-a": "1" }), false).has("connection"); // false
 */
export function requestHeaders(from: Headers, rewritten: boolean): Headers {
  const out = strip(from, ["host", "content-length", "x-hotpatch-mode"]);
  if (rewritten) out.delete("accept-encoding");
  return out;
}

/**
 * Headers to send to the client. `content-encoding` and `content-length` always go:
 * fetch hands hotpatch a decoded body, and a rewritten body has another length.
 * @example
 * responseHeaders(new Headers({ "content-length": "5", "x-b": "2" }), true).has("content-length"); // false
 */
export function responseHeaders(from: Headers, rewritten: boolean): Headers {
  const out = strip(from, ["content-encoding"]);
  if (rewritten || from.has("content-encoding")) out.delete("content-length");
  return out;
}
