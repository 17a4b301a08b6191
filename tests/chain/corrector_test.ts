import assert from "node:assert/strict";
import { FrameCorrector } from "../../src/chain/corrector.ts";
import { Shaper } from "../../src/chain/shaper.ts";
import { detectContext } from "../../src/detect/context.ts";
import { ollamaChat } from "../../src/protocols/ollama/adapter.ts";
import { literal, testSettings } from "../intercept/harness.ts";

const { channel: _c, final: _f, state: _s, emitted: _e, ...base } = detectContext({
  settings: testSettings,
});

function corrector(rewrite = true) {
  const shaper = new Shaper({
    channels: ollamaChat.channels,
    fragments: false,
    window: {
      detectors: [literal("src/wrong.ts", "src/right.ts")],
      base,
      holdback: 512,
      tailMax: 1024,
      rewrite,
    },
    report() {},
    toolHook: (call) => call,
    json: null,
  });
  return new FrameCorrector({ adapter: ollamaChat, shaper });
}

const line = (content: string, done = false) => {
  const raw = JSON.stringify({ model: "m", message: { role: "assistant", content }, done }) + "\n";
  return { raw, data: raw.trimEnd() };
};

Deno.test("corrector: an untouched frame goes out as its own bytes", () => {
  const f = line("hello ");
  assert.equal(corrector().frame(f), f.raw);
});

Deno.test("corrector: a held candidate leaves the frame, then goes out corrected in a later one", () => {
  const c = corrector();
  const first = c.frame(line("see src/wr"));
  assert.equal(JSON.parse(first).message.content, "see ");
  assert.equal(c.held, 6);
  const second = c.frame(line("ong.ts ok"));
  assert.equal(JSON.parse(second).message.content, "src/right.ts ok");
});

Deno.test("corrector: held text goes out just before a final chunk that has none", () => {
  const c = corrector();
  c.frame(line("see src/wr"));
  const [held, last] = c.frame(line("", true)).trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(held.message.content, "src/wr");
  assert.equal(held.done, false);
  assert.equal(last.done, true);
});

Deno.test("corrector: abandon sends the held text as received and ignores later frames", () => {
  const c = corrector();
  c.frame(line("see src/wr"));
  assert.equal(JSON.parse(c.abandon()).message.content, "src/wr");
  assert.equal(c.frame(line("ong.ts")), "");
});

Deno.test("corrector: an error frame from the upstream goes out after the held text", () => {
  const c = corrector();
  c.frame(line("see src/wr"));
  const raw = '{"error":"boom"}\n';
  const out = c.frame({ raw, data: raw.trimEnd() }).trimEnd().split("\n");
  assert.equal(JSON.parse(out[0]!).message.content, "src/wr");
  assert.equal(out[1], '{"error":"boom"}');
});
