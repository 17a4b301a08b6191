/**
 * The text detectors in the order they run, and the pipeline entry points.
 * @module
 */
import type { Detector } from "../detection.ts";
import { thinkLeak } from "./think_leak.ts";
import { templateLeak } from "./template_leak.ts";
import { repetitionLoop } from "./repetition.ts";
import { patternMatch } from "./pattern_match.ts";
import { pathDetector } from "./invalid_path.ts";
import { textToolCallDetector } from "./text_tool_call.ts";

export { applyDetections, holdOffset, resolveOverlaps, runDetectors } from "./run_detectors.ts";
export { detectContext } from "./context.ts";
export { actionFor, defaultSettings, resolveSettings } from "../rules/detector_settings.ts";

/**
 * The default text detectors: think blocks and tool calls written as text first (they move whole
 * spans out of the content), then template tokens, paths, repetition loops and user patterns.
 * Order only breaks ties; overlaps are resolved by position (see `runDetectors`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(defaultDetectors().map((d) => d.type), [
 *   "think_leak",
 *   "text_tool_call",
 *   "template_leak",
 *   "invalid_path",
 *   "repetition_loop",
 *   "pattern_match",
 * ]);
 * ```
 */
export function defaultDetectors(): Detector[] {
  return [
    thinkLeak,
    textToolCallDetector,
    templateLeak,
    pathDetector,
    repetitionLoop,
    patternMatch,
  ];
}
