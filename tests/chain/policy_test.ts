import assert from "node:assert/strict";
import { actionOf, annotation, decide, render } from "../../src/chain/policy.ts";
import { detectContext } from "../../src/detect/context.ts";
import { resolveSettings } from "../../src/rules/detector_settings.ts";
import type { Detection } from "../../src/detection.ts";

const path: Detection = {
  type: "invalid_path",
  start: 4,
  end: 10,
  found: "src/x",
  replacement: "src/y",
  confidence: 0.9,
  reason: "test",
};
const ctx = detectContext();

Deno.test("policy: a confident fix is applied in correct mode and only recorded in detect mode", () => {
  assert.equal(decide(path, "see src/x", ctx, true).action, "corrected");
  assert.equal(decide(path, "see src/x", ctx, false).action, "detected");
  assert.equal(decide(path, "see src/x", ctx, false).effective, null);
});

Deno.test("policy: below the threshold, or without a replacement, a detection is only recorded", () => {
  assert.equal(decide({ ...path, confidence: 0.1 }, "see src/x", ctx, true).action, "detected");
  assert.equal(decide({ ...path, replacement: null }, "see src/x", ctx, true).action, "detected");
});

Deno.test("policy: annotate appends a note after the text, never inside code", () => {
  const d = { ...path, type: "fabricated_path", replacement: null };
  const prose = decide(d, "see src/x now", ctx, true);
  assert.equal(prose.action, "annotated");
  assert.equal(prose.effective?.replacement, "src/x" + annotation(d));
  assert.equal(decide({ ...d, start: 5 }, "see `src/x` now", ctx, true).action, "detected");
  const fenced = decide({ ...d, start: 8, end: 13 }, "```\nsee src/x\n```", ctx, true);
  assert.equal(fenced.action, "detected");
});

Deno.test("policy: an end effect ends the answer and nothing after it is released", () => {
  const end: Detection = {
    ...path,
    start: 2,
    end: 5,
    found: "<e>",
    replacement: "",
    effect: "end",
  };
  const applied = decide(end, "ab<e>cd", ctx, true);
  assert.equal(applied.action, "ended");
  assert.deepEqual(render("ab<e>cd", 0, [applied], "content"), {
    text: "ab",
    moved: "",
    calls: [],
    end: true,
  });
});

Deno.test("policy: whole objects (tool calls, JSON answers) follow the same settings", () => {
  const settings = resolveSettings({ malformed_arguments: { action: "detect" } });
  const d = { type: "malformed_arguments", confidence: 0.9 };
  assert.equal(actionOf(d, resolveSettings(), true), "corrected");
  assert.equal(actionOf(d, settings, true), "detected");
  assert.equal(actionOf(d, resolveSettings(), false), "detected");
});
