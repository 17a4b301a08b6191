import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { repetitionLoop } from "../../src/detect/repetition.ts";
import { detectContext } from "../../src/detect/context.ts";
import { runWhole } from "../../scripts/eval/chain.ts";

const only = [repetitionLoop];
const fixed = (text: string) => runWhole(text, only, {}).content;

Deno.test("repetition_loop: a repeated line is cut after its first copy and the answer ends", () => {
  const prefix = "Steps:\n1. Install the package.\n    result = compute(x)\n";
  const text = prefix + "    result = compute(x)\n".repeat(40).slice(0, -7);
  assertEquals(fixed(text), prefix);
  const [d] = repetitionLoop.detect(text, detectContext());
  assertEquals(d?.effect, "end");
  assertEquals(d?.replacement, "");
});

Deno.test("repetition_loop: a repeated block, sentence and short phrase", async (t) => {
  const block = "def f(x):\n    return x * 2\n\nprint(f(3))\n";
  await t.step("block", () => assertEquals(fixed("Code:\n" + block.repeat(8)), "Code:\n" + block));
  const s = "I hope this helps you with the task.";
  await t.step(
    "sentence",
    () => assertEquals(fixed("Done. " + s + (" " + s).repeat(12)), "Done. " + s),
  );
  await t.step(
    "phrase",
    () => assertEquals(fixed("and then" + " and then".repeat(30)), "and then"),
  );
});

Deno.test("repetition_loop: legitimately repetitive text does not trigger", async (t) => {
  const cases: [string, string][] = [
    [
      "markdown table",
      "| a | b |\n|---|---|\n" +
      Array.from({ length: 30 }, (_, i) => `| ${i} | ${i * i} |\n`).join(""),
    ],
    [
      "test cases",
      Array.from({ length: 20 }, (_, i) => `    assert add(${i}, 1) == ${i + 1}\n`).join(""),
    ],
    ["separator line", "-".repeat(120) + "\n" + "=".repeat(300) + "\n"],
    ["table separator", "|" + "---|".repeat(60) + "\n"],
    ["short zero array", "m = [" + "0, ".repeat(20) + "0]\n"],
    ["two identical lines", "x = 1\nprint(x)\nprint(x)\nprint(y)\n"],
    ["zero matrix", "grid = [\n" + "    [0, 0, 0, 0, 0, 0, 0, 0],\n".repeat(8) + "]\n"],
    [
      "similar lines",
      Array.from(
        { length: 10 },
        (_, i) => `    parser.add_argument("--opt${i}", type=int, default=${i})\n`,
      ).join(""),
    ],
  ];
  for (const [name, text] of cases) {
    await t.step(name, () => {
      // Every prefix, as a streamed window ending there would see it.
      for (let end = 1; end <= text.length; end++) {
        assertEquals(repetitionLoop.detect(text.slice(0, end), detectContext()), [], `at ${end}`);
      }
    });
  }
});

Deno.test("repetition_loop: a separator-only run must be very long", () => {
  const text = "Result:\n" + "-".repeat(3000);
  assertEquals(repetitionLoop.detect(text, detectContext()).length, 1);
});

Deno.test("repetition_loop: holdFrom holds copies after the second, not plain text", () => {
  const ctx = detectContext({ final: false });
  const line = "    total += item.price * item.quantity\n";
  const third = "Code:\n" + line + line + line.slice(0, 20);
  assertEquals(repetitionLoop.holdFrom(third, ctx), 6 + 2 * line.length);
  const second = "Code:\n" + line + line.slice(0, 20);
  assertEquals(repetitionLoop.holdFrom(second, ctx), second.length);
  assertEquals(repetitionLoop.holdFrom("A normal sentence without repeats.", ctx), 34);
});

Deno.test("repetition_loop: when copies already went out, the cut moves to the next copy boundary", () => {
  const text = "x\n" + "same line here\n".repeat(12);
  const [d] = repetitionLoop.detect(text, detectContext({ emitted: 60 }));
  assertEquals(d?.start, 62);
});

Deno.test("repetition_loop: a suffix that also starts the text is examined once", () => {
  const text = "Do you need this? I can help.\nDo y";
  assertEquals(repetitionLoop.holdFrom(text, detectContext({ final: false })), text.length);
  assertEquals(repetitionLoop.detect(text, detectContext()), []);
});

Deno.test("repetition_loop: near-empty marker lines repeated many times are a loop", async (t) => {
  for (const unit of ["# \n", "#\n", "- \n", "// \n", "> \n"]) {
    await t.step(JSON.stringify(unit), () => {
      assertEquals(fixed("Answer:\n" + unit.repeat(120)), "Answer:\n" + unit);
    });
  }
  await t.step("a few in a row are not", () => {
    const text = "```py\n#\n#\n#\nx = 1\n```\n- \n- \n";
    assertEquals(fixed(text), text);
  });
});

Deno.test("repetition_loop: a long block is cut once a third copy is well begun", () => {
  const block = Array.from({ length: 12 }, (_, i) => `line ${i}: ${"word ".repeat(8)}`).join("\n") +
    "\n";
  const text = "Intro.\n" + block + block + block.slice(0, 300);
  assertEquals(fixed(text), "Intro.\n" + block);
  const twice = "Intro.\n" + block + block.slice(0, 150);
  assertEquals(fixed(twice), twice);
});

Deno.test("repetition_loop: a run of marker lines is held from the end of its first copy", () => {
  const ctx = detectContext({ final: false });
  assertEquals(repetitionLoop.holdFrom("ok\n# \n# \n# \n", ctx), 6);
  assertEquals(repetitionLoop.holdFrom("ok\n# \n# ", ctx), 6);
  assertEquals(repetitionLoop.holdFrom("ok\n# \nx = 1\n", ctx), 12);
});
