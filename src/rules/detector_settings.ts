/**
 * Per-detection-type settings: enabled, confidence threshold, action. Below the threshold, or
 * with action `detect`, a detection is only logged.
 * @module
 */
import type { Detection, DetectorSetting } from "../detection.ts";

const correct = (threshold: number): DetectorSetting => ({
  enabled: true,
  threshold,
  action: "correct",
});

/** Defaults for every detection type hotpatch knows. */
export const defaultSettings: Readonly<Record<string, DetectorSetting>> = Object.freeze({
  invalid_path: correct(0.6),
  fabricated_path: { enabled: true, threshold: 0.6, action: "annotate" },
  template_leak: correct(0.5),
  think_leak: correct(0.5),
  repetition_loop: correct(0.6),
  pattern_match: correct(0.5),
  unknown_tool: { enabled: true, threshold: 0.5, action: "annotate" },
  misspelled_tool: correct(0.6),
  malformed_arguments: correct(0.5),
  schema_mismatch: correct(0.6),
  missing_required: { enabled: true, threshold: 0.5, action: "annotate" },
  text_tool_call: correct(0.6),
  tool_call_loop: correct(0.6),
  invalid_json_output: correct(0.5),
});

/** A partial override of some detection types' settings. */
export type SettingOverrides = Readonly<Record<string, Partial<DetectorSetting>>>;

/**
 * Merge overrides over the defaults (unknown types are added with the remaining fields taken
 * from a `correct` / 0.5 setting). Thresholds are clamped to [0, 1].
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const settings = resolveSettings({ repetition_loop: { enabled: false } });
 * assert.equal(settings.repetition_loop?.enabled, false);
 * ```
 */
export function resolveSettings(overrides: SettingOverrides = {}): Record<string, DetectorSetting> {
  const out: Record<string, DetectorSetting> = {};
  for (const [type, s] of Object.entries(defaultSettings)) out[type] = { ...s };
  for (const [type, o] of Object.entries(overrides)) {
    const base = out[type] ?? correct(0.5);
    const threshold = Math.min(1, Math.max(0, o.threshold ?? base.threshold));
    out[type] = {
      enabled: o.enabled ?? base.enabled,
      threshold: Number.isFinite(threshold) ? threshold : base.threshold,
      action: o.action ?? base.action,
    };
  }
  return out;
}

/**
 * What to do with one detection under `settings`: `correct` (apply it), `annotate`, or `detect`
 * (log only; also when below the threshold or when there is nothing to apply).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(actionFor({ type: "template_leak", confidence: 0.9 }, defaultSettings), "correct");
 * ```
 */
export function actionFor(
  detection: Pick<Detection, "type" | "confidence">,
  settings: Readonly<Record<string, DetectorSetting>>,
): DetectorSetting["action"] {
  const s = settings[detection.type] ?? defaultSettings[detection.type];
  if (s === undefined) return "detect";
  if (!s.enabled || detection.confidence < s.threshold) return "detect";
  return s.action;
}
