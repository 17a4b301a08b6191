import assert from "node:assert/strict";
import { startFakeUpstream } from "../fake_upstream.ts";
import { startHotpatch } from "./process.ts";

/**
 * A real `hotpatch serve` child gets `content` as one whole (non-streamed) Ollama answer and must
 * answer within `ms`; a child that froze is killed so the test run goes on.
 */
async function answeredWithin(content: string, ms: number): Promise<string> {
  const up = await startFakeUpstream(() =>
    Response.json({ model: "m", message: { role: "assistant", content }, done: true })
  );
  const hp = await startHotpatch(up.url, [], 200_000);
  let answered = false;
  try {
    const res = await fetch(hp.url + "/api/chat", {
      method: "POST",
      body: JSON.stringify({ model: "m", stream: false, messages: [] }),
      signal: AbortSignal.timeout(ms),
    });
    assert.equal(res.status, 200);
    const text = await res.text();
    answered = true;
    return text;
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
    "a whole answer of 330,000 `<s>` (1 MB) is answered within 60 s: each looks for its `</s>` nearby, not in the rest of the text",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const out = await answeredWithin("<s>".repeat(330_000), 60_000);
    assert.equal(JSON.parse(out).message.content, "");
  },
});

Deno.test({
  name:
    "a whole answer of 100,000 made-up paths on one 2 MB line is answered within 90 s: line starts and ends are looked for nearby, code ranges once per window",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const content = Array.from({ length: 100_000 }, (_, i) => `src/f${i % 1000}.ts ........`)
      .join(" ");
    const out = await answeredWithin(content, 90_000);
    assert.ok(JSON.parse(out).message.content.startsWith("src/f0.ts"));
  },
});
