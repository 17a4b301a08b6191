import assert from "node:assert/strict";
import { chunkedBody, ollamaChatLines, startFakeUpstream } from "./fake_upstream.ts";
import { startProxy } from "./helpers.ts";

function contentOf(ndjson: string): string {
  return ndjson.trim().split("\n").map((l) => JSON.parse(l).message?.content ?? "").join("");
}

const leaky = ["Use `deno task test`.", "<|im_", "end|>\n<|im_start|>user\nthanks", "!"];

Deno.test("correct mode cuts a leaked end-of-turn and its fake next turn; the log has it by request id", async () => {
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(ollamaChatLines(leaky)), {
      headers: { "content-type": "application/x-ndjson" },
    })
  );
  const proxy = await startProxy(up.url);
  try {
    const res = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      body: JSON.stringify({ model: "qwen2.5-coder", messages: [{ role: "user", content: "hi" }] }),
    });
    const text = await res.text();
    assert.equal(contentOf(text), "Use `deno task test`.");
    const last = JSON.parse(text.trim().split("\n").at(-1)!);
    assert.equal(last.done, true);
    assert.equal(last.done_reason, "stop");
    const id = res.headers.get("x-hotpatch-request-id")!;
    const log = await (await fetch(`${proxy.url}/hotpatch/api/corrections?request_id=${id}`))
      .json();
    assert.equal(log.length >= 1, true);
    assert.equal(log[0].type, "template_leak");
    assert.equal(log[0].requestId, id);
    assert.equal(log[0].protocol, "ollama");
    assert.equal(log[0].model, "qwen2.5-coder");
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("detect mode (per-request header) leaves the bytes identical and still records the detection", async () => {
  const lines = ollamaChatLines(leaky);
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(lines), { headers: { "content-type": "application/x-ndjson" } })
  );
  const proxy = await startProxy(up.url);
  try {
    const res = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      headers: { "x-hotpatch-mode": "detect" },
      body: JSON.stringify({ model: "m", messages: [] }),
    });
    assert.equal(await res.text(), lines.join(""));
    const id = res.headers.get("x-hotpatch-request-id")!;
    const log = await (await fetch(`${proxy.url}/hotpatch/api/corrections?request_id=${id}`))
      .json();
    assert.equal(log[0].type, "template_leak");
    assert.equal(log[0].action, "detected");
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("hot patching: a pattern added through the admin API fixes the very next response", async () => {
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(ollamaChatLines(["Run `npm inst", "all left-pad` now."])), {
      headers: { "content-type": "application/x-ndjson" },
    })
  );
  const proxy = await startProxy(up.url);
  const ask = async () =>
    contentOf(
      await (await fetch(proxy.url + "/api/chat", {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [] }),
      })).text(),
    );
  try {
    assert.equal(await ask(), "Run `npm install left-pad` now.");
    const created = await fetch(proxy.url + "/hotpatch/api/patterns", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ match: "now.", replacement: "today." }),
    });
    assert.equal(created.status, 201);
    assert.equal(await ask(), "Run `npm install left-pad` today.");
    const { id } = await created.json();
    const rule = await (await fetch(`${proxy.url}/hotpatch/api/patterns/${id}`)).json();
    assert.equal(rule.hitCount, 1);
    const stats = await (await fetch(proxy.url + "/hotpatch/api/stats")).json();
    assert.equal(stats.requestsProcessed >= 2, true);
    assert.equal(stats.hotPatchingEnabled, true);
    assert.equal(stats.ggufEndpoint, up.url);
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("a prompt_modifier behavior patch shows in the request sent upstream", async () => {
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(ollamaChatLines(["ok"])), {
      headers: { "content-type": "application/x-ndjson" },
    })
  );
  const proxy = await startProxy(up.url);
  try {
    const created = await fetch(proxy.url + "/hotpatch/api/behavior-patches", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        description: "cool qwen down",
        kind: "prompt_modifier",
        model: "qwen*",
        payload: { options: { temperature: 0.1 } },
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    await (await fetch(proxy.url + "/api/chat", {
      method: "POST",
      body: JSON.stringify({ model: "qwen3:8b", messages: [] }),
    })).text();
    await (await fetch(proxy.url + "/api/chat", {
      method: "POST",
      body: JSON.stringify({ model: "llama3", messages: [] }),
    })).text();
    const sent = up.seen.map((s) => JSON.parse(new TextDecoder().decode(s.body)));
    assert.equal(sent[0].options.temperature, 0.1);
    assert.equal(sent[1].options, undefined);
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("admin API needs the bearer token when --admin-token is set; the proxy does not", async () => {
  const up = await startFakeUpstream();
  const proxy = await startProxy(up.url, { adminToken: "s3cret" });
  try {
    assert.equal((await fetch(proxy.url + "/hotpatch/api/stats")).status, 401);
    const ok = await fetch(proxy.url + "/hotpatch/api/stats", {
      headers: { authorization: "Bearer s3cret" },
    });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    const models = await fetch(proxy.url + "/v1/models");
    assert.equal(models.status, 200);
    await models.body?.cancel();
  } finally {
    await proxy.close();
    await up.close();
  }
});
