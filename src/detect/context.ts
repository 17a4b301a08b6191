/**
 * A complete {@link DetectContext} from a few fields: for `hotpatch check`, the eval, tests and
 * non-streaming bodies.
 * @module
 */
import type { DetectContext } from "../detection.ts";
import { defaultSettings } from "../rules/detector_settings.ts";

/**
 * Fill in the context fields not given: content channel, final text, nothing emitted, no
 * workspace, no tools or patterns, default settings.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const ctx = detectContext({ model: "qwen3" });
 * assert.equal(ctx.final, true);
 * ```
 */
export function detectContext(fields: Partial<DetectContext> = {}): DetectContext {
  return {
    channel: "content",
    final: true,
    state: { fence: null, inThink: false },
    emitted: 0,
    model: "",
    workspace: null,
    grounded: new Set(),
    tools: [],
    patterns: [],
    navigationFixes: new Map(),
    settings: defaultSettings,
    ...fields,
  };
}
