/**
 * The text detectors in the order they run, and the pipeline entry points.
 * @module
 */
import type { Detector } from "./types.ts";
import { thinkLeak } from "./think_leak.ts";
import { templateLeak } from "./template_leak.ts";
import { repetitionLoop } from "./repetition.ts";
import { patternMatch } from "./pattern_match.ts";

export { applyDetections, holdOffset, resolveOverlaps, runDetectors } from "./run.ts";
export { detectContext } from "./context.ts";
export { actionFor, defaultSettings, resolveSettings } from "./settings.ts";

/**
 * The default text detectors: think blocks first (they move whole spans), then template tokens,
 * repetition loops and user patterns.
 * @example
 * defaultDetectors().map((d) => d.type);
 * // ["think_leak", "template_leak", "repetition_loop", "pattern_match"]
 */
export function defaultDetectors(): Detector[] {
  return [thinkLeak, templateLeak, repetitionLoop, patternMatch];
}
