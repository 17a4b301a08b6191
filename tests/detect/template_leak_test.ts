import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { templateLeak } from "../../src/detect/template_leak.ts";
import { detectContext } from "../../src/detect/context.ts";
import { assertSplitInvariant } from "./split_helper.ts";

const only = [templateLeak];
const answer =
  "Here is the function:\n\n```python\ndef f(x):\n    return x + 1\n```\n\nIt adds one.";

Deno.test("template_leak: an end token and a fake next turn end the answer, pending whitespace trimmed", async (t) => {
  const cases: [string, string][] = [
    ["chatml", "<|im_end|>\n<|im_start|>user\nThanks! Now add tests.<|im_end|>"],
    ["llama3", " <|eot_id|><|start_header_id|>user<|end_header_id|>\n\nMore?"],
    ["mistral", "\n</s><s>[INST] Why? [/INST] Because."],
    ["gemma", "\n\n<end_of_turn>\n<start_of_turn>user\nok"],
    ["phi3", "<|end|>\n<|user|>\nnext"],
    ["deepseek", "<｜end▁of▁sentence｜><｜User｜>again<｜Assistant｜>"],
    ["qwen document end", "\n<|endoftext|>    return result\n"],
  ];
  for (const [name, leak] of cases) {
    await t.step(name, () => assertSplitInvariant(answer + leak, only, answer, 60, {}, true));
  }
});

Deno.test("template_leak: a stray token is removed byte for byte", async (t) => {
  const cases: [string, string][] = [
    ["<|im_start|>Sure, here it is.", "Sure, here it is."],
    ["Intro.\n\n<start_of_turn>Note: read this.", "Intro.\n\nNote: read this."],
    ["First.[/INST] Second.", "First. Second."],
    ["<｜begin▁of▁sentence｜>Below is code.", "Below is code."],
    ["done.<|user|>\n\nPaste it.", "done.\n\nPaste it."],
    ["or  <start_of_turn>\n3) next", "or  \n3) next"],
  ];
  for (const [text, expected] of cases) {
    await t.step(JSON.stringify(text), () => assertSplitInvariant(text, only, expected, 60));
  }
});

Deno.test("template_leak: a turn-start token takes its role name with it", () => {
  assertSplitInvariant("<|im_start|>assistant\nHello.", only, "Hello.", 60);
});

Deno.test("template_leak: tokens in fenced code, inline code or string literals are left alone", async (t) => {
  const cases = [
    "The ChatML template:\n\n```\n<|im_start|>user\nHi<|im_end|>\n```\n\nThat is all.",
    "Stop on `<|im_end|>` and `</s>` when streaming.",
    '```python\nSTOP = ["<|im_end|>", "<|endoftext|>"]\n```\nDone.',
    "~~~\n<end_of_turn>\n~~~\n",
    "stop_tokens = ['<|eot_id|>', '</s>']\n",
  ];
  for (const text of cases) {
    await t.step(
      JSON.stringify(text.slice(0, 30)),
      () => assertSplitInvariant(text, only, text, 60),
    );
  }
});

Deno.test("template_leak: a token glued to a closing fence is a leak and the fence stays", () => {
  const text = "```python\nprint(1)\n```<|im_end|>\n<|im_start|>user\nmore";
  assertSplitInvariant(text, only, "```python\nprint(1)\n```", 60);
});

Deno.test("template_leak: holdFrom holds a partial token outside code, not whitespace", () => {
  const ctx = detectContext({ final: false });
  assertEquals(templateLeak.holdFrom("Done.<|im_", ctx), 5);
  assertEquals(templateLeak.holdFrom("Done. <｜end", ctx), 6);
  assertEquals(templateLeak.holdFrom("Done.[INS", ctx), 5);
  assertEquals(templateLeak.holdFrom("Done.\n\n", ctx), 7);
  assertEquals(templateLeak.holdFrom("```py\nx = [", ctx), 11);
  assertEquals(templateLeak.holdFrom("Done.", ctx), 5);
  assertEquals(templateLeak.holdFrom("Done.\n", detectContext({ final: true })), 6);
});

Deno.test("template_leak: a token after an unclosed backtick waits for the line to decide", () => {
  const ctx = detectContext({ final: false });
  assertEquals(templateLeak.detect("Use `<|im_end|>", ctx), []);
  assertEquals(templateLeak.holdFrom("Use `<|im_end|>", ctx), 5);
});

Deno.test("template_leak: emitted text is never reported, the end is trimmed only from there", () => {
  const ctx = detectContext({ final: true, emitted: 6 });
  const found = templateLeak.detect("Done.  <|im_end|>", ctx);
  assertEquals(found.map((d) => [d.start, d.effect]), [[6, "end"]]);
});

Deno.test("template_leak: <s>…</s> around prose on one line is HTML strikethrough", () => {
  const text = "Mark removed items with <s>old price</s> in the page.\n";
  assertSplitInvariant(text, only, text, 60);
  assertSplitInvariant("<s>[INST] hi [/INST] Sure.</s>", only, " hi  Sure.", 60);
});

Deno.test("template_leak: a turn opened for the user ends the answer; an assistant header is stripped", () => {
  assertSplitInvariant("Done.\n<|im_start|>user\nThanks!", only, "Done.", 60, {}, true);
  assertSplitInvariant("Done.\n<start_of_turn>user\nMore?", only, "Done.", 60, {}, true);
  const header = "<|start_header_id|>assistant<|end_header_id|>\n\nHello.";
  assertSplitInvariant(header, only, "Hello.", 60);
});

Deno.test("template_leak: Harmony headers are removed, <|return|> and a user turn end the answer", () => {
  assertSplitInvariant(
    "<|start|>assistant<|channel|>final<|message|>Done.<|return|><|start|>user<|message|>hi",
    only,
    "Done.",
    100,
  );
  assertSplitInvariant("Answer.<|end|><|start|>user<|message|>next", only, "Answer.", 100);
});
