/**
 * Which protocol a request speaks, and whether hotpatch knows how to correct its response.
 * @module
 */
import type { Protocol } from "../types.ts";
import { llamacppRoutes } from "./llamacpp/mod.ts";
import { isOllamaPath, ollamaRoutes } from "./ollama/mod.ts";
import { isOpenaiPath, openaiRoutes } from "./openai/mod.ts";

/** Routes whose responses the corrector understands. */
export type RouteKind =
  | "ollama_chat"
  | "ollama_generate"
  | "openai_chat"
  | "openai_completions"
  | "llamacpp_completion";

/** The protocol of a route and, for generation routes, its kind. */
export interface RouteInfo {
  protocol: Protocol;
  kind: RouteKind | null;
}

const generation: Readonly<Record<string, RouteKind>> = {
  ...ollamaRoutes,
  ...openaiRoutes,
  ...llamacppRoutes,
};

/**
 * Classify a request by method and path.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(routeOf("POST", "/api/chat"), { protocol: "ollama", kind: "ollama_chat" });
 * assert.deepEqual(routeOf("GET", "/v1/models"), { protocol: "openai", kind: null });
 * ```
 */
export function routeOf(method: string, path: string): RouteInfo {
  const kind = method === "POST" ? generation[path] ?? null : null;
  return { protocol: protocolOf(path), kind };
}

/**
 * The error dialect for a path: Ollama for `/api/*`, OpenAI for `/v1/*`, llama.cpp otherwise.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(protocolOf("/api/tags"), "ollama");
 * ```
 */
export function protocolOf(path: string): Protocol {
  if (isOllamaPath(path)) return "ollama";
  if (isOpenaiPath(path)) return "openai";
  return "llamacpp";
}
