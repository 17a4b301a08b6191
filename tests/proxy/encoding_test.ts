/**
 * Compressed upstream answers. hotpatch asks every upstream for `identity` (Deno's fetch would
 * otherwise offer `gzip,br` itself, decode those two silently while keeping the upstream's
 * `content-encoding` header, and never decode `deflate`); an upstream that compresses anyway is
 * decoded on the routes hotpatch corrects and passed through as sent, with its headers, elsewhere.
 */
import assert from "node:assert/strict";
import { brotliCompressSync, createGzip, deflateSync, gzipSync, zstdCompressSync } from "node:zlib";
import { openaiChatEvents } from "../../src/demo/wire.ts";
import { ollamaChatLines, startFakeUpstream } from "../fake_upstream.ts";
import { startProxy } from "../helpers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

const compressors: Record<string, (b: Uint8Array) => Uint8Array> = {
  gzip: (b) => gzipSync(b),
  br: (b) => brotliCompressSync(b),
  deflate: (b) => deflateSync(b),
};

/** The answer compressed whole with `encoding`, sent in 7-byte pieces (ignores accept-encoding). */
function compressed(text: string, encoding: string, type: string): Response {
  const bytes = (compressors[encoding] ?? ((b) => zstdCompressSync(b)))(enc.encode(text));
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (at >= bytes.byteLength) return ctrl.close();
      ctrl.enqueue(bytes.slice(at, at += 7));
    },
  });
  return new Response(body, {
    headers: {
      "content-type": type,
      "content-encoding": encoding,
      "content-length": String(bytes.byteLength),
    },
  });
}

/** `body` through a zlib gzip encoder that only emits what it chooses to (no flush per write). */
function holdingGzip(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const gzip = createGzip();
  return new ReadableStream<Uint8Array>({
    async start(ctrl) {
      gzip.on("data", (b: Uint8Array) => ctrl.enqueue(new Uint8Array(b)));
      gzip.on("end", () => ctrl.close());
      for await (const chunk of body) gzip.write(chunk);
      gzip.end();
    },
  });
}

const leak = ["Use `deno task test`.", "<|im_", "end|>\n<|im_start|>user\nthanks", "!"];
const ollamaStream = ollamaChatLines(leak).join("");
const ollamaWhole = JSON.stringify({
  model: "m",
  message: { role: "assistant", content: leak.join("") },
  done: true,
  done_reason: "stop",
});
const openaiStream = openaiChatEvents(leak, [], "m").join("");
const openaiWhole = JSON.stringify({
  id: "c1",
  object: "chat.completion",
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: leak.join("") } }],
});

/** The answer's text, whichever of the four shapes it has. */
function contentOf(body: string, type: string): string {
  if (type === "text/event-stream") {
    return body.split("\n\n").filter((e) => e.startsWith("data: {")).map((e) =>
      JSON.parse(e.slice(6)).choices[0]?.delta?.content ?? ""
    ).join("");
  }
  return body.trim().split("\n").map((l) => {
    const o = JSON.parse(l);
    return o.message?.content ?? o.choices?.[0]?.message?.content ?? "";
  }).join("");
}

const shapes = [
  { name: "Ollama stream", path: "/api/chat", text: ollamaStream, type: "application/x-ndjson" },
  { name: "Ollama JSON", path: "/api/chat", text: ollamaWhole, type: "application/json" },
  {
    name: "OpenAI stream",
    path: "/v1/chat/completions",
    text: openaiStream,
    type: "text/event-stream",
  },
  {
    name: "OpenAI JSON",
    path: "/v1/chat/completions",
    text: openaiWhole,
    type: "application/json",
  },
];

Deno.test("every proxied request asks the upstream for identity, whatever the client accepts", async () => {
  const up = await startFakeUpstream(() => Response.json({ models: [] }));
  const proxy = await startProxy(up.url);
  try {
    for (
      const [path, mode] of [["/api/chat", "correct"], ["/api/chat", "off"], [
        "/api/tags",
        "correct",
      ]]
    ) {
      await (await fetch(proxy.url + path, {
        method: path === "/api/tags" ? "GET" : "POST",
        headers: { "accept-encoding": "gzip, deflate, br", "x-hotpatch-mode": mode! },
        ...(path === "/api/tags" ? {} : { body: JSON.stringify({ model: "m" }) }),
      })).body?.cancel();
    }
    assert.deepEqual(up.seen.map((s) => s.headers.get("accept-encoding")), [
      "identity",
      "identity",
      "identity",
    ]);
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("a streamed answer is never held in a compressing upstream's encoder: each line reaches the client before the next is produced", async () => {
  const gates: Array<() => void> = [];
  let open = false; // set when the test ends: the upstream no longer waits
  const lines = ollamaChatLines(["one", " two", " three"]);
  const up = await startFakeUpstream((req) => {
    let i = 0;
    const plain = new ReadableStream<Uint8Array>({
      async pull(ctrl) {
        if (i === lines.length) return ctrl.close();
        if (i > 0 && !open) await new Promise<void>((r) => gates.push(r));
        ctrl.enqueue(enc.encode(lines[i++]));
      },
    }, { highWaterMark: 0 });
    // Like a gzip module that flushes its encoder only when full (nginx's gzip without flushes):
    // a real zlib encoder that is never asked to flush holds every small write.
    const gzip = /gzip/.test(req.headers.get("accept-encoding") ?? "");
    return new Response(gzip ? holdingGzip(plain) : plain, {
      headers: {
        "content-type": "application/x-ndjson",
        ...(gzip ? { "content-encoding": "gzip" } : {}),
      },
    });
  });
  const proxy = await startProxy(up.url);
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    const res = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      body: JSON.stringify({ model: "m", messages: [] }),
    });
    reader = res.body!.getReader();
    let got = "";
    for (let n = 0; n < lines.length; n++) {
      while (!got.includes(lines[n]!)) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const next: ReadableStreamReadResult<Uint8Array> | null = await Promise.race([
          reader.read(),
          new Promise<null>((r) => timer = setTimeout(() => r(null), 3000)),
        ]);
        clearTimeout(timer);
        assert.ok(next !== null, `line ${n} did not arrive before the next was produced`);
        assert.equal(next.done, false);
        got += dec.decode(next.value);
      }
      gates.shift()?.();
    }
    assert.equal(got, lines.join(""));
  } finally {
    open = true;
    for (const g of gates.splice(0)) g();
    await reader?.cancel();
    await proxy.close();
    await up.close();
  }
});

/** One step per answer shape, each answered by an upstream that compresses it with `encoding`. */
async function eachShape(
  t: Deno.TestContext,
  encoding: string,
  step: (shape: typeof shapes[number], proxyUrl: string) => Promise<void>,
): Promise<void> {
  let answer = shapes[0]!;
  const up = await startFakeUpstream(() => compressed(answer.text, encoding, answer.type));
  const proxy = await startProxy(up.url);
  try {
    for (const shape of shapes) {
      answer = shape;
      await t.step(shape.name, () => step(shape, proxy.url));
    }
  } finally {
    await proxy.close();
    await up.close();
  }
}

for (const encoding of Object.keys(compressors)) {
  Deno.test(`an upstream that sends ${encoding} anyway: each corrected shape is decoded, corrected and sent without content-encoding`, (t) =>
    eachShape(t, encoding, async (shape, url) => {
      const res = await fetch(url + shape.path, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [] }),
      });
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-encoding"), null);
      const length = res.headers.get("content-length");
      if (length !== null) assert.equal(Number(length), bytes.byteLength);
      assert.equal(contentOf(dec.decode(bytes), shape.type), "Use `deno task test`.");
    }));

  Deno.test(`pass-through: a ${encoding} answer reaches the client as sent, with its content-encoding and content-length`, (t) =>
    eachShape(t, encoding, async (shape, url) => {
      const sent = new Uint8Array(compressors[encoding]!(enc.encode(shape.text)));
      // `identity` keeps Deno's fetch (the client here) from decoding: the raw bytes.
      const res = await fetch(url + shape.path, {
        method: "POST",
        headers: { "x-hotpatch-mode": "off", "accept-encoding": "identity" },
        body: JSON.stringify({ model: "m" }),
      });
      assert.equal(res.headers.get("content-encoding"), encoding);
      assert.equal(res.headers.get("content-length"), String(sent.byteLength));
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), sent);
    }));
}

Deno.test("an encoding hotpatch cannot decode (zstd) on a corrected route passes through as sent, headers kept", async () => {
  const up = await startFakeUpstream(() =>
    compressed(ollamaStream, "zstd", "application/x-ndjson")
  );
  const proxy = await startProxy(up.url);
  try {
    const res = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      headers: { "accept-encoding": "identity" },
      body: JSON.stringify({ model: "m", messages: [] }),
    });
    assert.equal(res.headers.get("content-encoding"), "zstd");
    assert.deepEqual(
      new Uint8Array(await res.arrayBuffer()),
      new Uint8Array(zstdCompressSync(enc.encode(ollamaStream))),
    );
  } finally {
    await proxy.close();
    await up.close();
  }
});

Deno.test("a corrupt gzip stream on a corrected route ends with the protocol's error frame", async () => {
  const good = gzipSync(enc.encode(ollamaChatLines(["Hello", " there"]).join("")));
  const broken = good.slice(0, good.byteLength - 12); // the end and the checksum missing
  const up = await startFakeUpstream(() =>
    new Response(
      new ReadableStream({
        start(ctrl) {
          ctrl.enqueue(broken);
          ctrl.enqueue(enc.encode("not gzip at all"));
          ctrl.close();
        },
      }),
      { headers: { "content-type": "application/x-ndjson", "content-encoding": "gzip" } },
    )
  );
  const proxy = await startProxy(up.url);
  try {
    const res = await fetch(proxy.url + "/api/chat", {
      method: "POST",
      body: JSON.stringify({ model: "m", messages: [] }),
    });
    const text = await res.text();
    assert.equal(res.headers.get("content-encoding"), null);
    assert.ok(text.startsWith(ollamaChatLines(["Hello"])[0]!), text);
    const last = JSON.parse(text.trim().split("\n").at(-1)!);
    assert.match(last.error, /^Upstream stream failed: /);
  } finally {
    await proxy.close();
    await up.close();
  }
});
