/**
 * llama.cpp's native API (`/completion`, and every path no other protocol owns): the generation
 * route hotpatch corrects, its wire adapter and llama-server's error body.
 * @module
 */
import type { RouteKind } from "../routes.ts";

export { llamacppCompletion } from "./adapter.ts";

/** Generation routes of this protocol. */
export const llamacppRoutes: Readonly<Record<string, RouteKind>> = {
  "/completion": "llamacpp_completion",
};

/**
 * llama-server's error body.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(llamacppError(400, "bad", "no prompt"), {
 *   error: { code: 400, message: "no prompt", type: "invalid_request_error" },
 * });
 * ```
 */
export function llamacppError(
  status: number,
  _code: string,
  message: string,
): Record<string, unknown> {
  const type = status >= 500 ? "server_error" : "invalid_request_error";
  return { error: { code: status, message, type } };
}
