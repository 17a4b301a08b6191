import assert from "node:assert/strict";
import {
  chunkedBody,
  fixtureText,
  ollamaChatLines,
  sseEvents,
  startFakeUpstream,
} from "../fake_upstream.ts";
import { chunksOf, startProxy } from "../helpers.ts";

const off = { "x-hotpatch-mode": "off" };

Deno.test("streaming SSE recordings pass through byte for byte", async (t) => {
  const up = await startFakeUpstream();
  const proxy = await startProxy(up.url);
  try {
    for (
      const [path, file, body] of [
        ["/v1/chat/completions", "chat-stream.sse", { stream: true }],
        ["/v1/chat/completions", "chat-stream-usage.sse", {
          stream: true,
          stream_options: { include_usage: true },
        }],
        ["/v1/completions", "v1-completions-stream.sse", { stream: true }],
        ["/completion", "completion-stream.sse", { stream: true }],
      ] as const
    ) {
      await t.step(`${path} (${file})`, async () => {
        const res = await fetch(proxy.url + path, {
          method: "POST",
          headers: { "content-type": "application/json", ...off },
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("content-type"), "text/event-stream");
        assert.equal(res.headers.get("x-accel-buffering"), "no");
        assert.match(res.headers.get("x-hotpatch-request-id") ?? "", /^[0-9a-f-]{36}$/);
        assert.equal(await res.text(), fixtureText(file));
      });
    }
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("non-streaming JSON and Ollama NDJSON pass through unchanged", async () => {
  const up = await startFakeUpstream();
  const proxy = await startProxy(up.url);
  try {
    const chat = await fetch(proxy.url + "/v1/chat/completions", {
      method: "POST",
      headers: off,
      body: JSON.stringify({ stream: false }),
    });
    assert.equal(await chat.text(), fixtureText("chat.json"));
    const nd = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      headers: off,
      body: JSON.stringify({ model: "m" }),
    });
    assert.equal(nd.headers.get("content-type"), "application/x-ndjson");
    assert.equal(
      await nd.text(),
      ollamaChatLines(["Hello", " from", " a", " fake", " model."]).join(""),
    );
    const models = await fetch(proxy.url + "/v1/models");
    assert.equal(await models.text(), fixtureText("models.json"));
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("each upstream chunk reaches the client before the next one is produced", async () => {
  const gates: Array<() => void> = [];
  const up = await startFakeUpstream(() => {
    const enc = new TextEncoder();
    let i = 0;
    return new Response(
      new ReadableStream<Uint8Array>({
        async pull(ctrl) {
          if (i === 5) return ctrl.close();
          if (i > 0) await new Promise<void>((r) => gates.push(r));
          ctrl.enqueue(enc.encode(`{"n":${i++}}\n`));
        },
      }, { highWaterMark: 0 }),
      { headers: { "content-type": "application/x-ndjson" } },
    );
  });
  const proxy = await startProxy(up.url);
  try {
    const res = await fetch(proxy.url + "/api/tags");
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    for (let n = 0; n < 5; n++) {
      const { value } = await reader.read();
      assert.equal(dec.decode(value), `{"n":${n}}\n`);
      // Only now may the upstream produce the next chunk: nothing was buffered whole.
      while (n < 4 && gates.length === 0) await new Promise((r) => setTimeout(r, 1));
      gates.shift()?.();
    }
    assert.equal((await reader.read()).done, true);
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("method, path, query, headers and body reach the upstream; hop-by-hop headers do not", async () => {
  const up = await startFakeUpstream(() =>
    new Response("created", {
      status: 201,
      headers: { "x-upstream": "yes", "keep-alive": "timeout=5", "content-type": "text/plain" },
    })
  );
  const proxy = await startProxy(up.url);
  try {
    const res = await fetch(proxy.url + "/api/pull?insecure=true&x=%20y", {
      method: "PUT",
      headers: {
        "x-custom": "kept",
        authorization: "Bearer abc",
        "proxy-authorization": "secret",
        te: "trailers",
        "x-hotpatch-mode": "off",
      },
      body: "payload",
    });
    assert.equal(res.status, 201);
    assert.equal(await res.text(), "created");
    assert.equal(res.headers.get("x-upstream"), "yes");
    assert.equal(res.headers.get("keep-alive"), null);
    const seen = up.seen[0]!;
    assert.equal(seen.method, "PUT");
    assert.equal(seen.path, "/api/pull");
    assert.equal(seen.search, "?insecure=true&x=%20y");
    assert.equal(seen.headers.get("x-custom"), "kept");
    assert.equal(seen.headers.get("authorization"), "Bearer abc");
    assert.equal(seen.headers.get("proxy-authorization"), null);
    assert.equal(seen.headers.get("x-hotpatch-mode"), null);
    assert.equal(new TextDecoder().decode(seen.body), "payload");
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("upstream error statuses and bodies pass through", async () => {
  const up = await startFakeUpstream();
  const proxy = await startProxy(up.url);
  try {
    const res = await fetch(proxy.url + "/nope");
    assert.equal(res.status, 404);
    assert.equal(await res.text(), fixtureText("error-404.json"));
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("a 5 MB body arrives intact; a body over --max-body gets a protocol-shaped 413", async () => {
  const up = await startFakeUpstream((_req, seen) => new Response(String(seen.body.byteLength)));
  const proxy = await startProxy(up.url, { maxBody: 6_000_000 });
  try {
    const big = new Uint8Array(5_000_000).map((_, i) => i % 251);
    const ok = await fetch(proxy.url + "/api/embed", { method: "POST", headers: off, body: big });
    assert.equal(await ok.text(), "5000000");
    const digest = async (b: Uint8Array<ArrayBuffer>) =>
      new Uint8Array(await crypto.subtle.digest("SHA-256", b)).join(",");
    assert.equal(await digest(up.seen[0]!.body), await digest(big));

    const tooBig = new Uint8Array(6_000_001);
    const o = await fetch(proxy.url + "/api/chat", { method: "POST", body: tooBig });
    assert.equal(o.status, 413);
    assert.match((await o.json()).error, /over the limit of 6000000 bytes/);
    const v = await fetch(proxy.url + "/v1/chat/completions", { method: "POST", body: tooBig });
    assert.equal(v.status, 413);
    const vb = await v.json();
    assert.equal(vb.error.code, "request_too_large");
    assert.equal(vb.error.type, "invalid_request_error");
    const l = await fetch(proxy.url + "/completion", { method: "POST", body: tooBig });
    assert.equal((await l.json()).error.code, 413);
    assert.equal(up.seen.length, 1);
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("a client that disconnects mid-stream aborts the upstream request", async () => {
  let cancelled = 0;
  const lines = ollamaChatLines(Array.from({ length: 200 }, (_, i) => `tok${i} `));
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(lines, { delayMs: 20, onCancel: () => cancelled++ }), {
      headers: { "content-type": "application/x-ndjson" },
    })
  );
  const proxy = await startProxy(up.url);
  try {
    const res = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      headers: off,
      body: "{}",
    });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    for (let i = 0; i < 100 && cancelled === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(cancelled, 1);
    for (let i = 0; i < 50 && proxy.live.active > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(proxy.live.active, 0);
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("SSE events split across arbitrary upstream reads still pass through exactly", async () => {
  const text = fixtureText("chat-stream.sse");
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += 7) pieces.push(text.slice(i, i + 7));
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(pieces), { headers: { "content-type": "text/event-stream" } })
  );
  const proxy = await startProxy(up.url);
  try {
    const res = await fetch(proxy.url + "/v1/chat/completions", {
      method: "POST",
      headers: off,
      body: "{}",
    });
    assert.equal((await chunksOf(res)).join(""), text);
    assert.equal(sseEvents(text).length > 10, true);
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("keep-alive: sequential requests reuse one upstream connection", async () => {
  const up = await startFakeUpstream();
  const proxy = await startProxy(up.url);
  try {
    for (let i = 0; i < 3; i++) await (await fetch(proxy.url + "/v1/models")).text();
    const ports = new Set(up.seen.map((s) => s.remotePort));
    assert.equal(up.seen.length, 3);
    assert.equal(ports.size, 1);
  } finally {
    await proxy.close();
    await up.close();
  }
});
