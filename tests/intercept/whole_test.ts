import assert from "node:assert/strict";
import { getAt, type JsonObject, type Path, setAt } from "../../src/protocols/adapter.ts";
import type { RouteKind } from "../../src/protocols/routes.ts";
import { buildStream, run, splitText } from "./harness.ts";

const enc = new TextEncoder();
const fixture = new URL("../fixtures/llama-server/chat.json", import.meta.url);

const bodies: [RouteKind, JsonObject, Path][] = [
  ["openai_chat", JSON.parse(Deno.readTextFileSync(fixture)), ["choices", 0, "message", "content"]],
  ["openai_completions", {
    id: "cmpl-1",
    object: "text_completion",
    created: 1,
    model: "m",
    choices: [{ text: "", index: 0, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  }, ["choices", 0, "text"]],
  ["llamacpp_completion", {
    index: 0,
    content: "",
    tokens: [],
    id_slot: 0,
    stop: true,
    model: "m",
    stop_type: "eos",
    timings: { predicted_n: 3 },
  }, ["content"]],
  ["ollama_chat", {
    model: "m",
    created_at: "2026-11-26T20:00:00Z",
    message: { role: "assistant", content: "" },
    done_reason: "stop",
    done: true,
    total_duration: 5,
  }, ["message", "content"]],
  ["ollama_generate", {
    model: "m",
    created_at: "2026-11-26T20:00:00Z",
    response: "",
    done: true,
    done_reason: "stop",
    context: [1, 2],
  }, ["response"]],
];

for (const [kind, template, path] of bodies) {
  Deno.test(`${kind}: a non-streaming body is corrected, every other field kept in order`, async () => {
    const upstream = setAt(template, path, "Open src/wrong.ts, then src/wrong.ts again.");
    const got = await run(kind, [enc.encode(JSON.stringify(upstream))], {
      contentType: "application/json; charset=utf-8",
    });
    const expected = setAt(template, path, "Open src/right.ts, then src/right.ts again.");
    assert.equal(got.raw, JSON.stringify(expected));
    assert.equal(got.records.length, 2);
  });

  Deno.test(`${kind}: a clean non-streaming body goes out as its original bytes`, async () => {
    const text = JSON.stringify(setAt(template, path, "All fine here."), null, 1) + "\n";
    const got = await run(kind, [enc.encode(text)], { contentType: "application/json" });
    assert.equal(got.raw, text);
  });

  Deno.test(`${kind}: a leaked end-of-turn cuts a non-streaming answer`, async () => {
    const upstream = setAt(template, path, "Done.<|im_end|>\n<|im_start|>user\nthanks");
    const got = await run(kind, [enc.encode(JSON.stringify(upstream))], {
      contentType: "application/json",
    });
    assert.equal(getAt(JSON.parse(got.raw), path), "Done.");
  });
}

const think = "<think>\nLet me look at the file first.\n</think>\nThe answer is 42.";

Deno.test("think block in content moves to reasoning_content (openai) and thinking (ollama)", async () => {
  for (const kind of ["openai_chat", "ollama_chat", "ollama_generate"] as const) {
    for (let seed = 1; seed <= 30; seed++) {
      const got = await run(kind, [enc.encode(buildStream(kind, splitText(think, seed)))]);
      assert.equal(got.content, "The answer is 42.", `${kind} seed ${seed}`);
      assert.equal(got.thinking.trim(), "Let me look at the file first.", `${kind} seed ${seed}`);
    }
  }
});

Deno.test("think block in content is dropped where the protocol has no reasoning field", async () => {
  for (const kind of ["openai_completions", "llamacpp_completion"] as const) {
    const got = await run(kind, [enc.encode(buildStream(kind, splitText(think, 4)))]);
    assert.equal(got.content, "The answer is 42.");
    assert.equal(got.thinking, "");
  }
});

Deno.test("openai_chat: a non-streaming think block moves to reasoning_content", async () => {
  const [, template, path] = bodies[0]!;
  const got = await run("openai_chat", [enc.encode(JSON.stringify(setAt(template, path, think)))], {
    contentType: "application/json",
  });
  const message = getAt(JSON.parse(got.raw), ["choices", 0, "message"]) as JsonObject;
  assert.equal(message.content, "The answer is 42.");
  assert.equal(message.reasoning_content, "Let me look at the file first.");
});
