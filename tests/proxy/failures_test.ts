import assert from "node:assert/strict";
import { chunkedBody, ollamaChatLines, startFakeUpstream } from "../fake_upstream.ts";
import { startProxy } from "../helpers.ts";

/** A loopback port with nothing listening on it. */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("upstream unreachable: 502 in each protocol's shape, and the next request works once it is back", async () => {
  const port = freePort();
  const proxy = await startProxy(`http://127.0.0.1:${port}`);
  try {
    const o = await fetch(proxy.url + "/api/chat", { method: "POST", body: "{}" });
    assert.equal(o.status, 502);
    assert.match((await o.json()).error, /is unreachable/);
    assert.match(o.headers.get("x-hotpatch-request-id") ?? "", /^[0-9a-f-]{36}$/);
    const v = await fetch(proxy.url + "/v1/chat/completions", { method: "POST", body: "{}" });
    const vb = await v.json();
    assert.equal(v.status, 502);
    assert.deepEqual(Object.keys(vb.error).sort(), ["code", "message", "param", "type"]);
    assert.equal(vb.error.code, "upstream_unreachable");
    const l = await fetch(proxy.url + "/completion", { method: "POST", body: "{}" });
    const lb = await l.json();
    assert.equal(lb.error.code, 502);
    assert.equal(lb.error.type, "server_error");

    const server = Deno.serve(
      { hostname: "127.0.0.1", port, onListen() {} },
      () => new Response('{"models":[]}', { headers: { "content-type": "application/json" } }),
    );
    try {
      const back = await fetch(proxy.url + "/api/tags");
      assert.equal(back.status, 200);
      assert.equal(await back.text(), '{"models":[]}');
    } finally {
      await server.shutdown();
    }
  } finally {
    await proxy.close();
  }
});

Deno.test("upstream slower than --upstream-timeout to first byte: 504", async () => {
  const up = await startFakeUpstream(async () => {
    await new Promise((r) => setTimeout(r, 600));
    return new Response("late");
  });
  const proxy = await startProxy(up.url, { upstreamTimeout: 100 });
  try {
    const res = await fetch(proxy.url + "/v1/models");
    assert.equal(res.status, 504);
    assert.match((await res.json()).error.message, /sent no response within 100 ms/);
  } finally {
    await proxy.close();
    await new Promise((r) => setTimeout(r, 650));
    await up.close();
  }
});

Deno.test("more concurrent requests than --max-connections: 503", async () => {
  const lines = ollamaChatLines(["a", "b", "c"]);
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(lines, { delayMs: 150 }), {
      headers: { "content-type": "application/x-ndjson" },
    })
  );
  const proxy = await startProxy(up.url, { maxConnections: 1 });
  try {
    const first = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      headers: { "x-hotpatch-mode": "off" },
      body: "{}",
    });
    const second = await fetch(proxy.url + "/api/chat", { method: "POST", body: "{}" });
    assert.equal(second.status, 503);
    assert.match((await second.json()).error, /Too many connections/);
    assert.equal(await first.text(), lines.join(""));
    const third = await fetch(proxy.url + "/api/tags");
    assert.equal(third.status, 200);
    await third.body?.cancel();
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("upstream dies mid-stream: the client gets a final error frame and a clean end", async (t) => {
  const lines = ollamaChatLines(["one", " two", " three"]);
  const up = await startFakeUpstream((_req, seen) => {
    const sse = seen.path !== "/api/chat";
    const frames = sse ? ['data: {"choices":[{"delta":{"content":"x"}}]}\n\n'] : lines;
    return new Response(chunkedBody(frames, { failAfter: 1 }), {
      headers: { "content-type": sse ? "text/event-stream" : "application/x-ndjson" },
    });
  });
  const proxy = await startProxy(up.url);
  const off = { "x-hotpatch-mode": "off" };
  try {
    await t.step("ollama NDJSON", async () => {
      const res = await fetch(proxy.url + "/api/chat", {
        method: "POST",
        headers: off,
        body: "{}",
      });
      const text = await res.text();
      const last = JSON.parse(text.trim().split("\n").at(-1)!);
      assert.equal(text.startsWith(lines[0]!), true);
      assert.match(last.error, /Upstream stream failed/);
    });
    await t.step("openai SSE", async () => {
      const res = await fetch(proxy.url + "/v1/chat/completions", {
        method: "POST",
        headers: off,
        body: "{}",
      });
      const events = (await res.text()).split("\n\n").filter(Boolean);
      const last = JSON.parse(events.at(-1)!.replace(/^data: /, ""));
      assert.equal(last.error.code, "upstream_stream_error");
      assert.equal(typeof last.error.message, "string");
    });
    await t.step("llama.cpp SSE", async () => {
      const res = await fetch(proxy.url + "/completion", {
        method: "POST",
        headers: off,
        body: "{}",
      });
      const events = (await res.text()).split("\n\n").filter(Boolean);
      const last = JSON.parse(events.at(-1)!.replace(/^data: /, ""));
      assert.equal(last.error.code, 502);
    });
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("an upstream that goes quiet mid-stream longer than the idle timeout ends the stream with an error frame", async () => {
  let cancelled = 0;
  const up = await startFakeUpstream(() =>
    new Response(
      chunkedBody(ollamaChatLines(["a", "b"]), { delayMs: 1000, onCancel: () => cancelled++ }),
      { headers: { "content-type": "application/x-ndjson" } },
    )
  );
  const proxy = await startProxy(up.url, { upstreamTimeout: 150 });
  try {
    const res = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      headers: { "x-hotpatch-mode": "off" },
      body: "{}",
    });
    const lines = (await res.text()).trim().split("\n");
    assert.equal(lines.length, 2);
    assert.match(JSON.parse(lines[1]!).error, /stopped sending for more than 150 ms/);
  } finally {
    await proxy.close();
    await new Promise((r) => setTimeout(r, 1000));
    await up.close();
  }
});

Deno.test("health reports the upstream live: reachable with latency, or not", async () => {
  const up = await startFakeUpstream();
  const proxy = await startProxy(up.url);
  const down = await startProxy(`http://127.0.0.1:${freePort()}`);
  try {
    const h = await (await fetch(proxy.url + "/hotpatch/health")).json();
    assert.equal(h.status, "ok");
    assert.equal(h.mode, "correct");
    assert.equal(h.upstream.url, up.url);
    assert.equal(h.upstream.reachable, true);
    assert.equal(typeof h.upstream.latencyMs, "number");
    assert.equal(typeof h.uptimeMs, "number");
    assert.match(h.version, /^\d+\.\d+\.\d+/);
    const d = await (await fetch(down.url + "/hotpatch/health")).json();
    assert.equal(d.upstream.reachable, false);
    assert.equal(d.upstream.latencyMs, null);
  } finally {
    await proxy.close();
    await down.close();
    await up.close();
  }
});

Deno.test("an invalid x-hotpatch-mode header is a protocol-shaped 400", async () => {
  const up = await startFakeUpstream();
  const proxy = await startProxy(up.url);
  try {
    const res = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      headers: { "x-hotpatch-mode": "fix-everything" },
      body: "{}",
    });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error, /Invalid x-hotpatch-mode "fix-everything"/);
    assert.equal(up.seen.length, 0);
  } finally {
    await proxy.close();
    await up.close();
  }
});

/** A raw HTTP/1.1 upstream that declares `length` bytes of JSON, sends `sent`, then waits or closes. */
function brokenLengthUpstream(length: number, sent: string, closeAfterMs: number) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      const head = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n` +
        `content-length: ${length}\r\n\r\n`;
      await conn.read(new Uint8Array(65536));
      await conn.write(new TextEncoder().encode(head + sent));
      setTimeout(() => conn.close(), closeAfterMs);
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    close: () => {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
    },
  };
}

Deno.test("a non-streaming body that ends early or goes quiet is a protocol-shaped 502, and the slot is freed", async (t) => {
  for (
    const [name, closeAfterMs] of [["cut short", 10], [
      "quiet past the idle timeout",
      1500,
    ]] as const
  ) {
    await t.step(name, async () => {
      const up = brokenLengthUpstream(100, '{"models":[', closeAfterMs);
      const proxy = await startProxy(up.url, { upstreamTimeout: 200, maxConnections: 1 });
      try {
        for (const path of ["/api/tags", "/api/chat"]) {
          const res = await fetch(proxy.url + path, {
            method: path === "/api/chat" ? "POST" : "GET",
            ...(path === "/api/chat" ? { body: "{}" } : {}),
          });
          assert.equal(res.status, 502);
          assert.equal(typeof (await res.json()).error, "string");
        }
        assert.equal(proxy.live.active, 0);
      } finally {
        await proxy.close();
        up.close();
      }
    });
  }
});
