/**
 * Added cost of interception for a 1,000-chunk OpenAI chat stream of real answer text (clean: no
 * detection fires): pass-through vs `detect` vs `correct`, whole stream and first chunk.
 * Per-chunk cost = (mode − pass-through) / 1000. "correct, no detectors" is the corrector's own
 * machinery (framing, parsing, holdback, re-encoding changed frames) without the detectors;
 * "a tool offered" is the usual agent request (the text-written tool-call detector runs). The
 * "clean chunks" group runs the same 1,000 frames through the framer and corrector synchronously
 * (no stream plumbing or encoding, less noise): time per iteration / 1000 = µs per clean chunk.
 */
import { contextBase } from "../src/plan.ts";
import { FrameCorrector } from "../src/chain/corrector.ts";
import { Shaper } from "../src/chain/shaper.ts";
import { defaultDetectors } from "../src/detect/mod.ts";
import { resolveSettings } from "../src/rules/detector_settings.ts";
import { openaiChat } from "../src/protocols/openai/adapter.ts";
import { SseFramer } from "../src/protocols/framing/sse.ts";
import { intercept } from "../src/chain/mod.ts";
import type { CorrectionSink } from "../src/types.ts";

const CHUNKS = 1000;
const dataset = new URL("../data/clean_outputs.jsonl", import.meta.url);
const answers = Deno.readTextFileSync(dataset).trim().split("\n").map((l) => JSON.parse(l).text);
const text = answers.join("\n\n");

/** ~4-character tokens, like a model's. */
const tokens: string[] = [];
for (let i = 0; tokens.length < CHUNKS; i += 4) tokens.push(text.slice(i, i + 4));
const template = {
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "qwen3",
  choices: [{ index: 0, delta: { content: "" }, finish_reason: null }],
};
const enc = new TextEncoder();
const frames = tokens.map((t) =>
  enc.encode(openaiChat.serialize(openaiChat.encode(template, { content: t })))
);
frames.push(enc.encode('data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'));
frames.push(enc.encode("data: [DONE]\n\n"));

function upstream(): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      const f = frames[i++];
      if (f === undefined) ctrl.close();
      else ctrl.enqueue(f);
    },
  }, { highWaterMark: 0 });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

const sink: CorrectionSink = { record() {}, list: () => [] };
const settings = resolveSettings();

/** "tools": correct mode with a tool offered, as coding agents do (text_tool_call then runs). */
type Mode = "off" | "detect" | "correct" | "tools" | "machinery";
const modes: readonly Mode[] = ["off", "detect", "correct", "tools", "machinery"];

const tools = [{
  type: "function",
  function: {
    name: "read_file",
    description: "Read a file of the workspace",
    parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
}];

function client(mode: Mode): Response | Promise<Response> {
  const up = upstream();
  if (mode === "off") return new Response(up.body, { headers: up.headers });
  return intercept({
    kind: "openai_chat",
    body: { model: "qwen3", stream: true, messages: [], ...(mode === "tools" ? { tools } : {}) },
    requestId: "bench",
    mode: mode === "detect" ? "detect" : "correct",
    upstream: up,
    abort() {},
    sink,
    workspace: null,
    rules: { patterns: [], navigationFixes: new Map() },
    settings,
    ...(mode === "machinery" ? { detectors: [] } : {}),
  });
}

async function drain(pending: Response | Promise<Response>): Promise<void> {
  const res = await pending;
  for await (const _ of res.body!) { /* read everything */ }
}

async function first(pending: Response | Promise<Response>): Promise<void> {
  const reader = (await pending).body!.getReader();
  await reader.read();
  await reader.cancel();
}

const labels: Record<Mode, string> = {
  off: "pass-through",
  detect: "detect",
  correct: "correct",
  tools: "correct, a tool offered",
  machinery: "correct, no detectors",
};
const label = (mode: Mode) => labels[mode];

// The modes share most code: warm all of them first, or the first one measured pays the JIT.
for (let i = 0; i < 20; i++) {
  for (const mode of modes) await drain(client(mode));
}

for (const mode of modes) {
  Deno.bench(`${CHUNKS}-chunk stream, ${label(mode)}`, {
    group: "stream",
    baseline: mode === "off",
    n: 40,
    warmup: 5,
  }, async () => await drain(client(mode)));
  Deno.bench(`first chunk, ${label(mode)}`, {
    group: "first",
    baseline: mode === "off",
    n: 400,
    warmup: 20,
  }, async () => await first(client(mode)));
}

/** Framer + corrector over the 1,000 frames, synchronously; `rewrite` false = detect mode. */
function correctSync(rewrite: boolean, offered: boolean): void {
  const body = { model: "qwen3", messages: [], ...(offered ? { tools } : {}) };
  const base = contextBase(body, null, {
    patterns: [],
    navigationFixes: new Map(),
  }, settings);
  const shaper = new Shaper({
    channels: openaiChat.channels,
    fragments: true,
    window: { detectors: defaultDetectors(), base, holdback: 512, tailMax: 1024, rewrite },
    report() {},
    toolHook: (call) => call,
    json: null,
  });
  const framer = new SseFramer();
  const corrector = new FrameCorrector({ adapter: openaiChat, shaper });
  for (const bytes of frames) for (const f of framer.push(bytes)) corrector.frame(f);
}

const syncRows = [["detect", false, false], ["correct", true, false], [
  "correct, a tool offered",
  true,
  true,
]] as const;
for (const [name, rewrite, offered] of syncRows) {
  Deno.bench(`${CHUNKS} clean chunks, framer + corrector only, ${name}`, {
    group: "clean chunks",
    n: 100,
    warmup: 10,
  }, () => correctSync(rewrite, offered));
}
