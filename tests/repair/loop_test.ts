import assert from "node:assert/strict";
import { argumentsKey, pastCalls, repeatedCall } from "../../src/repair/loop.ts";
import { adapterFor } from "../../src/protocols/mod.ts";
import { run } from "../intercept/harness.ts";
import { startFakeUpstream } from "../fake_upstream.ts";
import { startProxy } from "../helpers.ts";

const read = (path: string, id?: string) => ({
  ...(id === undefined ? {} : { id, type: "function" }),
  function: { name: "read_file", arguments: JSON.stringify({ path }) },
});

/** An OpenAI history: `n` rounds of the same read and the same result. */
function openaiHistory(n: number, result = "export const a = 1;") {
  const messages: unknown[] = [{ role: "user", content: "fix a.ts" }];
  for (let i = 0; i < n; i++) {
    messages.push({ role: "assistant", content: null, tool_calls: [read("src/a.ts", `c${i}`)] });
    messages.push({ role: "tool", tool_call_id: `c${i}`, content: result });
  }
  return { model: "m", messages };
}

Deno.test("tool_call_loop: history calls are read with their results (OpenAI ids, Ollama order)", () => {
  assert.deepEqual(pastCalls(openaiHistory(2)).map((c) => [c.name, c.result]), [
    ["read_file", "export const a = 1;"],
    ["read_file", "export const a = 1;"],
  ]);
  const ollama = {
    messages: [
      {
        role: "assistant",
        tool_calls: [{ function: { name: "ls", arguments: { b: 1, a: 2 } } }, read("x.ts")],
      },
      { role: "tool", content: "a.ts" },
      { role: "tool", content: [{ type: "text", text: "x" }] },
    ],
  };
  assert.deepEqual(pastCalls(ollama), [
    { name: "ls", key: '{"a":2,"b":1}', result: "a.ts" },
    { name: "read_file", key: '{"path":"x.ts"}', result: "x" },
  ]);
  assert.equal(argumentsKey('{"b": 1, "a": 2}'), argumentsKey({ a: 2, b: 1 }));
});

Deno.test("tool_call_loop: the same call with the same result N times flags the next one", () => {
  const call = { index: 0, name: "read_file", arguments: '{"path": "src/a.ts"}' };
  const d = repeatedCall(call, pastCalls(openaiHistory(3)), 3);
  assert.equal(d?.type, "tool_call_loop");
  assert.match(d?.replacement ?? "", /already called `read_file`/);
  assert.equal(repeatedCall(call, pastCalls(openaiHistory(2)), 3), null);
  assert.notEqual(repeatedCall(call, pastCalls(openaiHistory(2)), 2), null);
});

Deno.test("tool_call_loop: other arguments, another result or no result is no loop", () => {
  const other = { index: 0, name: "read_file", arguments: '{"path": "src/b.ts"}' };
  assert.equal(repeatedCall(other, pastCalls(openaiHistory(5)), 3), null);
  const history = pastCalls(openaiHistory(3));
  history[2]!.result = "changed";
  const same = { index: 0, name: "read_file", arguments: '{"path":"src/a.ts"}' };
  assert.equal(repeatedCall(same, history, 3), null);
  history[2]!.result = null;
  assert.equal(repeatedCall(same, history, 3), null);
});

const tools = [{
  type: "function",
  function: { name: "read_file", parameters: { type: "object", properties: { path: {} } } },
}];
const ollamaHead = '"model":"m","created_at":"2026-12-04T10:00:00Z"';
const ollamaCall = `{${ollamaHead},"message":{"role":"assistant","content":"","tool_calls":[` +
  `{"function":{"name":"read_file","arguments":{"path":"src/a.ts"}}}]},"done":false}\n` +
  `{${ollamaHead},"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}\n`;

Deno.test("tool_call_loop: in a stream the repeated call becomes a short text answer", async () => {
  const body = { ...openaiHistory(3), stream: true, tools };
  const r = await run("ollama_chat", [new TextEncoder().encode(ollamaCall)], { body });
  const calls = r.chunks.flatMap((c) =>
    adapterFor("ollama_chat").decode(c).filter((e) => e.kind === "tool_call")
  );
  assert.deepEqual(calls, []);
  assert.match(r.content, /already called `read_file` with these arguments 3 times/);
  assert.deepEqual(r.records.map((x) => [x.type, x.action]), [["tool_call_loop", "corrected"]]);
});

Deno.test("tool_call_loop: fewer repeats, or action detect, pass the call through", async () => {
  const few = await run("ollama_chat", [new TextEncoder().encode(ollamaCall)], {
    body: { ...openaiHistory(2), stream: true, tools },
  });
  assert.equal(few.raw, ollamaCall);
  const detect = await run("ollama_chat", [new TextEncoder().encode(ollamaCall)], {
    body: { ...openaiHistory(3), stream: true, tools },
    mode: "detect",
  });
  assert.equal(detect.raw, ollamaCall);
  assert.deepEqual(detect.records.map((x) => [x.type, x.action]), [["tool_call_loop", "detected"]]);
});

Deno.test("tool_call_loop: the proxy counts repeats up to --tool-loop-limit (2 flags the third call, the default 3 does not)", async () => {
  const up = await startFakeUpstream(() =>
    new Response(ollamaCall, { headers: { "content-type": "application/x-ndjson" } })
  );
  const body = JSON.stringify({ ...openaiHistory(2), stream: true, tools });
  const ask = async (url: string) =>
    await (await fetch(url + "/api/chat", { method: "POST", body })).text();
  const two = await startProxy(up.url, { toolLoopLimit: 2 });
  const three = await startProxy(up.url);
  try {
    assert.match(await ask(two.url), /already called `read_file` with these arguments 2 times/);
    assert.equal(await ask(three.url), ollamaCall);
  } finally {
    await two.close();
    await three.close();
    await up.close();
  }
});
