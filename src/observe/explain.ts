/**
 * What a correction record says about itself: the action that really happened (`moved`,
 * `converted` instead of a bare `corrected`), the rule that fired, the detector's reason and the
 * text around the finding, so a record shows a before/after on its own.
 * @module
 */
import type { Detection } from "../detection.ts";
import type { Action, CorrectionRecord } from "../types.ts";

/** The text around a detection in the window it was found in. */
export interface TextContext {
  before: string;
  after: string;
}

/** Characters of context kept on each side of a finding. */
export const CONTEXT_CHARS = 80;
/** Characters kept of what an `ended` answer lost after the finding. */
export const CUT_CHARS = 400;

/** Every action a record can carry. */
export type RecordAction =
  | Action
  | "moved"
  | "converted";

/**
 * The action as recorded: a corrected `<think>` block was `moved` to the reasoning channel, a
 * corrected tool call written as text was `converted` into a real call.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(recordedAction({ effect: "to_thinking" }, "corrected"), "moved");
 * assert.equal(recordedAction({}, "annotated"), "annotated");
 * ```
 */
export function recordedAction(
  d: Pick<Detection, "effect">,
  action: Action,
): RecordAction {
  if (action !== "corrected") return action;
  if (d.effect === "to_thinking") return "moved";
  if (d.effect === "tool_call") return "converted";
  return action;
}

/**
 * The text around `d` in `window`: up to {@link CONTEXT_CHARS} before it (from the line start
 * when that is nearer) and after it; when the answer `ended` there, what was cut (up to
 * {@link CUT_CHARS}).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(around("see src/App.TS now", { start: 4, end: 14 }, "corrected"), {
 *   before: "see ",
 *   after: " now",
 * });
 * ```
 */
export function around(
  window: string,
  d: Pick<Detection, "start" | "end">,
  action: RecordAction,
): TextContext {
  let from = Math.max(0, d.start - CONTEXT_CHARS, window.lastIndexOf("\n", d.start - 1) + 1);
  if (isLowSurrogate(window.charCodeAt(from)) && from < d.start) from++;
  const before = window.slice(from, d.start);
  let to = Math.min(window.length, d.end + (action === "ended" ? CUT_CHARS : CONTEXT_CHARS));
  if (action !== "ended") {
    const eol = window.indexOf("\n", d.end);
    if (eol !== -1 && eol < to) to = eol;
  }
  if (isLowSurrogate(window.charCodeAt(to)) && to > d.end) to--;
  return { before, after: window.slice(d.end, to) };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The self-explaining fields of a record: reason, rule and context.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   explain({ type: "pattern_match", reason: "matches user pattern #3", patternId: 3 }, null),
 *   { reason: "matches user pattern #3", rule: "pattern:3", contextBefore: "", contextAfter: "" },
 * );
 * ```
 */
export function explain(
  d: Pick<Detection, "type" | "reason" | "patternId">,
  context: TextContext | null,
): Required<Pick<CorrectionRecord, "reason" | "rule" | "contextBefore" | "contextAfter">> {
  return {
    reason: d.reason,
    rule: ruleOf(d),
    contextBefore: context?.before ?? "",
    contextAfter: context?.after ?? "",
  };
}

/**
 * The rule that fired: the detector's name, or the user pattern (`pattern:<id>`) or validator
 * behavior patch (`behavior:<id>`, stored as a negative pattern id).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(ruleOf({ type: "template_leak" }), "template_leak");
 * ```
 */
export function ruleOf(d: Pick<Detection, "type" | "patternId">): string {
  if (d.patternId === undefined) return d.type;
  return d.patternId < 0 ? `behavior:${-d.patternId}` : `pattern:${d.patternId}`;
}
