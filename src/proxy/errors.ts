/**
 * Typed proxy errors and their protocol-shaped bodies (Ollama, OpenAI, llama.cpp).
 * @module
 */
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
   * new ProxyError(504, "upstream_timeout", "Upstream sent nothing").toResponse("ollama").status; // 504
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
 * The error object each protocol uses.
 * @example
 * errorBody("ollama", 502, "upstream_unreachable", "down"); // { error: "down" }
 */
export function errorBody(
  protocol: Protocol,
  status: number,
  code: string,
  message: string,
): Record<string, unknown> {
  const type = status >= 500 ? "server_error" : "invalid_request_error";
  switch (protocol) {
    case "ollama":
      return { error: message };
    case "openai":
      return { error: { message, type, param: null, code } };
    case "llamacpp":
      return { error: { code: status, message, type } };
  }
}

/**
 * The last frame of a stream that broke: an NDJSON line or an SSE `data:` event.
 * @example
 * streamErrorFrame("ollama", "application/x-ndjson", "boom"); // '{"error":"boom"}\n'
 */
export function streamErrorFrame(protocol: Protocol, contentType: string, message: string): string {
  const json = JSON.stringify(errorBody(protocol, 502, "upstream_stream_error", message));
  return contentType.includes("text/event-stream") ? `data: ${json}\n\n` : `${json}\n`;
}

/** True for content types whose bodies are streams of frames. */
export function isStreamType(contentType: string): boolean {
  return contentType.includes("text/event-stream") || contentType.includes("ndjson");
}

/**
 * An error's message with its cause.
 * @example
 * errorText(new Error("a", { cause: new Error("b") })); // "a: b"
 */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : "";
    return e.message + cause;
  }
  return String(e);
}
