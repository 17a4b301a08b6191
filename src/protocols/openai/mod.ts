/**
 * The OpenAI-compatible API (`/v1/*`): the generation routes hotpatch corrects, their wire
 * adapters and the error body OpenAI clients expect.
 * @module
 */
import type { RouteKind } from "../routes.ts";

export { openaiChat, openaiCompletions } from "./adapter.ts";

/** Generation routes of this protocol (with and without the `/v1` prefix). */
export const openaiRoutes: Readonly<Record<string, RouteKind>> = {
  "/v1/chat/completions": "openai_chat",
  "/chat/completions": "openai_chat",
  "/v1/completions": "openai_completions",
  "/completions": "openai_completions",
};

/**
 * True for paths of this protocol.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isOpenaiPath("/v1/models"), true);
 * ```
 */
export function isOpenaiPath(path: string): boolean {
  return path.startsWith("/v1/") || path === "/chat/completions" || path === "/completions";
}

/**
 * OpenAI's error body.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(openaiError(502, "upstream_unreachable", "down").error, {
 *   message: "down",
 *   type: "server_error",
 *   param: null,
 *   code: "upstream_unreachable",
 * });
 * ```
 */
export function openaiError(
  status: number,
  code: string,
  message: string,
): Record<string, unknown> {
  const type = status >= 500 ? "server_error" : "invalid_request_error";
  return { error: { message, type, param: null, code } };
}
