import assert from "node:assert/strict";
import { constants, createBrotliCompress } from "node:zlib";
import { startFakeUpstream } from "../fake_upstream.ts";
import { startHotpatch } from "./process.ts";

/** 512 MiB of `a` without a line end as brotli: about 96 KB. */
async function brotliBomb(): Promise<Uint8Array<ArrayBuffer>> {
  const z = createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
  const parts: Uint8Array[] = [];
  z.on("data", (b: Uint8Array) => parts.push(b));
  const piece = new Uint8Array(1024 * 1024).fill(97);
  for (let i = 0; i < 512; i++) z.write(piece);
  await new Promise((r) => z.end(r));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.byteLength) - p.byteLength);
  return out;
}

Deno.test({
  name:
    "a brotli answer that decodes to 512 MiB (ignoring identity) on a corrected route: the client reads it decoded while hotpatch's peak RSS grows by under 48 MiB",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const bomb = await brotliBomb();
    const up = await startFakeUpstream(() =>
      new Response(bomb, {
        headers: { "content-type": "application/x-ndjson", "content-encoding": "br" },
      })
    );
    const hp = await startHotpatch(up.url, ["--max-frame", "1MiB"], 60_000);
    try {
      const base = hp.peakRss();
      const res = await fetch(hp.url + "/api/chat", {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [] }),
        signal: AbortSignal.timeout(30_000),
      });
      assert.equal(res.headers.get("content-encoding"), null);
      const reader = res.body!.getReader();
      let n = 0;
      while (n < 4 * 1024 * 1024) {
        const { value } = await reader.read();
        assert.ok(value !== undefined && value.every((b) => b === 97), "decoded bytes");
        n += value.byteLength;
      }
      await reader.cancel();
      const grew = hp.peakRss() - base;
      assert.ok(grew < 48 * 1024 * 1024, `peak RSS grew by ${grew >> 20} MiB`);
    } finally {
      await hp.stop();
      await up.close();
    }
  },
});
