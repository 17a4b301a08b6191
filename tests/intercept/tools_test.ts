import assert from "node:assert/strict";
import type { Detector } from "../../src/detection.ts";
import { resolveSettings } from "../../src/rules/detector_settings.ts";
import { isObject, type JsonObject } from "../../src/protocols/adapter.ts";
import { splitBytes } from "../protocols/split.ts";
import { buildStream, run, splitText, testDetectors } from "./harness.ts";

const enc = new TextEncoder();
const tools = [
  {
    type: "function",
    function: {
      name: "read_file",
      parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
    },
  },
  {
    type: "function",
    function: {
      name: "list_dir",
      parameters: { type: "object", properties: { dir: { type: "string" } } },
    },
  },
];
const body = { model: "qwen3:4b", stream: true, tools };

const head = '"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m"';
function openaiChunk(delta: unknown, finish: string | null = null): string {
  return `data: {${head},"choices":[{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":${
    JSON.stringify(finish)
  }}]}\n\n`;
}

function openaiToolStream(seed: number): string {
  const calls = [
    { id: "call_a", name: "read_files", args: "{'path': 'src/a.ts'}" },
    { id: "call_b", name: "list_dir", args: '{"dir": "src"}' },
  ];
  let out = openaiChunk({ role: "assistant", content: null });
  calls.forEach((c, index) => {
    const pieces = splitText(c.args, seed + index, 5);
    out += openaiChunk({
      tool_calls: [{
        index,
        id: c.id,
        type: "function",
        function: { name: c.name, arguments: "" },
      }],
    });
    for (const p of pieces) {
      out += openaiChunk({ tool_calls: [{ index, function: { arguments: p } }] });
    }
  });
  return out + openaiChunk({}, "tool_calls") + "data: [DONE]\n\n";
}

function collectCalls(
  chunks: JsonObject[],
): Map<number, { id: string; name: string; args: string }> {
  const calls = new Map<number, { id: string; name: string; args: string }>();
  for (const c of chunks) {
    const choice = Array.isArray(c.choices) ? c.choices[0] : undefined;
    const delta = isObject(choice) && isObject(choice.delta) ? choice.delta : {};
    for (const t of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
      const fn = t.function ?? {};
      const prev = calls.get(t.index) ?? { id: "", name: "", args: "" };
      calls.set(t.index, {
        id: prev.id + (t.id ?? ""),
        name: prev.name + (fn.name ?? ""),
        args: prev.args + (fn.arguments ?? ""),
      });
    }
  }
  return calls;
}

Deno.test("openai_chat: streamed tool-call fragments are held, repaired and sent whole", async () => {
  for (let seed = 1; seed <= 60; seed++) {
    const bytes = enc.encode(openaiToolStream(seed));
    const got = await run("openai_chat", splitBytes(bytes, seed, 40), { body });
    const calls = collectCalls(got.chunks);
    assert.deepEqual([...calls.entries()], [
      [0, { id: "call_a", name: "read_file", args: '{"path":"src/a.ts"}' }],
      [1, { id: "call_b", name: "list_dir", args: '{"dir": "src"}' }],
    ], `seed ${seed}`);
    const toolChunks = got.chunks.filter((c) => JSON.stringify(c).includes('tool_calls":['));
    assert.equal(toolChunks.length, 2, "one chunk per whole call");
    assert.ok(got.raw.includes('"finish_reason":"tool_calls"'));
    assert.ok(got.records.some((r) => r.type === "misspelled_tool" && r.action === "corrected"));
  }
});

Deno.test("ollama_chat: a misspelled tool call is repaired with object arguments", async () => {
  const line = (v: unknown) => JSON.stringify(v) + "\n";
  const upstream = line({
    model: "m",
    message: {
      role: "assistant",
      content: "",
      tool_calls: [{ function: { name: "read_files", arguments: { path: "src/a.ts" } } }, {
        function: { name: "list_dir", arguments: {} },
      }],
    },
    done: false,
  }) +
    line({
      model: "m",
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: "stop",
    });
  const got = await run("ollama_chat", [enc.encode(upstream)], { body });
  const message = got.chunks[0]?.message as JsonObject;
  assert.deepEqual(message.tool_calls, [
    { function: { name: "read_file", arguments: { path: "src/a.ts" } } },
    { function: { name: "list_dir", arguments: {} } },
  ]);
});

/** Turns `<tool_call>{"name":…,"arguments":…}</tool_call>` in text into a structured call. */
const textCall: Detector = {
  type: "text_tool_call",
  detect(text, ctx) {
    const out = [];
    const re = /<tool_call>(.*?)<\/tool_call>/gs;
    re.lastIndex = ctx.emitted;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const parsed = JSON.parse(m[1]!);
      out.push({
        type: "text_tool_call",
        start: m.index,
        end: m.index + m[0].length,
        found: m[0],
        replacement: "",
        confidence: 0.9,
        reason: "tool call written as text",
        effect: "tool_call" as const,
        toolCall: { name: parsed.name, arguments: JSON.stringify(parsed.arguments) },
      });
    }
    return out;
  },
  holdFrom(text, ctx) {
    const open = text.lastIndexOf("<", text.length);
    if (open >= ctx.emitted && !text.slice(open).includes("</tool_call>")) {
      const i = text.indexOf("<tool_call>", ctx.emitted);
      if (i !== -1 && !text.slice(i).includes("</tool_call>")) return i;
      if ("<tool_call>".startsWith(text.slice(open))) return open;
    }
    const i = text.indexOf("<tool_call>", ctx.emitted);
    return i !== -1 && !text.slice(i).includes("</tool_call>") ? i : text.length;
  },
};
const callText =
  'Reading it. <tool_call>{"name":"read_file","arguments":{"path":"src/a.ts"}}</tool_call>';

Deno.test("openai_chat: a tool call written as text becomes a structured call", async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const upstream = buildStream("openai_chat", splitText(callText, seed));
    const got = await run("openai_chat", splitBytes(enc.encode(upstream), seed, 50), {
      body,
      detectors: [textCall, ...testDetectors()],
      settings: resolveSettings(),
    });
    assert.equal(got.content, "Reading it. ");
    const calls = [...collectCalls(got.chunks).values()];
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.name, "read_file");
    assert.equal(calls[0]?.args, '{"path":"src/a.ts"}');
    assert.match(calls[0]?.id ?? "", /^call_/);
    assert.ok(got.raw.includes('"finish_reason":"tool_calls"'), "finish reason rewritten");
  }
});

Deno.test("ollama_chat: a tool call written as text becomes message.tool_calls", async () => {
  const upstream = buildStream("ollama_chat", splitText(callText, 3));
  const got = await run("ollama_chat", [enc.encode(upstream)], {
    body,
    detectors: [textCall, ...testDetectors()],
    settings: resolveSettings(),
  });
  assert.equal(got.content, "Reading it. ");
  const withCalls = got.chunks.filter((c) => isObject(c.message) && c.message.tool_calls);
  assert.deepEqual((withCalls[0]?.message as JsonObject).tool_calls, [
    { function: { name: "read_file", arguments: { path: "src/a.ts" } } },
  ]);
});

Deno.test("openai_chat: detect mode passes tool-call fragments byte for byte and records", async () => {
  const upstream = openaiToolStream(5);
  const got = await run("openai_chat", splitBytes(enc.encode(upstream), 5, 30), {
    body,
    mode: "detect",
  });
  assert.equal(got.raw, upstream);
  assert.ok(got.records.some((r) => r.type === "misspelled_tool" && r.action === "detected"));
});

Deno.test("openai_chat: held tool calls go out before the error frame when the upstream fails", async () => {
  const full = openaiToolStream(2);
  const cut = full.indexOf('"finish_reason":"tool_calls"');
  let sent = false;
  const upstream = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (!sent) {
        sent = true;
        ctrl.enqueue(enc.encode(full.slice(0, cut)));
      } else ctrl.error(new Error("reset"));
    },
  });
  const got = await run("openai_chat", [], {
    body,
    upstream: new Response(upstream, { headers: { "content-type": "text/event-stream" } }),
  });
  assert.deepEqual([...collectCalls(got.chunks).keys()], [0, 1]);
  assert.ok("error" in got.chunks.at(-1)!);
});
