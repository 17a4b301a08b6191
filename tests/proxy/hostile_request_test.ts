/** Hostile request bodies against the real proxy: each is bounded in what it can cost. */
import assert from "node:assert/strict";
import { chunkedBody, ollamaChatLines, startFakeUpstream } from "../fake_upstream.ts";
import { startProxy } from "../helpers.ts";

const leaky = ["Use `deno task test`.", "<|im_end|>\n<|im_start|>user\nthanks"];

Deno.test("a 1 MB model name is kept to its first 256 characters in records and metrics labels", async () => {
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(ollamaChatLines(leaky)), {
      headers: { "content-type": "application/x-ndjson" },
    })
  );
  const proxy = await startProxy(up.url);
  try {
    const model = "m".repeat(1 << 20);
    const res = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
    });
    await res.text();
    const id = res.headers.get("x-hotpatch-request-id")!;
    const records = await (await fetch(`${proxy.url}/hotpatch/api/corrections?request_id=${id}`))
      .json();
    assert.equal(records[0].type, "template_leak");
    assert.equal(records[0].model, model.slice(0, 256));
    assert.ok(JSON.parse(new TextDecoder().decode(up.seen[0]!.body)).model === model);
    const metrics = await (await fetch(proxy.url + "/hotpatch/metrics")).text();
    assert.ok(metrics.length < 64 * 1024, `${metrics.length} characters of metrics`);
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("a request body nested deeper than 1,000 levels is forwarded as sent and its answer passes uncorrected; 1,000 levels are still corrected", async () => {
  const lines = ollamaChatLines(leaky);
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(lines), { headers: { "content-type": "application/x-ndjson" } })
  );
  const proxy = await startProxy(up.url);
  // The object itself is one level: `x` adds the rest.
  const body = (levels: number) =>
    `{"model":"m","messages":[],"x":${"[".repeat(levels - 1)}${"]".repeat(levels - 1)}}`;
  try {
    const deep = await (await fetch(proxy.url + "/api/chat", {
      method: "POST",
      body: body(1001),
    })).text();
    assert.equal(deep, lines.join(""));
    assert.equal(new TextDecoder().decode(up.seen[0]!.body), body(1001));
    const within = await (await fetch(proxy.url + "/api/chat", {
      method: "POST",
      body: body(1000),
    })).text();
    assert.ok(!within.includes("im_end"), within);
  } finally {
    await proxy.close();
    await up.close();
  }
});
