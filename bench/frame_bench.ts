/**
 * Cost of one long unterminated NDJSON line through the shipped chain (correct mode), per size:
 * framing keeps an unfinished line as pieces joined once, so the cost per MB stays flat; past
 * `--max-frame` the rest passes through untouched. Before this chain a 5 MB line took ~6 s and a
 * 10 MB one ~26 s (quadratic); time per iteration / size = ms per MB.
 */
import { intercept } from "../src/chain/mod.ts";
import { resolveSettings } from "../src/rules/detector_settings.ts";

const enc = new TextEncoder();
const piece = enc.encode("x".repeat(16 * 1024));
const head = enc.encode('{"model":"m","message":{"role":"assistant","content":"');
const settings = resolveSettings();

async function line(mb: number, frameMax: number): Promise<void> {
  const n = Math.ceil(mb * 1024 * 1024 / piece.length);
  let i = -1;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i++ < 0) c.enqueue(head);
      else if (i <= n) c.enqueue(piece);
      else c.close();
    },
  }, { highWaterMark: 0 });
  const res = await intercept({
    kind: "ollama_chat",
    body: { model: "m" },
    requestId: "bench",
    mode: "correct",
    upstream: new Response(body, { headers: { "content-type": "application/x-ndjson" } }),
    abort() {},
    sink: { record() {}, list: () => [] },
    workspace: null,
    rules: { patterns: [], navigationFixes: new Map() },
    settings,
    frameMax,
  });
  for await (const _ of res.body!) { /* read everything */ }
}

for (const mb of [1, 4]) {
  Deno.bench(`${mb} MB unterminated line, framed (under the bound)`, {
    group: "long line",
    n: 5,
    warmup: 1,
  }, async () => await line(mb, 8 * 1024 * 1024));
}
Deno.bench("16 MB unterminated line, 1 MiB bound (then passed through)", {
  group: "long line",
  n: 5,
  warmup: 1,
}, async () => await line(16, 1024 * 1024));
