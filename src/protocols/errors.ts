/**
 * Errors in each protocol's own shape: the JSON error body, and the last frame of a broken stream.
 * @module
 */
import type { Protocol } from "../types.ts";
import { llamacppError } from "./llamacpp/mod.ts";
import { ollamaError } from "./ollama/mod.ts";
import { openaiError } from "./openai/mod.ts";

const bodies = { ollama: ollamaError, openai: openaiError, llamacpp: llamacppError };

/**
 * The error object each protocol uses.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(errorBody("ollama", 502, "upstream_unreachable", "down"), { error: "down" });
 * ```
 */
export function errorBody(
  protocol: Protocol,
  status: number,
  code: string,
  message: string,
): Record<string, unknown> {
  return bodies[protocol](status, code, message);
}

/**
 * The last frame of a stream that broke: an NDJSON line or an SSE `data:` event.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   streamErrorFrame("ollama", "application/x-ndjson", "boom"),
 *   '{"error":"boom"}\n',
 * );
 * ```
 */
export function streamErrorFrame(protocol: Protocol, contentType: string, message: string): string {
  const json = JSON.stringify(errorBody(protocol, 502, "upstream_stream_error", message));
  return contentType.includes("text/event-stream") ? `data: ${json}\n\n` : `${json}\n`;
}

/** True for content types whose bodies are streams of frames. */
export function isStreamType(contentType: string): boolean {
  return contentType.includes("text/event-stream") || contentType.includes("ndjson");
}
