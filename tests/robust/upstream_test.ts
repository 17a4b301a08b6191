import assert from "node:assert/strict";
import { startProxy } from "../helpers.ts";
import { fixtureText, ollamaChatLines, startFakeUpstream } from "../fake_upstream.ts";
import { startHotpatch } from "./process.ts";

const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chat = JSON.stringify({ model: "m", messages: [], stream: true });

/**
 * A raw HTTP/1.1 upstream on 127.0.0.1: reads the request, then `reply` (given its path) writes
 * whatever bytes it likes; the connection closes when `reply` returns.
 */
function rawUpstream(reply: (conn: Deno.TcpConn, path: string) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.TcpConn>();
  (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      (async () => {
        await reply(conn, await readRequest(conn));
        // Half-close and wait for the peer: a plain close can drop bytes still in flight.
        await conn.closeWrite();
        await Promise.race([conn.read(new Uint8Array(1024)), sleep(2000)]);
      })().catch(() => {}).finally(() => {
        conns.delete(conn);
        try {
          conn.close();
        } catch { /* closed by the test */ }
      });
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
    },
  };
}

/** Reads a whole request (head and a content-length body) so closing never resets; its path. */
async function readRequest(conn: Deno.Conn): Promise<string> {
  const buf = new Uint8Array(65536);
  let text = "";
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) return "";
    text += new TextDecoder().decode(buf.subarray(0, n));
    const end = text.indexOf("\r\n\r\n");
    const length = Number(text.match(/content-length: *(\d+)/i)?.[1] ?? 0);
    if (end !== -1 && text.length >= end + 4 + length) return text.split(" ")[1] ?? "";
  }
}

function head(contentType: string, extra = "connection: close\r\n"): string {
  return `HTTP/1.1 200 OK\r\ncontent-type: ${contentType}\r\n${extra}\r\n`;
}

function post(url: string, mode: string, body = chat, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "x-hotpatch-mode": mode },
    body,
    ...(signal ? { signal } : {}),
  });
}

function join(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `text` as UTF-8 with each `#` replaced by the invalid bytes FF C3 (a lone lead byte). */
function withInvalid(text: string): Uint8Array<ArrayBuffer> {
  return join(
    text.split("#").flatMap((s, i) => {
      const bytes = enc.encode(s);
      return i === 0 ? [bytes] : [new Uint8Array([0xff, 0xc3]), bytes];
    }),
  );
}

const lossy = (b: Uint8Array) => new TextDecoder().decode(b);
const wellFormed = (b: Uint8Array) => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
};

Deno.test("invalid UTF-8 from the upstream: off mode sends the bytes as received; correct mode sends each frame as received or as well-formed UTF-8 with U+FFFD, the same text either way", async () => {
  const ndjson = withInvalid(ollamaChatLines(["a#b", " c#"]).join(""));
  const sse = withInvalid(
    'data: {"choices":[{"index":0,"delta":{"content":"a#b"}}]}\n\n: #\n\ndata: [DONE]\n\n',
  );
  let split = false;
  const up = await startFakeUpstream((_req, seen) => {
    const bytes = seen.path === "/api/chat" ? ndjson : sse;
    const type = seen.path === "/api/chat" ? "application/x-ndjson" : "text/event-stream";
    if (!split) return new Response(bytes, { headers: { "content-type": type } });
    let i = 0; // one byte per chunk: characters and frames cut everywhere
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (i < bytes.length) ctrl.enqueue(bytes.slice(i, ++i));
        else ctrl.close();
      },
    }, { highWaterMark: 0 });
    return new Response(body, { headers: { "content-type": type } });
  });
  const proxy = await startProxy(up.url);
  try {
    for (split of [false, true]) {
      for (const [path, sent] of [["/api/chat", ndjson], ["/v1/chat/completions", sse]] as const) {
        const off = new Uint8Array(await (await post(proxy.url + path, "off")).arrayBuffer());
        assert.deepEqual(off, sent, `${path} off split=${split}`);
        const res = await post(proxy.url + path, "correct");
        assert.equal(res.status, 200);
        const got = new Uint8Array(await res.arrayBuffer());
        assert.equal(lossy(got), lossy(sent), `${path} correct split=${split}`);
        assert.equal(lossy(got).split("\uFFFD").length - 1, 4); // two per FF C3
        assert.ok(got.length === sent.length || wellFormed(got), `${path} ${got.length} bytes`);
      }
    }
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("a recording sent byte by byte (one TCP write per byte) reaches the client exactly as sent whole, SSE and NDJSON", async () => {
  const sse = fixtureText("chat-stream.sse");
  const ndjson = ollamaChatLines(["Split ", "é", " 日本語 ", "🎉 ", "everywhere."]).join("");
  let bytewise = false;
  const up = rawUpstream(async (conn, path) => {
    const ollama = path === "/api/chat";
    const bytes = enc.encode(ollama ? ndjson : sse);
    await conn.write(enc.encode(head(ollama ? "application/x-ndjson" : "text/event-stream")));
    if (!bytewise) return void await conn.write(bytes);
    conn.setNoDelay(true);
    for (let i = 0; i < bytes.length; i++) {
      await conn.write(bytes.subarray(i, i + 1));
      if (i % 256 === 0) await sleep(0);
    }
  });
  const proxy = await startProxy(up.url);
  try {
    for (bytewise of [false, true]) {
      for (const [path, sent] of [["/v1/chat/completions", sse], ["/api/chat", ndjson]]) {
        const res = await post(proxy.url + path, "correct");
        assert.equal(await res.text(), sent, `${path} bytewise=${bytewise}`);
      }
    }
  } finally {
    await proxy.close();
    up.close();
  }
});

Deno.test("a stream whose Content-Length is wrong: longer than sent ends with the last whole line and an error frame; shorter than sent stops at the declared length", async () => {
  const lines = ollamaChatLines(["one", " two"]);
  const sent = lines.join("");
  let declared = 0;
  const up = rawUpstream(async (conn) => {
    await conn.write(enc.encode(
      head("application/x-ndjson", `content-length: ${declared}\r\n`) + sent,
    ));
    await sleep(100);
  });
  const proxy = await startProxy(up.url, { upstreamTimeout: 2000 });
  try {
    declared = sent.length + 500;
    const long = (await (await post(proxy.url + "/api/chat", "correct")).text()).split("\n");
    assert.equal(long.slice(0, 3).join("\n") + "\n", sent);
    assert.match(JSON.parse(long[3]!).error, /^Upstream stream failed/);
    assert.equal(long.length, 5); // three lines, the error line, "" after its newline
    declared = lines[0]!.length + 10;
    const short = await (await post(proxy.url + "/api/chat", "correct")).text();
    assert.equal(short, sent.slice(0, declared));
    assert.equal(proxy.live.active, 0);
  } finally {
    await proxy.close();
    up.close();
  }
});

Deno.test("broken chunked encoding (a chunk-size line that is not hex) after one good chunk: the client gets that chunk's frame, then the protocol's error frame", async () => {
  const line = ollamaChatLines(["good"])[0]!;
  const event = 'data: {"choices":[{"index":0,"delta":{"content":"good"}}]}\n\n';
  const up = rawUpstream(async (conn, path) => {
    const frame = path === "/api/chat" ? line : event;
    await conn.write(enc.encode(
      head(
        path === "/api/chat" ? "application/x-ndjson" : "text/event-stream",
        "transfer-encoding: chunked\r\n",
      ) +
        `${enc.encode(frame).length.toString(16)}\r\n${frame}\r\nzz\r\nnot a chunk\r\n`,
    ));
    await sleep(100);
  });
  const proxy = await startProxy(up.url, { upstreamTimeout: 2000 });
  try {
    const ndjson = await (await post(proxy.url + "/api/chat", "correct")).text();
    assert.equal(ndjson.startsWith(line), true);
    assert.match(JSON.parse(ndjson.slice(line.length)).error, /^Upstream stream failed/);
    const sse = await (await post(proxy.url + "/v1/chat/completions", "correct")).text();
    assert.equal(sse.startsWith(event), true);
    const last = JSON.parse(sse.slice(event.length).replace(/^data: /, ""));
    assert.equal(last.error.code, "upstream_stream_error");
    assert.equal(proxy.live.active, 0);
  } finally {
    await proxy.close();
    up.close();
  }
});

Deno.test("an upstream that stalls mid-event past --upstream-timeout (300 ms): within 3 s the client has the whole events, no partial one, the error frame and a clean end", async () => {
  const whole = 'data: {"choices":[{"index":0,"delta":{"content":"before the stall"}}]}\n\n';
  const up = rawUpstream(async (conn) => {
    await conn.write(enc.encode(head("text/event-stream") + whole + 'data: {"choi'));
    await sleep(5000);
  });
  const proxy = await startProxy(up.url, { upstreamTimeout: 300 });
  try {
    const started = Date.now();
    const text = await (await post(proxy.url + "/v1/chat/completions", "correct", "{}")).text();
    assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
    assert.equal(text.startsWith(whole), true);
    const rest = text.slice(whole.length);
    assert.match(rest, /^data: \{"error":/);
    assert.match(JSON.parse(rest.slice(6)).error.message, /stopped sending for more than 300 ms/);
    assert.equal(proxy.live.active, 0);
  } finally {
    await proxy.close();
    up.close();
  }
});

/** Writes `total` bytes of `x` in 64 KiB writes. */
async function garbage(conn: Deno.Conn, total: number) {
  const piece = enc.encode("x".repeat(65536));
  for (let sent = 0; sent < total; sent += piece.length) {
    let rest = piece.subarray(0, Math.min(piece.length, total - sent));
    while (rest.length > 0) rest = rest.subarray(await conn.write(rest)); // writes may be partial
  }
}

/** Bytes of a whole body. */
async function count(res: Response): Promise<number> {
  let n = 0;
  for await (const chunk of res.body!) n += chunk.length;
  return n;
}

Deno.test({
  name:
    "24 MiB without a line end as NDJSON: with --max-frame 1MiB the client gets every byte and hotpatch's peak RSS grows by under 48 MiB",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const total = 24 * 1024 * 1024;
    // A raw socket: nothing between the test and hotpatch buffers or compresses.
    const up = rawUpstream(async (conn) => {
      await conn.write(enc.encode(head("application/x-ndjson")));
      await garbage(conn, total);
    });
    const hp = await startHotpatch(up.url, ["--max-frame", "1MiB"], 120_000);
    try {
      const base = hp.peakRss();
      const stream = await post(hp.url + "/api/chat", "correct");
      assert.equal(stream.status, 200);
      assert.equal(await count(stream), total);
      const grew = hp.peakRss() - base;
      assert.ok(grew < 48 * 1024 * 1024, `peak RSS grew by ${grew >> 20} MiB`);
    } finally {
      await hp.stop();
      up.close();
    }
  },
});

Deno.test({
  name:
    "an application/json answer that never ends: with --max-frame 1MiB its first 24 MiB reach the client while the upstream is still sending, and peak RSS grows by under 48 MiB",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const total = 24 * 1024 * 1024;
    const up = rawUpstream(async (conn) => {
      await conn.write(enc.encode(head("application/json") + '{"model":"m","response":"'));
      await garbage(conn, total);
      await sleep(30_000); // never ends while the client reads
    });
    const hp = await startHotpatch(up.url, ["--max-frame", "1MiB"], 120_000);
    try {
      const base = hp.peakRss();
      const res = await post(
        hp.url + "/api/generate",
        "correct",
        JSON.stringify({ model: "m", prompt: "p", stream: false }),
        AbortSignal.timeout(15_000),
      );
      assert.equal(res.status, 200);
      let n = 0;
      const reader = res.body!.getReader();
      while (n < total) n += (await reader.read()).value?.length ?? total;
      await reader.cancel();
      assert.ok(n >= total, `${n} bytes`);
      const grew = hp.peakRss() - base;
      assert.ok(grew < 48 * 1024 * 1024, `peak RSS grew by ${grew >> 20} MiB`);
    } finally {
      await hp.stop();
      up.close();
    }
  },
});
