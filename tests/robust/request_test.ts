import assert from "node:assert/strict";
import { ollamaChatLines, startFakeUpstream } from "../fake_upstream.ts";
import { startHotpatch } from "./process.ts";

/**
 * Sends `body` to a real `hotpatch serve` child and expects the answer within `ms`; a child that
 * froze is killed so the test run goes on.
 */
async function answeredWithin(body: string, ms: number): Promise<void> {
  const up = await startFakeUpstream(() =>
    new Response(ollamaChatLines(["ok"]).join(""), {
      headers: { "content-type": "application/x-ndjson" },
    })
  );
  const hp = await startHotpatch(up.url, [], 120_000);
  let answered = false;
  try {
    const res = await fetch(hp.url + "/api/chat", {
      method: "POST",
      body,
      signal: AbortSignal.timeout(ms),
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), ollamaChatLines(["ok"]).join(""));
    const health = await fetch(hp.url + "/hotpatch/health", { signal: AbortSignal.timeout(ms) });
    assert.equal(health.status, 200);
    await health.body?.cancel();
    answered = true;
  } finally {
    if (!answered) {
      try {
        Deno.kill(hp.pid, "SIGKILL");
      } catch { /* already gone */ }
    }
    await hp.stop();
    await up.close();
  }
}

Deno.test({
  name:
    "a request of 8 MB of short distinct paths (1.1 million path tokens to ground) is answered within 60 s: the path scan is linear",
  ignore: Deno.build.os !== "linux",
  async fn() {
    // Each token used to search the rest of the text for a backslash: quadratic, about 4 minutes
    // here; linear, about 3 s on an idle machine.
    const text = Array.from({ length: 1_100_000 }, (_, i) => `p${i % 50_000}/f.ts`).join(" ");
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: text }] });
    await answeredWithin(body, 60_000);
  },
});
