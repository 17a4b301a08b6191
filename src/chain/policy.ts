/**
 * The policy: what happens to every detection (apply, annotate, only record, end the answer), in
 * text, tool calls and JSON answers alike, and how the applied ones change the released text.
 * Detect mode is the same policy with `rewrite` false: it never changes anything.
 * @module
 */
import { codeRanges, inRanges } from "../text/markdown.ts";
import { applyDetections } from "../detect/run_detectors.ts";
import { actionFor } from "../rules/detector_settings.ts";
import type { DetectContext, Detection, DetectorSetting } from "../detection.ts";
import type { Action } from "../types.ts";
import type { Channel } from "../types.ts";
import type { Release } from "./window.ts";

/** A detection with its recorded action and the detection to apply to the text, if any. */
export interface Applied {
  detection: Detection;
  action: Action;
  effective: Detection | null;
}

/**
 * The recorded action of a detection in a whole object (tool call, JSON answer): what the
 * settings say, or `detected` in detect mode.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultSettings } from "../rules/detector_settings.ts";
 * const d = { type: "malformed_arguments", confidence: 0.9 };
 * assert.equal(actionOf(d, defaultSettings, true), "corrected");
 * assert.equal(actionOf(d, defaultSettings, false), "detected"); // detect mode
 * ```
 */
export function actionOf(
  d: Pick<Detection, "type" | "confidence">,
  settings: Readonly<Record<string, DetectorSetting>>,
  rewrite: boolean,
): Action {
  if (!rewrite) return "detected";
  const action = actionFor(d, settings);
  return action === "correct" ? "corrected" : action === "annotate" ? "annotated" : "detected";
}

/**
 * The note an annotation appends after the found text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(
 *   annotation({ type: "fabricated_path", replacement: null }),
 *   " [hotpatch: fabricated path]",
 * );
 * ```
 */
export function annotation(d: Pick<Detection, "type" | "replacement">): string {
  const what = d.type.replaceAll("_", " ");
  return d.replacement === null || d.replacement === ""
    ? ` [hotpatch: ${what}]`
    : ` [hotpatch: ${what}, did you mean ${d.replacement}?]`;
}

/**
 * Decide one detection under the context's settings. In detect mode (`rewrite` false), below
 * the threshold, or with nothing to apply it is only logged; annotations are not written inside
 * code.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectContext } from "../detect/context.ts";
 * const d = { type: "template_leak", start: 2, end: 12, found: "<|im_end|>", replacement: "",
 *   confidence: 0.97, reason: "end-of-turn token", effect: "end" as const };
 * assert.equal(decide(d, "hi<|im_end|>", detectContext(), true).action, "ended");
 * assert.equal(decide(d, "hi<|im_end|>", detectContext(), false).action, "detected");
 * ```
 */
export function decide(
  d: Detection,
  window: string,
  ctx: DetectContext,
  rewrite: boolean,
): Applied {
  const logged: Applied = { detection: d, action: "detected", effective: null };
  if (!rewrite) return logged;
  const action = actionFor(d, ctx.settings);
  if (action === "correct") {
    if (d.effect === "end") return { detection: d, action: "ended", effective: d };
    if (d.effect === "tool_call" && d.toolCall === undefined) return logged;
    if (d.effect === undefined && d.replacement === null) return logged;
    return { detection: d, action: "corrected", effective: d };
  }
  if (action === "annotate" && d.effect === undefined) {
    if (inRanges(codeRanges(window, ctx.state.fence), d.start)) return logged;
    const { effect: _, ...plain } = d;
    return {
      detection: d,
      action: "annotated",
      effective: { ...plain, replacement: d.found + annotation(d) },
    };
  }
  return logged;
}

/**
 * The release for `text[emitted..]` with the decided detections applied.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(render("ab<s>c", 2, [], "content"), {
 *   text: "<s>c",
 *   moved: "",
 *   calls: [],
 *   end: false,
 * });
 * ```
 */
export function render(
  text: string,
  emitted: number,
  applied: readonly Applied[],
  channel: Channel,
): Release {
  const effective: Detection[] = [];
  const release: Release = { text: "", moved: "", calls: [], end: false };
  for (const { effective: d } of applied) {
    if (d === null) continue;
    if (d.effect === "to_thinking" && channel === "thinking") continue;
    effective.push(d);
    if (d.effect === "to_thinking") release.moved += d.moved ?? d.found;
    if (d.effect === "tool_call" && d.toolCall) release.calls.push(d.toolCall);
    if (d.effect === "end") {
      release.end = true;
      break;
    }
  }
  release.text = applyDetections(text, effective).slice(emitted);
  return release;
}
