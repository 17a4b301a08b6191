import assert from "node:assert/strict";
import { detectContext } from "../../src/detect/context.ts";
import { applyDetections, runDetectors } from "../../src/detect/run_detectors.ts";
import { runPieces } from "../../scripts/eval/chain.ts";
import { randomPieces } from "../protocols/split.ts";
import { textToolCallDetector as detector } from "../../src/detect/text_tool_call.ts";
import type { DetectContext } from "../../src/detection.ts";

import { tools } from "../repair/offered_tools.ts";
const ctx = (extra: Partial<DetectContext> = {}) => detectContext({ tools, ...extra });
const calls = (text: string, c = ctx()) =>
  detector.detect(text, c).map((d) => [d.toolCall?.name, d.toolCall?.arguments]);
const READ = ["read_file", '{"path":"a.ts"}'];

Deno.test("text_tool_call turns each written format into a structured call", async (t) => {
  const cases: [string, string][] = [
    [
      "Hermes/Qwen",
      '<tool_call>\n{"name": "read_file", "arguments": {"path": "a.ts"}}\n</tool_call>',
    ],
    [
      "fenced json",
      'I will read it.\n```json\n{"name": "read_file", "arguments": {"path": "a.ts"}}\n```\n',
    ],
    [
      "fenced json with parameters",
      '```json\n{"name": "read_file", "parameters": {"path": "a.ts"}}\n```',
    ],
    ["Mistral", '[TOOL_CALLS][{"name": "read_file", "arguments": {"path": "a.ts"}}]'],
    ["Mistral named", '[TOOL_CALLS]read_file[ARGS]{"path": "a.ts"}'],
    ["Llama 3.1 function tag", '<function=read_file>{"path": "a.ts"}</function>'],
    ["Llama python_tag", '<|python_tag|>{"name": "read_file", "parameters": {"path": "a.ts"}}'],
    [
      "OpenAI-like nesting",
      '<tool_call>{"type":"function","function":{"name":"read_file","arguments":"{\\"path\\":\\"a.ts\\"}"}}</tool_call>',
    ],
    [
      "repaired name and arguments",
      "<tool_call>{'name': 'read_files', 'arguments': {'path': 'a.ts'}}</tool_call>",
    ],
  ];
  for (const [name, text] of cases) {
    await t.step(name, () => assert.deepEqual(calls(text), [READ]));
  }
});

Deno.test("text_tool_call reads the 2026 formats (Qwen3-Coder XML, GLM, Harmony, Kimi-K2, DeepSeek)", async (t) => {
  const cases: [string, string][] = [
    [
      "Qwen3-Coder XML",
      "<tool_call>\n<function=read_file>\n<parameter=path>\na.ts\n</parameter>\n</function>\n</tool_call>",
    ],
    [
      "Qwen3-Coder XML without wrapper",
      "<function=read_file>\n<parameter=path>\na.ts\n</parameter>\n</function>",
    ],
    [
      "GLM",
      "<tool_call>read_file\n<arg_key>path</arg_key>\n<arg_value>a.ts</arg_value>\n</tool_call>",
    ],
    [
      "Harmony",
      '<|channel|>commentary to=functions.read_file <|constrain|>json<|message|>{"path":"a.ts"}<|call|>',
    ],
    [
      "Harmony with start",
      '<|start|>assistant<|channel|>commentary to=functions.read_file json<|message|>{"path":"a.ts"}<|call|>',
    ],
    [
      "Kimi-K2",
      '<|tool_calls_section_begin|><|tool_call_begin|>functions.read_file:0<|tool_call_argument_begin|>{"path":"a.ts"}<|tool_call_end|><|tool_calls_section_end|>',
    ],
    [
      "DeepSeek V3.1",
      '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>read_file<｜tool▁sep｜>{"path":"a.ts"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
    ],
    [
      "DeepSeek V3",
      '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>read_file\n```json\n{"path":"a.ts"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
    ],
  ];
  for (const [name, text] of cases) {
    await t.step(name, () => assert.deepEqual(calls(text), [READ]));
  }
});

Deno.test("text_tool_call fits XML parameter text to the tool's schema", () => {
  const text =
    "<function=read_file>\n<parameter=path>\na.ts\n</parameter>\n<parameter=limit>\n5\n" +
    "</parameter>\n</function>";
  assert.deepEqual(calls(text), [["read_file", '{"path":"a.ts","limit":5}']]);
});

Deno.test("text_tool_call: a Harmony commentary message without a recipient is no call", () => {
  assert.deepEqual(calls("<|channel|>commentary<|message|>Checking a.ts.<|end|>"), []);
});

Deno.test("text_tool_call removes the block from the content", () => {
  const text =
    'Reading now.\n<tool_call>{"name":"read_file","arguments":{"path":"a.ts"}}</tool_call>';
  const found = runDetectors(text, [detector], ctx());
  assert.equal(found[0]?.effect, "tool_call");
  assert.equal(found[0]?.replacement, "");
  assert.equal(applyDetections(text, found), "Reading now.\n");
});

Deno.test("text_tool_call emits every call of a block, in order, without overlaps", () => {
  const text = '[TOOL_CALLS][{"name":"read_file","arguments":{"path":"a.ts"}},' +
    '{"name":"list_dir","arguments":{"path":"src"}}]';
  const found = runDetectors(text, [detector], ctx());
  assert.deepEqual(found.map((d) => d.toolCall?.name), ["read_file", "list_dir"]);
  assert.equal(applyDetections(text, found), "");
});

Deno.test("text_tool_call leaves text alone when it is not a call to an offered tool", async (t) => {
  const cases: [string, string, DetectContext][] = [
    [
      "no tools offered",
      '<tool_call>{"name":"read_file","arguments":{}}</tool_call>',
      detectContext(),
    ],
    ["name not offered", '<tool_call>{"name":"get_weather","arguments":{}}</tool_call>', ctx()],
    [
      "thinking channel",
      '<tool_call>{"name":"read_file","arguments":{}}</tool_call>',
      ctx({ channel: "thinking" }),
    ],
    [
      "inside a code block",
      '```xml\n<tool_call>{"name":"read_file","arguments":{}}</tool_call>\n```',
      ctx(),
    ],
    ["in inline code", 'Use `<function=read_file>{"path":"a"}</function>` to read.', ctx()],
    [
      "a JSON example that is not a call",
      '```json\n{"name": "demo", "version": "1.0.0"}\n```',
      ctx(),
    ],
    ["other fenced code", '```ts\nconst x = {"name": "read_file", "arguments": {}};\n```', ctx()],
    ["unparseable body", "<tool_call>not json at all</tool_call>", ctx()],
    ["a JSON answer that is not a call", '{"name": "Ann", "age": 3}', ctx()],
    [
      "before emitted",
      '<tool_call>{"name":"read_file","arguments":{}}</tool_call>',
      ctx({ emitted: 3 }),
    ],
  ];
  for (const [name, text, c] of cases) {
    await t.step(name, () => assert.deepEqual(detector.detect(text, c), []));
  }
});

Deno.test("text_tool_call holds text that may still become a call", async (t) => {
  const streaming = ctx({ final: false });
  const cases: [string, string, number][] = [
    ["plain text", "Hello there.", 12],
    ["partial tag", "Reading <tool_", 8],
    ["open tag block", 'Ok <tool_call>{"name":"read_fi', 3],
    ["partial fence line", "Ok\n```js", 3],
    ["partial fence line, longest word", "Ok\n  ```tool_call", 3],
    ["open json fence with a call", 'Ok\n```json\n{"name": "read_', 3],
    ["open Mistral array", '[TOOL_CALLS][{"name":"read_file"', 0],
    ["partial Mistral", "x [TOOL_C", 2],
    ["partial Llama tags", "a <|python_tag| b <function", 18],
    ["a lone < at the end", "1 <", 2],
    ["the partial tag after another <", "a <<tool", 3],
    ["a whole tag name is no partial", "x <function= y", 14],
    ["bare JSON call opening the answer", '\n{"name": "read_file", "argum', 1],
    ["bare JSON later in the answer is not held", 'Text {"name": "read_file", "argum', -1],
    ["leading whitespace is not held", "\n\n", -1],
    ["python fence is not held", "```python\nprint(1)", 18],
    [
      "long JSON block without a name key",
      "```json\n" + '{"version": 1, "items": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]',
      -1,
    ],
  ];
  for (const [name, text, at] of cases) {
    const expected = at < 0 ? text.length : at;
    await t.step(name, () => assert.equal(detector.holdFrom(text, streaming), expected));
  }
  await t.step("nothing is held when no tools are offered", () => {
    assert.equal(detector.holdFrom("Reading <tool_", detectContext({ final: false })), 14);
  });
});

/** The content and calls a client gets for `pieces` streamed through the shipped chain. */
function stream(pieces: readonly string[], base: DetectContext) {
  const r = runPieces(pieces, [detector], base);
  return { content: r.content, calls: r.calls };
}

Deno.test("text_tool_call gives the same result however the text is split", () => {
  const texts = [
    'Sure.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "a.ts"}}\n</tool_call>\nDone.',
    'Plan:\n```json\n{"name": "list_dir", "arguments": {"path": "src"}}\n```\n',
    '[TOOL_CALLS][{"name":"read_file","arguments":{"path":"a"}},{"name":"list_dir","arguments":{}}]',
    "No calls here, just `code` and [links](x) and <b>tags</b>.",
    '  {"name": "read_file", "arguments": {"path": "x"}}',
  ];
  assert.deepEqual(stream([texts[0]!], ctx()), {
    content: "Sure.\n\nDone.",
    calls: [{ name: "read_file", arguments: '{"path":"a.ts"}' }],
  });
  assert.equal(stream([texts[2]!], ctx()).calls.length, 2);
  for (const text of texts) {
    const whole = stream([text], ctx());
    for (let seed = 1; seed <= 60; seed++) {
      const pieces = randomPieces(text, seed, 8);
      assert.deepEqual(stream(pieces, ctx()), whole, JSON.stringify(pieces));
    }
  }
});

Deno.test("text_tool_call repairs a call left unclosed at the end of the answer", () => {
  const text = '<tool_call>{"name":"read_file","arguments":{"path":"a.ts"}}';
  assert.deepEqual(calls(text), [READ]);
  assert.deepEqual(calls(text, ctx({ final: false })), []);
});

Deno.test("text_tool_call reads the wire variants models and llama.cpp produce", async (t) => {
  const two = [READ, ["read_file", '{"path":"b.ts"}']];
  const cases: [string, string, string[][]][] = [
    [
      "Qwen3-Coder XML indented, values trimmed",
      "<tool_call>\n  <function=read_file>\n    <parameter=path>\n      a.ts\n    </parameter>\n  </function>\n</tool_call>",
      [READ],
    ],
    [
      "Qwen3-Coder XML on one line",
      "<tool_call> <function=read_file> <parameter=path> a.ts </parameter> </function> </tool_call>",
      [READ],
    ],
    [
      "two functions in one <tool_call>",
      "<tool_call>\n<function=read_file>\n<parameter=path>\na.ts\n</parameter>\n</function>\n<function=read_file>\n<parameter=path>\nb.ts\n</parameter>\n</function>\n</tool_call>",
      two,
    ],
    [
      "GLM 4.7 without line breaks",
      "<tool_call>read_file<arg_key>path</arg_key><arg_value>a.ts</arg_value></tool_call>",
      [READ],
    ],
    [
      "Harmony, recipient before the channel",
      '<|start|>assistant to=functions.read_file<|channel|>commentary<|constrain|>json<|message|>{"path":"a.ts"}<|call|>',
      [READ],
    ],
    [
      "Harmony, generation prompt consumed: the answer opens with the recipient",
      ' to=functions.read_file<|channel|>commentary json<|message|>{"path":"a.ts"}<|call|>',
      [READ],
    ],
    [
      "Harmony ended by <|end|>",
      '<|channel|>commentary to=functions.read_file <|constrain|>json<|message|>{"path":"a.ts"}<|end|>',
      [READ],
    ],
    [
      "DeepSeek opener with spaces",
      '<｜tool calls begin｜><｜tool▁call▁begin｜>read_file<｜tool▁sep｜>{"path":"a.ts"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
      [READ],
    ],
    [
      "DeepSeek opener with escaped underscores",
      '<｜tool\\_calls\\_begin｜><｜tool▁call▁begin｜>read_file<｜tool▁sep｜>{"path":"a.ts"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
      [READ],
    ],
    [
      "DeepSeek short opener",
      '<｜tool▁calls｜><｜tool▁call▁begin｜>read_file<｜tool▁sep｜>{"path":"a.ts"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
      [READ],
    ],
    [
      "DeepSeek call without its section",
      'Reading.<｜tool▁call▁begin｜>read_file<｜tool▁sep｜>{"path":"a.ts"}<｜tool▁call▁end｜>',
      [READ],
    ],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => assert.deepEqual(calls(text), expected));
  }
});

Deno.test("text_tool_call: a </tool_call> left after an unwrapped <function=…> block goes too", () => {
  const text =
    "<function=read_file>\n<parameter=path>\na.ts\n</parameter>\n</function>\n</tool_call>";
  const [d] = detector.detect(text, ctx());
  assert.equal(d?.end, text.length);
  // Streamed: the block is held while the closer may still be arriving.
  const head = text.slice(0, text.indexOf("</tool_call>") + 4);
  assert.equal(detector.holdFrom(head, ctx({ final: false })), 0);
});

Deno.test("text_tool_call: a call cut by the token limit is flagged and left as text, never completed", async (t) => {
  const cut = [
    '<tool_call>\n{"name": "read_file", "arguments": {"path": "src/lo',
    "<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/lo",
    '<|channel|>commentary to=functions.read_file <|constrain|>json<|message|>{"path": "src/lo',
    '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>read_file<｜tool▁sep｜>{"path": "src/lo',
  ];
  for (const text of cut) {
    await t.step(text.slice(0, 24), () => {
      const found = detector.detect(text, ctx({ finish: "length" }));
      assert.equal(found.length, 1);
      assert.equal(found[0]?.replacement, null);
      assert.equal(found[0]?.effect, undefined);
      assert.match(found[0]?.reason ?? "", /read_file.*token limit/);
      // The model ended it itself: the call is built.
      assert.equal(detector.detect(text, ctx({ finish: "stop" }))[0]?.effect, "tool_call");
    });
  }
  await t.step("through the chain, whole and streamed", () => {
    const text = cut[1]!;
    for (const pieces of [[text], randomPieces(text, 3, 6)]) {
      const r = runPieces(pieces, [detector], { tools }, { finish: "length" });
      assert.equal(r.content, text);
      assert.deepEqual(r.calls, []);
      assert.equal(r.detections[0]?.type, "text_tool_call");
    }
  });
});

Deno.test("text_tool_call: a call built at the end of a stream does not repeat the last text chunk", () => {
  const text = '<tool_call>\n{"name": "read_file", "arguments": {"path": "a.ts"}}';
  for (let cut = 1; cut < text.length; cut += 7) {
    const r = runPieces([text.slice(0, cut), text.slice(cut)], [detector], { tools });
    assert.equal(r.content, "");
    assert.deepEqual(r.calls, [{ name: "read_file", arguments: '{"path":"a.ts"}' }]);
  }
});
