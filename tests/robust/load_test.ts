import assert from "node:assert/strict";
import { chunkedBody, ollamaChatLines, startFakeUpstream } from "../fake_upstream.ts";
import { startHotpatch } from "./process.ts";

const STREAMS = 300;

/** The content pieces the fake model streams for request `n`. */
function piecesOf(n: number): string[] {
  return Array.from({ length: 20 }, (_, i) => `Stream ${n} says piece ${i} of twenty. `);
}

Deno.test({
  name:
    `load: ${STREAMS} concurrent streams through hotpatch (correct mode): zero errors, every stream exact, peak RSS under 256 MiB, within 30 s`,
  ignore: Deno.build.os !== "linux",
  async fn() {
    const up = await startFakeUpstream((_req, seen) => {
      const n = JSON.parse(new TextDecoder().decode(seen.body)).n as number;
      return new Response(chunkedBody(ollamaChatLines(piecesOf(n)), { delayMs: 5 }), {
        headers: { "content-type": "application/x-ndjson" },
      });
    });
    const hp = await startHotpatch(up.url, [], 60_000);
    const deadline = AbortSignal.timeout(30_000);
    try {
      const results = await Promise.allSettled(
        Array.from({ length: STREAMS }, async (_, n) => {
          const res = await fetch(hp.url + "/api/chat", {
            method: "POST",
            body: JSON.stringify({ model: "m", messages: [], stream: true, n }),
            signal: deadline,
          });
          const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
          return {
            status: res.status,
            content: lines.map((l) => l.message?.content ?? "").join(""),
          };
        }),
      );
      const failed = results.filter((r) => r.status === "rejected");
      assert.equal(failed.length, 0, String(failed[0]?.status === "rejected" && failed[0].reason));
      results.forEach((r, n) => {
        assert.equal(r.status === "fulfilled" && r.value.status, 200);
        assert.equal(r.status === "fulfilled" && r.value.content, piecesOf(n).join(""));
      });
      const peak = hp.peakRss();
      assert.ok(peak < 256 * 1024 * 1024, `peak RSS ${peak >> 20} MiB`);
    } finally {
      await hp.stop();
      await up.close();
    }
  },
});
