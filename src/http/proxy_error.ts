/**
 * The app's one error type, rendered in the client's protocol (bodies: src/protocols/errors.ts).
 * @module
 */
import { errorBody } from "../protocols/errors.ts";
import type { Protocol } from "../types.ts";

/**
 * The one error type of the app: every error hotpatch answers itself (proxy and middleware) has a
 * status and a code, and is rendered by the one `onError` in the dialect the client spoke.
 */
export class ProxyError extends Error {
  override name = "ProxyError";
  constructor(
    readonly status: number,
    /** Machine-readable code, e.g. `upstream_unreachable`. */
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. `retry-after` on a 503. */
    readonly headers?: HeadersInit,
  ) {
    super(message);
  }

  /**
   * The JSON response for `protocol`.
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * assert.equal(
   *   new ProxyError(504, "upstream_timeout", "Upstream sent nothing").toResponse("ollama").status,
   *   504,
   * );
   * ```
   */
  toResponse(protocol: Protocol, headers?: HeadersInit): Response {
    const out = new Headers(headers ?? this.headers);
    out.set("content-type", "application/json; charset=utf-8");
    return new Response(JSON.stringify(errorBody(protocol, this.status, this.code, this.message)), {
      status: this.status,
      headers: out,
    });
  }
}

/**
 * An error's message with its cause.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(errorText(new Error("a", { cause: new Error("b") })), "a: b");
 * ```
 */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : "";
    return e.message + cause;
  }
  return String(e);
}
