/**
 * The adapter for each generation route.
 * @module
 */
import type { RouteKind } from "./routes.ts";
import type { Adapter } from "./adapter.ts";
import { llamacppCompletion } from "./llamacpp/mod.ts";
import { ollamaChat, ollamaGenerate } from "./ollama/mod.ts";
import { openaiChat, openaiCompletions } from "./openai/mod.ts";

const adapters: Record<RouteKind, Adapter> = {
  ollama_chat: ollamaChat,
  ollama_generate: ollamaGenerate,
  openai_chat: openaiChat,
  openai_completions: openaiCompletions,
  llamacpp_completion: llamacppCompletion,
};

/**
 * The wire-shape adapter of a route.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(adapterFor("ollama_chat").framing, "ndjson");
 * ```
 */
export function adapterFor(kind: RouteKind): Adapter {
  return adapters[kind];
}
