/**
 * Real clients (`npm:openai`, `npm:ollama`) read corrected streams and bodies through the whole
 * proxy (`createApp`, default detectors) in front of a fake upstream, over loopback HTTP.
 */
import assert from "node:assert/strict";
import OpenAI from "npm:openai@7.57.0";
import { Ollama } from "npm:ollama@0.6.4";
import { setAt } from "../../src/protocols/adapter.ts";
import { routeOf } from "../../src/protocols/routes.ts";
import { startFakeUpstream } from "../fake_upstream.ts";
import { startProxy, type TestProxy } from "../helpers.ts";
import { buildStream, splitText } from "./harness.ts";

const text = "<think>\nplan it\n</think>\nOpen the file now.<|im_end|>\n<|im_start|>user\nmore";
const fixed = "Open the file now.";
const textCall =
  'Reading. <tool_call>{"name": "read_file", "arguments": {"path": "a.ts"}}</tool_call>';
const tools = [{
  type: "function" as const,
  function: {
    name: "read_file",
    parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
}];

function upstreamHandler(_req: Request, seen: { path: string; body: Uint8Array }): Response {
  const body = JSON.parse(new TextDecoder().decode(seen.body));
  const route = routeOf("POST", seen.path).kind!;
  const stream = route.startsWith("ollama") ? body.stream !== false : body.stream === true;
  const said = JSON.stringify(body.messages ?? []);
  const wantsTools = Array.isArray(body.tools) && !said.includes("as text");
  if (!stream) {
    const whole = route === "openai_chat"
      ? {
        id: "c1",
        object: "chat.completion",
        created: 1,
        model: "m",
        choices: [{
          index: 0,
          message: wantsTools
            ? {
              role: "assistant",
              content: null,
              tool_calls: [{
                id: "call_1",
                type: "function",
                function: { name: "read_files", arguments: "{'path': 'a.ts'}" },
              }],
            }
            : { role: "assistant", content: text },
          finish_reason: wantsTools ? "tool_calls" : "stop",
        }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }
      : setAt(
        { model: "m", created_at: "2026-11-26T20:00:00Z", done: true, done_reason: "stop" },
        ["message"],
        { role: "assistant", content: text },
      );
    return Response.json(whole);
  }
  if (wantsTools && route === "ollama_chat") {
    const line = (v: unknown) => JSON.stringify(v) + "\n";
    return new Response(
      line({
        model: "m",
        created_at: "2026-11-26T20:00:00Z",
        message: {
          role: "assistant",
          content: "",
          tool_calls: [{ function: { name: "Read_File", arguments: { path: "a.ts" } } }],
        },
        done: false,
      }) +
        line({
          model: "m",
          created_at: "x",
          message: { role: "assistant", content: "" },
          done: true,
          done_reason: "stop",
        }),
      { headers: { "content-type": "application/x-ndjson" } },
    );
  }
  if (wantsTools && route === "openai_chat") {
    const head = '"id":"c1","object":"chat.completion.chunk","created":1,"model":"m"';
    const chunk = (delta: unknown, finish: string | null = null) =>
      `data: {${head},"choices":[{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":${
        JSON.stringify(finish)
      }}]}\n\n`;
    const first = {
      index: 0,
      id: "call_1",
      type: "function",
      function: { name: "read_files", arguments: "" },
    };
    const parts = ["{'pa", "th': ", "'a.ts'}"].map((a) =>
      chunk({ tool_calls: [{ index: 0, function: { arguments: a } }] })
    );
    return new Response(
      chunk({ role: "assistant", content: null }) + chunk({ tool_calls: [first] }) +
        parts.join("") +
        chunk({}, "tool_calls") + "data: [DONE]\n\n",
      { headers: { "content-type": "text/event-stream" } },
    );
  }
  const sse = route !== "ollama_chat" && route !== "ollama_generate";
  return new Response(
    buildStream(route, splitText(said.includes("as text") ? textCall : text, 7)),
    {
      headers: { "content-type": sse ? "text/event-stream" : "application/x-ndjson" },
    },
  );
}

async function withProxy(fn: (url: string, proxy: TestProxy) => Promise<void>): Promise<void> {
  const upstream = await startFakeUpstream(upstreamHandler);
  const proxy = await startProxy(upstream.url);
  try {
    await fn(proxy.url, proxy);
  } finally {
    await proxy.close();
    await upstream.close();
  }
}

Deno.test("npm:openai reads corrected chat and completion streams and bodies", async () => {
  await withProxy(async (url) => {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "none", maxRetries: 0 });
    let content = "";
    let finish: string | null = null;
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(content, fixed);
    assert.equal(finish, "stop");

    const whole = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(whole.choices[0]?.message.content, fixed);

    let completion = "";
    const cstream = await client.completions.create({ model: "m", prompt: "x", stream: true });
    for await (const chunk of cstream) completion += chunk.choices[0]?.text ?? "";
    assert.equal(completion, fixed);

    const called = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "read a.ts" }],
      tools,
    });
    const streamed = await client.chat.completions.stream({
      model: "m",
      messages: [{ role: "user", content: "read a.ts" }],
      tools,
    }).finalChatCompletion();
    for (const done of [called, streamed]) {
      const call = done.choices[0]?.message.tool_calls?.[0];
      assert.ok(call && call.type === "function");
      assert.equal(call.function.name, "read_file");
      assert.deepEqual(JSON.parse(call.function.arguments), { path: "a.ts" });
      assert.equal(done.choices[0]?.finish_reason, "tool_calls");
    }
  });
});

Deno.test("npm:ollama reads corrected chat and generate streams, bodies and tool calls", async () => {
  await withProxy(async (url) => {
    const ollama = new Ollama({ host: url });
    let content = "";
    let reason = "";
    for await (
      const part of await ollama.chat({
        model: "m",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      })
    ) {
      content += part.message.content;
      if (part.done) reason = part.done_reason;
    }
    assert.equal(content, fixed);
    assert.equal(reason, "stop");

    let generated = "";
    for await (const part of await ollama.generate({ model: "m", prompt: "x", stream: true })) {
      generated += part.response;
    }
    assert.equal(generated, fixed);

    const whole = await ollama.chat({ model: "m", messages: [{ role: "user", content: "hi" }] });
    assert.equal(whole.message.content, fixed);

    const calls = [];
    for await (
      const part of await ollama.chat({
        model: "m",
        messages: [{ role: "user", content: "read" }],
        tools,
        stream: true,
      })
    ) calls.push(...(part.message.tool_calls ?? []));
    assert.deepEqual(calls, [{ function: { name: "read_file", arguments: { path: "a.ts" } } }]);
  });
});

Deno.test("tool calls written as text reach both clients as structured calls", async () => {
  await withProxy(async (url, proxy) => {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "none", maxRetries: 0 });
    const runner = client.chat.completions.stream({
      model: "m",
      messages: [{ role: "user", content: "call it as text" }],
      tools,
    });
    const done = await runner.finalChatCompletion();
    const message = done.choices[0]?.message;
    assert.equal(message?.content, "Reading. ");
    const call = message?.tool_calls?.[0];
    assert.ok(call && call.type === "function");
    assert.equal(call.function.name, "read_file");
    assert.deepEqual(JSON.parse(call.function.arguments), { path: "a.ts" });
    assert.match(call.id, /^call_/);
    assert.equal(done.choices[0]?.finish_reason, "tool_calls");

    const ollama = new Ollama({ host: url });
    let content = "";
    const calls = [];
    for await (
      const part of await ollama.chat({
        model: "m",
        messages: [{ role: "user", content: "call it as text" }],
        tools,
        stream: true,
      })
    ) {
      content += part.message.content;
      calls.push(...(part.message.tool_calls ?? []));
    }
    assert.equal(content, "Reading. ");
    assert.deepEqual(calls, [{ function: { name: "read_file", arguments: { path: "a.ts" } } }]);
    const types = proxy.store.list({}).map((r) => r.type);
    assert.ok(types.includes("text_tool_call"), types.join());
  });
});
