import assert from "node:assert/strict";
import { UsageError } from "../../src/command/flags.ts";
import { runDemo } from "../../src/demo/run.ts";
import { scenarioFor, SCENARIOS, startScriptedModel } from "../../src/demo/model.ts";
import { readAnswer } from "../../src/demo/answer.ts";
import { runMain } from "../helpers.ts";

Deno.test("demo --once: all six classic mistakes are corrected, each printed before/after with its reason", async () => {
  let out = "";
  const io = { stdout: (s: string) => void (out += s), stderr: () => {}, env: {} };
  assert.equal(await runDemo(["--once"], io), 0);
  assert.equal(SCENARIOS.length, 6);
  assert.equal(out.match(/the model sent:/g)?.length, 6);
  assert.equal(out.match(/the agent got:/g)?.length, 6);
  for (
    const [type, action] of [
      ["template_leak", "ended"],
      ["misspelled_tool", "corrected"],
      ["invalid_path", "corrected"],
      ["think_leak", "moved"],
      ["repetition_loop", "ended"],
      ["malformed_arguments", "corrected"],
    ]
  ) assert.match(out, new RegExp(`\\n  ${action} ${type}: .*\\n    why: \\S`), type);
  assert.match(out, /"All 12 tests pass\."\n/);
  assert.match(out, /tool call: read_file\(\{"path":"src\/main.ts"\}\)/);
  assert.match(out, /"The component is defined in src\/App.tsx, next to src\/main.ts."/);
  assert.match(out, /Dashboard: http:\/\/127\.0\.0\.1:\d+\/hotpatch\//);
});

Deno.test("demo: a bad --port is a usage error naming the value", async () => {
  const io = { stdout: () => {}, stderr: () => {}, env: {} };
  await assert.rejects(
    runDemo(["--port", "99999"], io),
    (e) => e instanceof UsageError && /--port "99999"/.test(e.message),
  );
  await assert.rejects(runDemo(["--bogus"], io), UsageError);
});

Deno.test("demo on a port in use exits 1 with one line saying so, no stack trace", async () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (busy.addr as Deno.NetAddr).port;
    const r = await runMain(["demo", "--once", "--port", String(port)]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^hotpatch demo: Cannot start on 127\\.0\\.0\\.1:${port}: `));
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  } finally {
    busy.close();
  }
});

Deno.test("scripted model: answers each scenario the same, streamed or whole, on both protocols", async () => {
  const model = await startScriptedModel({ delayMs: 0 });
  try {
    for (const s of SCENARIOS) {
      const answers = [];
      for (const stream of [true, false]) {
        const res = await fetch(model.url + s.path, {
          method: "POST",
          body: JSON.stringify({ stream, messages: [{ role: "user", content: s.id }] }),
        });
        const kind = s.path === "/api/chat" ? "ollama_chat" : "openai_chat";
        answers.push(readAnswer(kind, await res.text(), stream));
      }
      assert.deepEqual(answers[0], answers[1], s.id);
      assert.equal(answers[0]!.content, s.content);
    }
    assert.equal(scenarioFor({ messages: [{ role: "user", content: "hi" }] }).id, "plain");
  } finally {
    await model.close();
  }
});
