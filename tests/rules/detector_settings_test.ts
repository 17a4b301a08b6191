import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { actionFor, defaultSettings, resolveSettings } from "../../src/rules/detector_settings.ts";

Deno.test("defaultSettings: every detection type of the project has a setting", () => {
  const types = [
    "invalid_path",
    "fabricated_path",
    "template_leak",
    "think_leak",
    "repetition_loop",
    "pattern_match",
    "unknown_tool",
    "misspelled_tool",
    "malformed_arguments",
    "schema_mismatch",
    "missing_required",
    "text_tool_call",
    "invalid_json_output",
  ];
  for (const t of types) assertEquals(defaultSettings[t]?.enabled, true, t);
});

Deno.test("resolveSettings: overrides merge field by field and thresholds are clamped", () => {
  const s = resolveSettings({
    repetition_loop: { enabled: false },
    template_leak: { threshold: 7 },
  });
  assertEquals(s.repetition_loop, { ...defaultSettings.repetition_loop, enabled: false });
  assertEquals(s.template_leak?.threshold, 1);
  assertEquals(s.custom, undefined);
  assertEquals(resolveSettings({ custom: { action: "detect" } }).custom?.action, "detect");
});

Deno.test("actionFor: below the threshold or when disabled a detection is only logged", () => {
  assertEquals(actionFor({ type: "template_leak", confidence: 0.9 }, defaultSettings), "correct");
  assertEquals(actionFor({ type: "template_leak", confidence: 0.1 }, defaultSettings), "detect");
  const off = resolveSettings({ template_leak: { enabled: false } });
  assertEquals(actionFor({ type: "template_leak", confidence: 0.9 }, off), "detect");
  assertEquals(
    actionFor({ type: "fabricated_path", confidence: 0.9 }, defaultSettings),
    "annotate",
  );
  assertEquals(actionFor({ type: "nope", confidence: 1 }, defaultSettings), "detect");
});
