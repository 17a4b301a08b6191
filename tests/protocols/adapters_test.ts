import assert from "node:assert/strict";
import { REMOVE, setAt } from "../../src/protocols/adapter.ts";
import { llamacppCompletion } from "../../src/protocols/llamacpp/adapter.ts";
import { ollamaChat, ollamaGenerate } from "../../src/protocols/ollama/adapter.ts";
import { openaiChat, openaiCompletions } from "../../src/protocols/openai/adapter.ts";

Deno.test("setAt copies along the path only, keeps key order, removes with REMOVE", () => {
  const src = { a: 1, b: { c: 2, d: 3 }, e: [{ f: 4 }] };
  const out = setAt(src, ["b", "c"], 9);
  assert.equal(JSON.stringify(out), '{"a":1,"b":{"c":9,"d":3},"e":[{"f":4}]}');
  assert.equal(out.e, src.e);
  assert.equal(JSON.stringify(src), '{"a":1,"b":{"c":2,"d":3},"e":[{"f":4}]}');
  assert.equal(JSON.stringify(setAt(src, ["b", "c"], REMOVE)), '{"a":1,"b":{"d":3},"e":[{"f":4}]}');
});

Deno.test("openai chat: encode replaces only the text and keeps every other field in place", () => {
  const chunk = {
    choices: [{ finish_reason: null, index: 0, delta: { content: "a", extra: 1 } }],
    created: 1,
    id: "x",
    object: "chat.completion.chunk",
  };
  const out = openaiChat.encode(chunk, { content: "b", thinking: "t" });
  assert.equal(
    JSON.stringify(out),
    '{"choices":[{"finish_reason":null,"index":0,"delta":{"content":"b","extra":1,"reasoning_content":"t"}}],"created":1,"id":"x","object":"chat.completion.chunk"}',
  );
});

Deno.test("openai chat: chunks of other choices (n > 1) are not decoded", () => {
  const second = { choices: [{ index: 1, delta: { content: "x" }, finish_reason: null }] };
  assert.deepEqual(openaiChat.decode(second), []);
});

Deno.test("bare chunks may be dropped; role, usage and final chunks may not", () => {
  const text = { choices: [{ index: 0, delta: { content: "x" }, finish_reason: null }] };
  assert.equal(openaiChat.bare(text), true);
  assert.equal(openaiChat.bare(setAt(text, ["choices", 0, "delta", "role"], "assistant")), false);
  assert.equal(openaiChat.bare(setAt(text, ["choices", 0, "finish_reason"], "stop")), false);
  assert.equal(openaiChat.bare({ ...text, usage: { total_tokens: 1 } }), false);
  assert.equal(ollamaChat.bare({ message: { content: "x" }, done: false }), true);
  assert.equal(ollamaChat.bare({ message: { content: "" }, done: true }), false);
  assert.equal(llamacppCompletion.bare({ content: "x", stop: true }), false);
});

Deno.test("finish builds a final chunk with reason stop in each shape", () => {
  const t = { choices: [{ index: 0, delta: { content: "x" }, finish_reason: null }], usage: null };
  assert.deepEqual(openaiChat.decode(openaiChat.finish(t)), [{ kind: "done", reason: "stop" }]);
  const c = { choices: [{ text: "x", index: 0, finish_reason: null }] };
  assert.deepEqual(openaiCompletions.decode(openaiCompletions.finish(c)), [{
    kind: "done",
    reason: "stop",
  }]);
  const o = {
    model: "m",
    message: { role: "assistant", content: "x", thinking: "y" },
    done: false,
  };
  assert.deepEqual(ollamaChat.finish(o), {
    model: "m",
    message: { role: "assistant", content: "" },
    done: true,
    done_reason: "stop",
  });
  assert.deepEqual(ollamaGenerate.decode(ollamaGenerate.finish({ response: "x", thinking: "y" })), [
    { kind: "done", reason: "stop" },
  ]);
  assert.deepEqual(llamacppCompletion.decode(llamacppCompletion.finish({ content: "x" })), [
    { kind: "done", reason: "stop" },
  ]);
});

Deno.test("ollama: tool calls decode to text arguments and encode back to objects", () => {
  const chunk = {
    message: {
      role: "assistant",
      content: "",
      tool_calls: [{ function: { index: 0, name: "read_files", arguments: { path: "a" } } }],
    },
    done: false,
  };
  assert.deepEqual(ollamaChat.decode(chunk), [{
    kind: "tool_call",
    call: { index: 0, name: "read_files", arguments: '{"path":"a"}' },
  }]);
  const out = ollamaChat.encode(chunk, {
    toolCalls: [{ index: 0, name: "read_file", arguments: '{"path":"b"}' }],
  });
  assert.deepEqual(out.message, {
    role: "assistant",
    content: "",
    tool_calls: [{ function: { index: 0, name: "read_file", arguments: { path: "b" } } }],
  });
});

Deno.test("llama.cpp: stop types map to done reasons", () => {
  assert.deepEqual(llamacppCompletion.decode({ content: "", stop: true, stop_type: "limit" }), [{
    kind: "done",
    reason: "length",
  }]);
  assert.deepEqual(llamacppCompletion.decode({ content: "", stop: true, stop_type: "eos" }), [{
    kind: "done",
    reason: "stop",
  }]);
});
