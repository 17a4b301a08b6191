import assert from "node:assert/strict";
import { defaultSettings, resolveSettings } from "../../src/rules/detector_settings.ts";
import { repairToolCall } from "../../src/repair/repair.ts";
import type { ToolCall } from "../../src/types.ts";

import { tools } from "./offered_tools.ts";
const call = (name: string, args: string): ToolCall => ({
  index: 0,
  id: "call_1",
  name,
  arguments: args,
});

Deno.test("repairToolCall leaves valid calls byte-identical with no detections", async (t) => {
  for (
    const args of [
      '{"path":"a.ts"}',
      '{ "path": "a.ts",\n  "limit": 10 }',
      '{"path":"a.ts","extra":1}',
    ]
  ) {
    await t.step(args, () => {
      const input = call("read_file", args);
      const r = repairToolCall(input, tools, defaultSettings);
      assert.equal(r.call, input);
      assert.deepEqual(r.detections, []);
    });
  }
  await t.step("no tools offered: nothing is checked", () => {
    const input = call("whatever", "{'broken'");
    assert.deepEqual(repairToolCall(input, [], defaultSettings), { call: input, detections: [] });
  });
});

Deno.test("repairToolCall fixes names, syntax and safe schema mismatches", async (t) => {
  const cases: [string, ToolCall, string, string, string[]][] = [
    ["misspelled name", call("read_files", '{"path":"a.ts"}'), "read_file", '{"path":"a.ts"}', [
      "misspelled_tool",
    ]],
    ["single quotes", call("read_file", "{'path': 'a.ts'}"), "read_file", '{"path":"a.ts"}', [
      "malformed_arguments",
    ]],
    [
      "string for an integer",
      call("read_file", '{"path":"a","limit":"5"}'),
      "read_file",
      '{"path":"a","limit":5}',
      ["schema_mismatch"],
    ],
    [
      "everything at once",
      call("Read-File", "{path: 'a', limit: '5',}"),
      "read_file",
      '{"path":"a","limit":5}',
      ["misspelled_tool", "malformed_arguments", "schema_mismatch"],
    ],
    ["empty arguments", call("list_dir", ""), "list_dir", "{}", ["malformed_arguments"]],
    [
      "the whole call sent as arguments",
      call("read_file", '{"name":"read_file","arguments":{"path":"a"}}'),
      "read_file",
      '{"path":"a"}',
      ["malformed_arguments"],
    ],
  ];
  for (const [name, input, fixedName, fixedArgs, types] of cases) {
    await t.step(name, () => {
      const r = repairToolCall(input, tools, defaultSettings);
      assert.deepEqual(r.call, { ...input, name: fixedName, arguments: fixedArgs });
      assert.deepEqual(r.detections.map((d) => d.type), types);
      assert.ok(r.detections.every((d) => d.start === 0 && d.end === 0 && d.confidence > 0));
    });
  }
});

Deno.test("repairToolCall flags what it cannot fix and never invents arguments", async (t) => {
  await t.step("missing required", () => {
    const input = call("read_file", '{"limit":5}');
    const r = repairToolCall(input, tools, defaultSettings);
    assert.equal(r.call, input);
    assert.deepEqual(r.detections.map((d) => [d.type, d.replacement]), [[
      "missing_required",
      null,
    ]]);
    assert.match(r.detections[0]!.reason, /"path"/);
  });
  await t.step("arguments cut inside a value", () => {
    const input = call("read_file", '{"path":"src/ma');
    const r = repairToolCall(input, tools, defaultSettings);
    assert.equal(r.call, input);
    assert.deepEqual(r.detections.map((d) => [d.type, d.replacement]), [[
      "malformed_arguments",
      null,
    ]]);
  });
  await t.step("a number with units", () => {
    const r = repairToolCall(
      call("read_file", '{"path":"a","limit":"5 lines"}'),
      tools,
      defaultSettings,
    );
    assert.deepEqual(r.detections.map((d) => [d.type, d.replacement]), [["schema_mismatch", null]]);
  });
  await t.step("unknown tool passes through flagged by default", () => {
    const input = call("delete_repository", '{"name":"x"}');
    const r = repairToolCall(input, tools, defaultSettings);
    assert.equal(r.call, input);
    assert.deepEqual(r.detections.map((d) => [d.type, d.found, d.replacement]), [[
      "unknown_tool",
      "delete_repository",
      null,
    ]]);
  });
  await t.step("unknown tool is dropped when its action is correct", () => {
    const settings = resolveSettings({ unknown_tool: { action: "correct" } });
    assert.equal(repairToolCall(call("delete_repository", "{}"), tools, settings).call, null);
  });
  await t.step("a fix below its threshold is only reported", () => {
    const settings = resolveSettings({ misspelled_tool: { threshold: 0.99 } });
    const input = call("read_files", '{"path":"a"}');
    const r = repairToolCall(input, tools, settings);
    assert.equal(r.call, input);
    assert.equal(r.detections[0]?.type, "misspelled_tool");
  });
  await t.step("a disabled repair reports nothing", () => {
    const settings = resolveSettings({ malformed_arguments: { enabled: false } });
    const input = call("read_file", "{'path': 'a'}");
    assert.deepEqual(repairToolCall(input, tools, settings), { call: input, detections: [] });
  });
});
