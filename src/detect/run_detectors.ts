/**
 * The pure detection pipeline: run the enabled detectors over a text, resolve overlaps, apply the
 * result. The corrector and `hotpatch check` both go through here.
 * @module
 */
import type { DetectContext, Detection, Detector } from "../detection.ts";

/** True unless the settings switch this detector type off. */
function enabled(type: string, ctx: DetectContext): boolean {
  return ctx.settings[type]?.enabled !== false;
}

/** Earlier start first; on a tie an `end` effect first, then the longer detection. */
function order(a: Detection, b: Detection): number {
  if (a.start !== b.start) return a.start - b.start;
  const ae = a.effect === "end" ? 0 : 1;
  const be = b.effect === "end" ? 0 : 1;
  if (ae !== be) return ae - be;
  return (b.end - b.start) - (a.end - a.start);
}

/**
 * Run each enabled detector, drop detections that start before `ctx.emitted`, resolve overlaps
 * (earliest start wins; on a tie an `end` effect, then the longer one) and return them in order.
 * Nothing after an `end` detection is kept.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectContext } from "./context.ts";
 * import { defaultDetectors } from "./mod.ts";
 * const found = runDetectors("hi<|im_end|>", defaultDetectors(), detectContext());
 * assert.deepEqual(found.map((d) => [d.type, d.effect]), [["template_leak", "end"]]);
 * ```
 */
export function runDetectors(
  text: string,
  detectors: readonly Detector[],
  ctx: DetectContext,
): Detection[] {
  const all: Detection[] = [];
  for (const d of detectors) {
    if (!enabled(d.type, ctx)) continue;
    for (const found of d.detect(text, ctx)) {
      if (found.start >= ctx.emitted && found.end <= text.length && found.start <= found.end) {
        all.push(found);
      }
    }
  }
  return resolveOverlaps(all);
}

/**
 * Sort detections and keep a non-overlapping subset (see {@link runDetectors} for the rules).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const base = { type: "pattern_match", replacement: "", confidence: 0.9, reason: "" };
 * const a = { ...base, start: 0, end: 4, found: "abcd" };
 * const b = { ...base, start: 2, end: 6, found: "cdef" };
 * assert.deepEqual(resolveOverlaps([b, a]), [a]); // a starts first and overlaps b
 * ```
 */
export function resolveOverlaps(detections: readonly Detection[]): Detection[] {
  const sorted = [...detections].sort(order);
  const kept: Detection[] = [];
  let end = -1;
  for (const d of sorted) {
    if (d.start < end) continue;
    kept.push(d);
    if (d.effect === "end") break;
    end = d.end;
  }
  return kept;
}

/**
 * Apply detections to `text`: replacements go in (a null replacement keeps the found text),
 * `to_thinking` and `tool_call` ranges are removed, and nothing after an `end` detection stays.
 * Expects the ordered, non-overlapping output of {@link runDetectors}.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d = { type: "template_leak", start: 1, end: 4, found: "<s>", replacement: "",
 *   confidence: 0.9, reason: "stray token" };
 * assert.equal(applyDetections("a<s>b", [d]), "ab");
 * ```
 */
export function applyDetections(text: string, detections: readonly Detection[]): string {
  let out = "";
  let pos = 0;
  for (const d of detections) {
    if (d.start < pos) continue;
    out += text.slice(pos, d.start);
    if (d.effect !== "to_thinking" && d.effect !== "tool_call") {
      out += d.replacement ?? text.slice(d.start, d.end);
    }
    pos = d.end;
    if (d.effect === "end") return out;
  }
  return out + text.slice(pos);
}

/**
 * Earliest offset where any enabled detector could still start a detection if more text came
 * (`text.length` when none): the corrector may send everything before it.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectContext } from "./context.ts";
 * import { defaultDetectors } from "./mod.ts";
 * assert.equal(holdOffset("answer<|im_", defaultDetectors(), detectContext({ final: false })), 6);
 * ```
 */
export function holdOffset(
  text: string,
  detectors: readonly Detector[],
  ctx: DetectContext,
): number {
  let hold = text.length;
  for (const d of detectors) {
    if (!enabled(d.type, ctx)) continue;
    const h = d.holdFrom(text, ctx);
    if (h < hold) hold = Math.max(0, h);
  }
  return hold;
}
