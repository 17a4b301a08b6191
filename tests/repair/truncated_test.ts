import assert from "node:assert/strict";
import { repairArguments } from "../../src/repair/arguments.ts";
import { endOf, repairToolCall } from "../../src/repair/repair.ts";
import { defaultSettings } from "../../src/rules/detector_settings.ts";
import { run } from "../intercept/harness.ts";

const schema = {
  type: "object",
  properties: { distance: { type: "integer" }, city: { type: "string" } },
  required: ["distance", "city"],
};

Deno.test("truncated arguments: at the token limit they are flagged and never completed", async (t) => {
  for (const text of ['{"distance":30', '{"city":"Par', '{"distance":30,"city":"Paris"', "{"]) {
    await t.step(text, () => {
      const r = repairArguments(text, schema, "limit");
      assert.equal(r.text, null);
      assert.equal(r.detections[0]?.type, "malformed_arguments");
      assert.match(r.detections[0]?.reason ?? "", /token limit/);
    });
  }
});

Deno.test("truncated arguments: a call the model ended is closed, numbers and strings too", async (t) => {
  const cases: [string, unknown][] = [
    ['{"distance":30', { distance: 30 }],
    ['{"city":"Paris', { city: "Paris" }],
    ['{"distance":30,"city":"Paris"', { distance: 30, city: "Paris" }],
    ['{"distance":-2.5e3,', { distance: -2500 }],
  ];
  for (const [text, value] of cases) {
    await t.step(text, () => {
      const r = repairArguments(text, { type: "object" }, "model");
      assert.deepEqual(JSON.parse(r.text ?? "null"), value);
    });
  }
  await t.step("a key or a value that never started is not invented", () => {
    assert.equal(repairArguments('{"distance":', schema, "model").text, null);
    assert.equal(repairArguments('{"dist', schema, "model").text, null);
    assert.equal(repairArguments('{"flag": tru', schema, "model").text, null);
  });
});

Deno.test("truncated arguments: without a finish reason only closers after a value are added", () => {
  assert.equal(repairArguments('{"distance":30', schema).text, null);
  assert.equal(repairArguments('{"city":"Paris"', schema).text, '{"city":"Paris"}');
  assert.equal(endOf("length"), "limit");
  assert.equal(endOf("stop"), "model");
  assert.equal(endOf(null), "unknown");
});

Deno.test("missing_required: the reason names the parameter", () => {
  const tools = [{ name: "route", parameters: schema }];
  const r = repairToolCall(
    { index: 0, name: "route", arguments: '{"distance":3}' },
    tools,
    defaultSettings,
  );
  const d = r.detections.find((x) => x.type === "missing_required");
  assert.match(d?.reason ?? "", /required parameter "city" is missing/);
});

const tools = [{ type: "function", function: { name: "route", parameters: schema } }];
const head = '"id":"c","object":"chat.completion.chunk","created":1,"model":"m"';
const chunk = (delta: unknown, finish: string | null = null) =>
  `data: {${head},"choices":[{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":${
    JSON.stringify(finish)
  }}]}\n\n`;
const stream = (args: string, finish: string) =>
  chunk({ role: "assistant", content: null }) +
  chunk({
    tool_calls: [{
      index: 0,
      id: "call_1",
      type: "function",
      function: { name: "route", arguments: "" },
    }],
  }) +
  chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] }) + chunk({}, finish) +
  "data: [DONE]\n\n";

function argumentsSent(raw: string): string {
  let args = "";
  for (const m of raw.matchAll(/"arguments":("(?:[^"\\]|\\.)*")/g)) args += JSON.parse(m[1]!);
  return args;
}

Deno.test("truncated arguments in a stream: finish_reason length keeps them cut, a model end closes them", async () => {
  const cut = '{"distance":30,"city":"Pa';
  const limited = await run("openai_chat", [new TextEncoder().encode(stream(cut, "length"))], {
    body: { model: "m", stream: true, tools },
  });
  assert.equal(argumentsSent(limited.raw), cut);
  assert.ok(
    limited.records.some((r) => r.type === "malformed_arguments"),
  );
  const ended = await run("openai_chat", [new TextEncoder().encode(stream(cut, "tool_calls"))], {
    body: { model: "m", stream: true, tools },
  });
  assert.deepEqual(JSON.parse(argumentsSent(ended.raw)), { distance: 30, city: "Pa" });
});
