import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { thinkLeak, thinkOpenAfter } from "../../src/detect/think_leak.ts";
import { detectContext } from "../../src/detect/context.ts";
import { runWhole } from "../../scripts/eval/chain.ts";
import { assertSplitInvariant } from "./split_helper.ts";
import { defaultDetectors } from "../../src/detect/mod.ts";

const only = [thinkLeak];

Deno.test("think_leak: a leading think block moves to thinking, whitespace after it goes too", () => {
  const text = "<think>\nThe user wants a sum.\nUse sum().\n</think>\n\nUse `sum(xs)`.";
  assertSplitInvariant(text, only, "Use `sum(xs)`.", 200);
  assertEquals(runWhole(text, only, {}).thinking, "The user wants a sum.\nUse sum().");
});

Deno.test("think_leak: the reason names the reasoning channel, not one protocol's field", () => {
  const [d] = thinkLeak.detect("<think>plan</think>Done.", detectContext({}));
  assertEquals(
    d?.reason,
    "reasoning block leaked into the content channel: moved to the reasoning channel",
  );
});

Deno.test("think_leak: an empty think block is removed", () => {
  assertSplitInvariant("<think>\n\n</think>\n\nAnswer.", only, "Answer.", 100);
});

Deno.test("think_leak: an unclosed block at the end of the stream is closed", () => {
  const text = "<think>\nStill planning the answer";
  assertSplitInvariant(text, only, "", 100);
  assertEquals(runWhole(text, only, {}).thinking, "Still planning the answer");
});

Deno.test("think_leak: an open block streams out as thinking with open: true", () => {
  const found = thinkLeak.detect("<think>\nplan so far", detectContext({ final: false }));
  assertEquals(found.map((d) => [d.start, d.end, d.moved, d.open]), [[0, 19, "plan so far", true]]);
});

Deno.test("think_leak: with state.inThink, text up to </think> is thinking", () => {
  const ctx = detectContext({ final: false, state: { fence: null, inThink: true } });
  const found = thinkLeak.detect("more plan</think>\nAnswer", ctx);
  assertEquals(found.map((d) => [d.start, d.end, d.moved, d.effect]), [[
    0,
    18,
    "more plan",
    "to_thinking",
  ]]);
});

Deno.test("think_leak: tags in code or mid-sentence are left alone", async (t) => {
  const cases = [
    "Models emit `<think>` tags.\n",
    "```\n<think>\nplan\n</think>\nanswer\n```\n",
    "Strip the <think> block before parsing.",
  ];
  for (const text of cases) {
    await t.step(text.slice(0, 20), () => assertSplitInvariant(text, only, text, 50));
  }
});

Deno.test("think_leak: holdFrom holds a partial tag, and a closed block until text follows it", () => {
  const ctx = detectContext({ final: false });
  assertEquals(thinkLeak.holdFrom("Hello\n<thi", ctx), 6);
  assertEquals(thinkLeak.holdFrom("<think>x</think>\n", ctx), 0);
  assertEquals(thinkLeak.holdFrom("plain", ctx), 5);
});

Deno.test("think_leak: only the content channel is scanned", () => {
  const ctx = detectContext({ channel: "thinking" });
  assertEquals(thinkLeak.detect("<think>x</think>", ctx), []);
});

Deno.test("thinkOpenAfter: follows the detector's rules for opening and closing", () => {
  const none = { fence: null, inThink: false };
  assertEquals(thinkOpenAfter(none, "<think>\nplan\n"), true);
  assertEquals(thinkOpenAfter(none, "<think>\nplan\n</think>\nanswer\n"), false);
  assertEquals(thinkOpenAfter(none, "Use `<think>` tags.\n"), false);
  assertEquals(thinkOpenAfter(none, "```\n<think>\n```\n"), false);
  assertEquals(thinkOpenAfter({ fence: "```", inThink: false }, "<think>\n```\n"), false);
  assertEquals(thinkOpenAfter({ fence: null, inThink: true }, "more plan\n"), true);
  assertEquals(thinkOpenAfter({ fence: null, inThink: true }, "done</think>\n"), false);
});

Deno.test("think_leak: prose starting a line with <think> and never closed is left alone", () => {
  const text = "<think> tags wrap the reasoning of R1-style models.\nStrip them before parsing.";
  assertSplitInvariant(text, only, text, 100);
  assertEquals(thinkOpenAfter({ fence: null, inThink: false }, text + "\n"), false);
});

Deno.test("think_leak: a block opened on the tag's own line without a newline after it closes later", () => {
  assertSplitInvariant("<think>Okay, plan it.</think>\nAnswer.", only, "Answer.", 100);
});

Deno.test("think_leak: a Harmony analysis message moves to thinking, the final message stays", () => {
  const text = "<|channel|>analysis<|message|>Need the sum.<|end|>" +
    "<|start|>assistant<|channel|>final<|message|>Use `sum(xs)`.<|return|>";
  const all = defaultDetectors();
  assertSplitInvariant(text, all, "Use `sum(xs)`.", 200);
  assertEquals(runWhole(text, all, {}).thinking, "Need the sum.");
});
