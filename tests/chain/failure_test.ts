import assert from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import type { Detector } from "../../src/detection.ts";
import { chunkedBody, ollamaChatLines, startFakeUpstream } from "../fake_upstream.ts";
import { startProxy } from "../helpers.ts";
import { buildStream, literal, run, testDetectors } from "../intercept/harness.ts";

const enc = new TextEncoder();

/** Throws as soon as the text it sees contains `BOOM`. */
const throwing: Detector = {
  type: "throwing",
  detect(text) {
    if (text.includes("BOOM")) throw new Error("detector exploded");
    return [];
  },
  holdFrom: (text) => text.length,
};

/** Log records of the `hotpatch` category while `fn` runs (nothing printed). */
async function logsOf(fn: () => Promise<void>): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  await configure({
    reset: true,
    sinks: { buf: (r) => void records.push(r) },
    loggers: [
      { category: ["hotpatch"], lowestLevel: "error", sinks: ["buf"] },
      { category: ["logtape", "meta"], lowestLevel: "fatal", sinks: ["buf"] },
    ],
  });
  try {
    await fn();
  } finally {
    await reset();
  }
  return records;
}

Deno.test("a throwing detector ends the response cleanly: held text flushed, error frame, upstream aborted, slot released, logged with the request id", async () => {
  let ends = 0;
  let got: Awaited<ReturnType<typeof run>> | null = null;
  const logs = await logsOf(async () => {
    const body = buildStream("ollama_chat", ["Read ", "src/wr", "ong BOOM", " more"]);
    got = await run("ollama_chat", [enc.encode(body)], {
      detectors: [literal("src/wrong.ts", "src/right.ts"), throwing],
      onEnd: () => void ends++,
    });
  });
  const r = got!;
  assert.equal(r.content, "Read src/wrong BOOM");
  const last = r.chunks.at(-1)!;
  assert.match(String(last.error), /Internal error in hotpatch: detector exploded/);
  assert.equal(r.aborted, true);
  assert.equal(ends, 1);
  assert.equal(logs.length, 1);
  assert.equal(logs[0]!.properties.requestId, "req-1");
});

Deno.test("a throwing detector never takes a connection slot with it: with --max-connections 1 the next request is served", async () => {
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(ollamaChatLines(["fine ", "then BOOM", " and more"])), {
      headers: { "content-type": "application/x-ndjson" },
    })
  );
  const proxy = await startProxy(up.url, { maxConnections: 1 }, { detectors: [throwing] });
  try {
    await logsOf(async () => {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(proxy.url + "/api/chat", { method: "POST", body: "{}" });
        assert.equal(res.status, 200);
        const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
        assert.match(lines.at(-1).error, /Internal error in hotpatch/);
      }
    });
    assert.equal(proxy.live.active, 0);
  } finally {
    await proxy.close();
    await up.close();
  }
});

/** Text without repeats (so no loop is cut) of about `n` characters. */
function filler(n: number): string {
  return Array.from({ length: Math.ceil(n / 6) }, (_, i) => ` w${i}`).join("").slice(0, n);
}

Deno.test("a frame larger than --max-frame stops correction: held text goes out as received, the rest passes untouched, one record says so", async () => {
  const big = filler(5000);
  const body = buildStream("ollama_chat", ["see src/wr", big, " src/wrong.ts"]);
  const pieces = body.match(/[^]{1,700}/g)!.map((p) => enc.encode(p));
  const got = await run("ollama_chat", pieces, { frameMax: 2000 });
  assert.equal(got.content, "see src/wr" + big + " src/wrong.ts");
  const from = body.lastIndexOf("\n", body.indexOf(big.slice(0, 20))) + 1;
  assert.ok(got.raw.endsWith(body.slice(from)));
  assert.deepEqual(got.records.map((r) => [r.type, r.action]), [["frame_too_large", "passed"]]);
});

Deno.test("frames under --max-frame are still corrected", async () => {
  const text = filler(500);
  const body = buildStream("ollama_chat", ["see src/wr", text, " src/wrong.ts"]);
  const got = await run("ollama_chat", [enc.encode(body)], { frameMax: 2000 });
  assert.equal(got.content, "see src/wr" + text + " src/right.ts");
});

Deno.test("a whole JSON body larger than --max-frame goes out as received", async () => {
  const answer = {
    model: "m",
    message: { role: "assistant", content: "src/wrong.ts " + "y".repeat(3000) },
    done: true,
  };
  const text = JSON.stringify(answer);
  const got = await run("ollama_chat", [
    enc.encode(text.slice(0, 1500)),
    enc.encode(text.slice(1500)),
  ], {
    contentType: "application/json",
    frameMax: 2000,
  });
  assert.equal(got.raw, text);
  assert.equal(got.records[0]?.type, "frame_too_large");
});

Deno.test("a streamed loop of a 2,000-character block is cut after its third copy, with the first two already sent", async () => {
  const block = Array.from({ length: 40 }, (_, i) => `line ${i} of the block, same every time\n`)
    .join("").slice(0, 2000);
  const text = "Intro.\n" + block.repeat(6);
  const pieces = text.match(/[^]{1,7}/g)!;
  const got = await run("ollama_chat", [enc.encode(buildStream("ollama_chat", pieces))], {
    detectors: testDetectors(),
  });
  const copies = got.content.split(block).length - 1;
  assert.equal(copies <= 3 && copies >= 2, true, `copies: ${copies}`);
  assert.equal(got.aborted, true);
  assert.equal(got.records.some((r) => r.type === "repetition_loop" && r.action === "ended"), true);
  assert.equal(got.chunks.at(-1)?.done_reason, "stop");
});
