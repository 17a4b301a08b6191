import assert from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { startScriptedModel } from "../../src/demo/model.ts";
import { startProxy } from "../helpers.ts";

Deno.test("at info the proxy logs one line per correction: request id, type, action, short before → after", async () => {
  const lines: string[] = [];
  await configure({
    reset: true,
    sinks: { memory: (r: LogRecord) => void lines.push(r.message.join("")) },
    loggers: [
      { category: ["hotpatch", "corrections"], lowestLevel: "info", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "error", sinks: [] },
    ],
  });
  const model = await startScriptedModel({ delayMs: 0 });
  const proxy = await startProxy(model.url);
  try {
    const res = await fetch(proxy.url + "/v1/chat/completions", {
      method: "POST",
      body: JSON.stringify({
        model: "m",
        messages: [{ role: "user", content: "malformed_arguments" }],
        tools: [{
          type: "function",
          function: { name: "read_file", parameters: { type: "object" } },
        }],
      }),
    });
    const id = res.headers.get("x-hotpatch-request-id");
    await res.text();
    assert.deepEqual(lines, [
      `${id} malformed_arguments corrected: "{'path': 'src/main.ts',}" → "{\\"path\\":\\"src/main.ts\\"}"`,
    ]);
  } finally {
    await proxy.close();
    await model.close();
    await reset();
  }
});
