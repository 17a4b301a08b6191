import assert from "node:assert/strict";
import { offeredTools, requestedJsonFormat } from "../../src/repair/offered.ts";

const params = { type: "object", properties: { path: { type: "string" } }, required: ["path"] };

Deno.test("offeredTools reads the request's tool list in every shape", async (t) => {
  const cases: [string, unknown, unknown][] = [
    ["no body", null, []],
    ["no tools", { messages: [] }, []],
    [
      "OpenAI / Ollama tools",
      {
        tools: [{
          type: "function",
          function: { name: "read_file", description: "Read", parameters: params },
        }],
      },
      [{ name: "read_file", description: "Read", parameters: params }],
    ],
    [
      "legacy OpenAI functions",
      { functions: [{ name: "ls", parameters: params }] },
      [{ name: "ls", parameters: params }],
    ],
    [
      "entries without a name are skipped, duplicates keep the first",
      {
        tools: [{ type: "function", function: {} }, 7, { function: { name: "a" } }, {
          name: "a",
          description: "x",
        }],
      },
      [{ name: "a" }],
    ],
  ];
  for (const [name, body, expected] of cases) {
    await t.step(name, () => assert.deepEqual(offeredTools(body), expected));
  }
});

Deno.test("requestedJsonFormat finds JSON requests of Ollama, OpenAI and llama.cpp", async (t) => {
  const schema = { type: "object", properties: { a: { type: "integer" } } };
  const cases: [string, unknown, unknown][] = [
    ["nothing asked", { messages: [] }, null],
    ["Ollama format json", { format: "json" }, { schema: null }],
    ["Ollama format schema", { format: schema }, { schema }],
    ["Ollama empty format", { format: "" }, null],
    ["OpenAI json_object", { response_format: { type: "json_object" } }, { schema: null }],
    ["OpenAI text", { response_format: { type: "text" } }, null],
    [
      "OpenAI json_schema",
      { response_format: { type: "json_schema", json_schema: { name: "x", schema } } },
      { schema },
    ],
    ["llama-server json_object with schema", { response_format: { type: "json_object", schema } }, {
      schema,
    }],
    ["llama.cpp json_schema", { json_schema: schema }, { schema }],
  ];
  for (const [name, body, expected] of cases) {
    await t.step(name, () => assert.deepEqual(requestedJsonFormat(body), expected));
  }
});
