import assert from "node:assert/strict";
import { around, CUT_CHARS, explain, recordedAction, ruleOf } from "../../src/observe/explain.ts";
import { run } from "../intercept/harness.ts";

const enc = new TextEncoder();

Deno.test("explain: the recorded action says what really happened to the text", () => {
  assert.equal(recordedAction({ effect: "to_thinking" }, "corrected"), "moved");
  assert.equal(recordedAction({ effect: "tool_call" }, "corrected"), "converted");
  assert.equal(recordedAction({ effect: "end" }, "ended"), "ended");
  assert.equal(recordedAction({}, "corrected"), "corrected");
  assert.equal(recordedAction({ effect: "to_thinking" }, "detected"), "detected");
});

Deno.test("explain: the context is the rest of the line on each side, at most 80 characters", () => {
  const text = "first line\nsee src/App.TS for it\nnext";
  const start = text.indexOf("src/");
  assert.deepEqual(around(text, { start, end: start + 10 }, "corrected"), {
    before: "see ",
    after: " for it",
  });
  const long = "x".repeat(200) + "FOUND" + "y".repeat(200);
  const c = around(long, { start: 200, end: 205 }, "corrected");
  assert.equal(c.before.length, 80);
  assert.equal(c.after.length, 80);
});

Deno.test("explain: the context never splits a character made of two UTF-16 units", () => {
  const emoji = "🎉".repeat(60); // 120 code units
  const text = emoji + "x" + "FOUND" + "y" + emoji; // 80 units back and on both land mid-emoji
  const c = around(text, { start: 121, end: 126 }, "corrected");
  assert.equal(c.before, "🎉".repeat(39) + "x");
  assert.equal(c.after, "y" + "🎉".repeat(39));
  assert.ok(!/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(c.before + c.after));
});

Deno.test("explain: an ended answer keeps what was cut, across lines, bounded", () => {
  const text = "Done.<|im_end|>\n<|im_start|>user\nthanks" + "z".repeat(1000);
  const c = around(text, { start: 5, end: 15 }, "ended");
  assert.ok(c.after.startsWith("\n<|im_start|>user\nthanks"));
  assert.equal(c.after.length, CUT_CHARS);
});

Deno.test("explain: the rule names the detector, the user pattern or the validator patch", () => {
  assert.equal(ruleOf({ type: "template_leak" }), "template_leak");
  assert.equal(ruleOf({ type: "pattern_match", patternId: 4 }), "pattern:4");
  assert.equal(ruleOf({ type: "pattern_match", patternId: -2 }), "behavior:2");
  assert.deepEqual(explain({ type: "x", reason: "why" }, null), {
    reason: "why",
    rule: "x",
    contextBefore: "",
    contextAfter: "",
  });
});

Deno.test("records: a leaked think block is recorded as moved, with the detector's reason and its context", async () => {
  const line = (content: string, done = false) =>
    enc.encode(JSON.stringify({ message: { role: "assistant", content }, done }) + "\n");
  const got = await run("ollama_chat", [
    line("<think>check the"),
    line(" file</think>It is fine."),
    line("", true),
  ]);
  assert.equal(got.thinking, "check the file");
  const [record] = got.records;
  assert.equal(record?.type, "think_leak");
  assert.equal(record?.action, "moved");
  assert.equal(record?.rule, "think_leak");
  assert.match(record?.reason ?? "", /reasoning block/);
  assert.equal(record?.contextAfter, "It is fine.");
});
