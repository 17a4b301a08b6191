import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { Detection, Detector } from "../../src/detection.ts";
import {
  applyDetections,
  holdOffset,
  resolveOverlaps,
  runDetectors,
} from "../../src/detect/run_detectors.ts";
import { detectContext } from "../../src/detect/context.ts";
import { resolveSettings } from "../../src/rules/detector_settings.ts";

const det = (start: number, end: number, extra: Partial<Detection> = {}): Detection => ({
  type: "t",
  start,
  end,
  found: "",
  replacement: "",
  confidence: 1,
  reason: "test",
  ...extra,
});

const fixed = (type: string, found: Detection[], hold = Infinity): Detector => ({
  type,
  detect: () => found,
  holdFrom: (text) => Math.min(hold, text.length),
});

Deno.test("runDetectors: drops detections that start before emitted", () => {
  const d = fixed("a", [det(0, 2), det(5, 6)]);
  const out = runDetectors("0123456789", [d], detectContext({ emitted: 3 }));
  assertEquals(out.map((x) => x.start), [5]);
});

Deno.test("runDetectors: skips detectors switched off in the settings", () => {
  const d = fixed("template_leak", [det(0, 2, { type: "template_leak" })]);
  const settings = resolveSettings({ template_leak: { enabled: false } });
  assertEquals(runDetectors("abc", [d], detectContext({ settings })), []);
});

Deno.test("resolveOverlaps: earliest start wins, then an end effect, then the longer one", () => {
  assertEquals(resolveOverlaps([det(2, 4), det(0, 3)]).map((d) => d.start), [0]);
  const end = det(1, 2, { effect: "end" });
  assertEquals(resolveOverlaps([det(1, 5), end]), [end]);
  assertEquals(resolveOverlaps([det(1, 2), det(1, 5)]).map((d) => d.end), [5]);
});

Deno.test("resolveOverlaps: nothing after an end detection is kept", () => {
  const out = resolveOverlaps([det(8, 9), det(2, 3, { effect: "end" }), det(0, 1)]);
  assertEquals(out.map((d) => d.start), [0, 2]);
});

Deno.test("applyDetections: replacements, flag-only detections, end, moved and tool-call spans", () => {
  assertEquals(applyDetections("a<s>b", [det(1, 4)]), "ab");
  assertEquals(applyDetections("a<s>b", [det(1, 4, { replacement: null })]), "a<s>b");
  assertEquals(applyDetections("keep<|im_end|>junk", [det(4, 14, { effect: "end" })]), "keep");
  assertEquals(
    applyDetections("<think>x</think>y", [det(0, 16, { effect: "to_thinking", moved: "x" })]),
    "y",
  );
  assertEquals(
    applyDetections("a{call}b", [det(1, 7, { effect: "tool_call", replacement: "z" })]),
    "ab",
  );
  assertEquals(applyDetections("colour", [det(0, 6, { replacement: "color" })]), "color");
});

Deno.test("holdOffset: the minimum over enabled detectors", () => {
  const ctx = detectContext({ final: false, settings: resolveSettings({ b: { enabled: false } }) });
  const text = "0123456789";
  assertEquals(holdOffset(text, [fixed("a", [], 7), fixed("b", [], 2)], ctx), 7);
  assertEquals(holdOffset(text, [fixed("a", [], 7), fixed("c", [], 4)], ctx), 4);
  assertEquals(holdOffset(text, [], ctx), 10);
});
