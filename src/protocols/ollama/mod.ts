/**
 * Ollama's native API (`/api/*`): the generation routes hotpatch corrects, their wire adapters and
 * the error body Ollama answers with.
 * @module
 */
import type { RouteKind } from "../routes.ts";

export { ollamaChat, ollamaGenerate } from "./adapter.ts";

/** Generation routes of this protocol. */
export const ollamaRoutes: Readonly<Record<string, RouteKind>> = {
  "/api/chat": "ollama_chat",
  "/api/generate": "ollama_generate",
};

/**
 * True for paths of this protocol.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isOllamaPath("/api/tags"), true);
 * ```
 */
export function isOllamaPath(path: string): boolean {
  return path.startsWith("/api/");
}

/**
 * Ollama's error body.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(ollamaError(502, "upstream_unreachable", "down"), { error: "down" });
 * ```
 */
export function ollamaError(
  _status: number,
  _code: string,
  message: string,
): Record<string, unknown> {
  return { error: message };
}
