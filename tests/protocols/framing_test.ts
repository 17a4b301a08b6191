import assert from "node:assert/strict";
import { NdjsonFramer } from "../../src/protocols/framing/ndjson.ts";
import { sseEvent, SseFramer } from "../../src/protocols/framing/sse.ts";
import { type Frame, type Framer, Utf8Reads } from "../../src/protocols/framing/frame.ts";
import { rng, splitBytes } from "./split.ts";

const enc = new TextEncoder();

function frameAll(framer: Framer, pieces: readonly Uint8Array[]): Frame[] {
  return [...pieces.flatMap((p) => framer.push(p)), ...framer.end()];
}

const ndjson = '{"a":"é"}\r\n{"b":"日本語 🎉"}\n\n{"c":1}\n{"tail":true}';

Deno.test("ndjson: any byte split gives the same lines, raw bytes preserved", () => {
  const bytes = enc.encode(ndjson);
  for (let seed = 1; seed <= 300; seed++) {
    const frames = frameAll(new NdjsonFramer(), splitBytes(bytes, seed, 7));
    assert.equal(frames.map((f) => f.raw).join(""), ndjson);
    assert.deepEqual(frames.map((f) => f.data), [
      '{"a":"é"}',
      '{"b":"日本語 🎉"}',
      null,
      '{"c":1}',
      '{"tail":true}',
    ]);
  }
});

const sse = ": ping\n\n" +
  'data: {"x":"€"}\r\n\r\n' +
  "event: message\ndata: line one\ndata: line two\nid: 7\n\n" +
  "data:nospace\r\rdata: 🎉\n\n" +
  "data: [DONE]\n\n";

Deno.test("sse: comments, CRLF, CR, multi-line data survive every byte split", () => {
  const bytes = enc.encode(sse);
  const expected = [null, '{"x":"€"}', "line one\nline two", "nospace", "🎉", "[DONE]"];
  for (let seed = 1; seed <= 300; seed++) {
    const frames = frameAll(new SseFramer(), splitBytes(bytes, seed, 5));
    assert.equal(frames.map((f) => f.raw).join(""), sse);
    assert.deepEqual(frames.map((f) => f.data), expected);
  }
  const single = frameAll(new SseFramer(), [...bytes].map((b) => new Uint8Array([b])));
  assert.deepEqual(single.map((f) => f.data), expected);
});

Deno.test("sse: a CR at the end of a read waits for a possible LF", () => {
  const f = new SseFramer();
  assert.deepEqual(f.push(enc.encode("data: a\r\n\r")), []);
  assert.deepEqual(f.push(enc.encode("\n")), [{ raw: "data: a\r\n\r\n", data: "a" }]);
});

Deno.test("sse: an event without a closing blank line comes out at the end", () => {
  const f = new SseFramer();
  assert.deepEqual(f.push(enc.encode("data: x")), []);
  assert.deepEqual(f.end(), [{ raw: "data: x", data: "x" }]);
});

Deno.test("sseEvent: one data line per line of the payload", () => {
  assert.equal(sseEvent("{}"), "data: {}\n\n");
  assert.equal(sseEvent("a\nb"), "data: a\ndata: b\n\n");
});

Deno.test("sse: recorded llama-server streams frame into their data events", async () => {
  const dir = new URL("../fixtures/llama-server/", import.meta.url);
  for (const name of ["chat-stream.sse", "completion-stream.sse", "v1-completions-stream.sse"]) {
    const bytes = await Deno.readFile(new URL(name, dir));
    const frames = frameAll(new SseFramer(), splitBytes(bytes, 11, 64));
    assert.equal(frames.map((f) => f.raw).join(""), new TextDecoder().decode(bytes));
    for (const f of frames) {
      if (f.data !== "[DONE]") JSON.parse(f.data ?? "");
    }
  }
});

Deno.test("utf8 reads: any split decodes as one streaming TextDecoder does (BOM, invalid bytes)", () => {
  const samples = [
    enc.encode("\ufeffdata: é\n\ufeff日本語 🎉\n"),
    new Uint8Array([0x61, 0xff, 0x62, 0xc3, 0x0a, 0xe2, 0x82, 0x0a, 0x80, 0x63, 0xf0, 0x9f]),
  ];
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed);
    const random = Uint8Array.from({ length: 40 }, () => r() < 0.6 ? 0x61 : Math.floor(r() * 256));
    for (const bytes of [...samples, random]) {
      const u = new Utf8Reads();
      const text = splitBytes(bytes, seed, 4).map((p) => u.decode(p)).join("") + u.end();
      assert.equal(text, new TextDecoder().decode(bytes));
    }
  }
});

Deno.test("framers: buffered while part of a frame or of a character is held", () => {
  const euro = enc.encode("€");
  for (const framer of [new SseFramer(), new NdjsonFramer()]) {
    const end = framer instanceof SseFramer ? "\n\n" : "\n";
    assert.equal(framer.buffered, false);
    framer.push(enc.encode(`data: a${end}data`));
    assert.equal(framer.buffered, true);
    framer.push(enc.encode(`: b${end}`));
    assert.equal(framer.buffered, false);
    framer.push(euro.slice(0, 2));
    assert.equal(framer.buffered, true);
    framer.push(new Uint8Array([...euro.slice(2), ...enc.encode(end)]));
    assert.equal(framer.buffered, false);
  }
  const cr = new SseFramer();
  cr.push(enc.encode("data: a\r\n\r"));
  assert.equal(cr.buffered, true);
});
