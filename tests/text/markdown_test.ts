import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { advanceFence, codeRanges, inRanges, openInlineCode } from "../../src/text/markdown.ts";

Deno.test("advanceFence: a fence opens and closes with the same character, at least as long", () => {
  assertEquals(advanceFence(null, "intro\n```python\nx = 1\n"), "```");
  assertEquals(advanceFence("```", "x\n```\n"), null);
  assertEquals(advanceFence("````", "```\n"), "````");
  assertEquals(advanceFence("```", "~~~\n"), "```");
  assertEquals(advanceFence(null, "~~~~\ncode\n"), "~~~~");
});

Deno.test("advanceFence: only complete lines count", () => {
  assertEquals(advanceFence(null, "text\n```"), null);
});

Deno.test("advanceFence: a closing fence glued to a template token still closes the block", () => {
  assertEquals(advanceFence("```", "return x\n```<|im_end|>\n"), null);
  assertEquals(advanceFence("```", "return x\n``` </s>\n"), null);
  assertEquals(advanceFence(null, "```<|im_end|>\n"), null);
});

Deno.test("advanceFence: fences indented inside list items count", () => {
  assertEquals(advanceFence(null, "1. Install:\n     ```bash\n"), "```");
});

Deno.test("codeRanges: fenced blocks, inline spans, and an unclosed block at the end", () => {
  const text = "a `<s>` b\n```\n<s>\n```\nc\n```\nopen";
  const ranges = codeRanges(text, null);
  assertEquals(ranges.map((r) => text.slice(r.start, r.end)), [
    "`<s>`",
    "```\n<s>\n```",
    "```\nopen",
  ]);
});

Deno.test("codeRanges: the state at offset 0 is honoured", () => {
  const text = "inside\n```\noutside `x`";
  const ranges = codeRanges(text, "```");
  assertEquals(ranges.map((r) => text.slice(r.start, r.end)), ["inside\n```", "`x`"]);
});

Deno.test("codeRanges: a token glued to a closing fence is outside code", () => {
  const text = "```\ncode\n```<|im_end|>";
  const ranges = codeRanges(text, null);
  assertEquals(inRanges(ranges, text.indexOf("<|im_end|>")), false);
  assertEquals(inRanges(ranges, text.indexOf("code")), true);
});

Deno.test("codeRanges: double-backtick spans and unmatched backticks", () => {
  const text = "use ``a ` b`` and a stray ` tick <s>";
  const ranges = codeRanges(text, null);
  assertEquals(ranges.map((r) => text.slice(r.start, r.end)), ["``a ` b``"]);
});

Deno.test("openInlineCode: an unclosed backtick on the last line", () => {
  assertEquals(openInlineCode("see `<|im_end", null), 4);
  assertEquals(openInlineCode("see `x` y", null), -1);
  assertEquals(openInlineCode("`a`\nsee `b` and `c", null), 16);
  assertEquals(openInlineCode("```\n`open", null), -1);
});

Deno.test("markdown: a fence right after a Harmony <|message|> opens a block that starts at the fence", () => {
  const text = "<|channel|>final<|message|>```py\nx = 1\n```\nafter";
  const [r] = codeRanges(text, null);
  assertEquals(r?.start, text.indexOf("```"));
  assertEquals(text.slice(r?.start, r?.end), "```py\nx = 1\n```");
});
