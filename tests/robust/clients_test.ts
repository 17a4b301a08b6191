import assert from "node:assert/strict";
import { startProxy } from "../helpers.ts";
import { chunkedBody, ollamaChatLines, startFakeUpstream } from "../fake_upstream.ts";

const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 50 ms for up to `ms`; its last value. */
async function eventually<T>(check: () => T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  let v = check();
  for (let waited = 0; !ok(v) && waited < ms; waited += 50) {
    await sleep(50);
    v = check();
  }
  return v;
}

/** Reads a whole small JSON response from `conn` (until its body's closing brace). */
async function readResponse(conn: Deno.Conn): Promise<string> {
  const buf = new Uint8Array(65536);
  let out = "";
  while (!/\r\n\r\n[\s\S]*\}$/.test(out) && out.length < 65536) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) return out;
    out += new TextDecoder().decode(buf.subarray(0, n));
  }
  return out;
}

Deno.test("slow bodies: 4 clients sending 1 byte per 200 ms get 408 after --body-timeout and free their slots", async () => {
  const up = await startFakeUpstream();
  const proxy = await startProxy(up.url, { bodyTimeout: 600, maxConnections: 4 });
  const port = new URL(proxy.url).port;
  try {
    const conns = await Promise.all(
      Array.from({ length: 4 }, () => Deno.connect({ hostname: "127.0.0.1", port: +port })),
    );
    for (const c of conns) {
      await c.write(enc.encode(
        `POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
          `content-length: 1000\r\n\r\n{`,
      ));
    }
    const answers = conns.map(readResponse);
    const dripping = (async () => {
      for (let i = 0; i < 15; i++) {
        await sleep(200);
        for (const c of conns) await c.write(enc.encode(" ")).catch(() => {});
      }
    })();
    assert.equal(await eventually(() => proxy.live.active, (n) => n === 4, 2000), 4);
    const full = await fetch(`${proxy.url}/api/tags`);
    assert.equal(full.status, 503);
    assert.equal(full.headers.get("retry-after"), "1");
    await full.text();
    const texts = await Promise.all(answers);
    for (const t of texts) assert.match(t, /^HTTP\/1\.1 408 /);
    assert.match(texts[0]!, /not received within 600 ms \(--body-timeout\)/);
    assert.equal(proxy.live.active, 0);
    const after = await fetch(`${proxy.url}/hotpatch/api/stats`);
    assert.equal(after.status, 200);
    await after.body?.cancel();
    await dripping;
    for (const c of conns) c.close();
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("never-reading client: a stream it stops taking is closed after --send-timeout, upstream aborted, slot freed", async () => {
  let cancelled = 0;
  // An endless stream of 4 KiB lines (bounded at 200,000 lines = ~800 MB).
  const piece = "x".repeat(4000);
  const lines = ollamaChatLines(Array.from({ length: 200_000 }, () => piece));
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(lines, { onCancel: () => cancelled++ }), {
      headers: { "content-type": "application/x-ndjson" },
    })
  );
  const proxy = await startProxy(up.url, { sendTimeout: 300, mode: "off" });
  const port = new URL(proxy.url).port;
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: +port });
  try {
    const body = JSON.stringify({ model: "m", messages: [], stream: true });
    await conn.write(enc.encode(
      `POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
        `content-length: ${body.length}\r\n\r\n${body}`,
    ));
    assert.equal(await eventually(() => proxy.live.active, (n) => n === 1, 2000), 1);
    // The client reads nothing: once the socket buffers fill, the stream stalls and is ended.
    assert.equal(await eventually(() => cancelled, (n) => n === 1, 20_000), 1);
    assert.equal(await eventually(() => proxy.live.active, (n) => n === 0, 2000), 0);
    const next = await fetch(`${proxy.url}/hotpatch/api/stats`);
    assert.equal(next.status, 200);
    await next.body?.cancel();
  } finally {
    conn.close();
    await proxy.close();
    await up.close();
  }
});

Deno.test("hostile admin requests on a real socket: rebinding Host 403, slow admin body 408, rules untouched", async () => {
  const proxy = await startProxy("http://127.0.0.1:9", { bodyTimeout: 300 });
  const port = +new URL(proxy.url).port;
  const before = proxy.store.patterns.list().length;
  try {
    const rebind = await Deno.connect({ hostname: "127.0.0.1", port });
    await rebind.write(enc.encode(
      `DELETE /hotpatch/api/patterns/1 HTTP/1.1\r\nHost: rebind.evil.example:${port}\r\n\r\n`,
    ));
    assert.match(await readResponse(rebind), /^HTTP\/1\.1 403 [\s\S]*is not allowed/);
    rebind.close();
    const slow = await Deno.connect({ hostname: "127.0.0.1", port });
    await slow.write(enc.encode(
      `POST /hotpatch/api/import HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n1\r\n{\r\n`,
    ));
    assert.match(await readResponse(slow), /^HTTP\/1\.1 408 [\s\S]*--body-timeout/);
    slow.close();
    assert.equal(proxy.store.patterns.list().length, before);
  } finally {
    await proxy.close();
  }
});
