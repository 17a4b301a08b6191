/**
 * Text through the shipped response chain, for the eval, tests and benches: the text becomes an
 * OpenAI chat answer (one body, or a stream cut at the given points), goes through the same
 * stage, corrector, holdback windows and repairs as a proxied response, and the client's side is
 * read back. Synchronous: the stage is driven directly, without the HTTP plumbing around it.
 * @module
 */
import { chainStage } from "../../src/chain/mod.ts";
import type { DetectContext, Detector } from "../../src/detection.ts";
import { defaultSettings } from "../../src/rules/detector_settings.ts";
import { planCorrection } from "../../src/plan.ts";
import type { JsonObject } from "../../src/protocols/adapter.ts";
import { openaiChat } from "../../src/protocols/openai/adapter.ts";
import { SseFramer } from "../../src/protocols/framing/sse.ts";
import type { CorrectionRecord } from "../../src/types.ts";

/** What a client would have received, and what was recorded. */
export interface ChainResult {
  content: string;
  thinking: string;
  /** Tool calls sent (ids left out: calls built from text get random ones). */
  calls: { name: string; arguments: string }[];
  /** Every detection recorded, with its action. */
  detections: CorrectionRecord[];
}

/** Options of a streamed run. */
export interface ChainOptions {
  /** Most characters held back per channel (the `--holdback` default when not given). */
  holdback?: number;
  /** `correct` (default) or `detect`. */
  mode?: "correct" | "detect";
  /** The upstream's finish reason (default `stop`; `length` = the token limit was hit). */
  finish?: string;
}

const encoder = new TextEncoder();
const chunk = (delta: JsonObject, finish: string | null) => ({
  id: "chatcmpl-eval",
  object: "chat.completion.chunk",
  created: 1,
  model: "eval",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

function run(
  bodies: readonly string[],
  contentType: string,
  detectors: readonly Detector[],
  base: Partial<DetectContext>,
  opts: ChainOptions,
): ChainResult {
  const detections: CorrectionRecord[] = [];
  const { channel: _c, final: _f, state: _s, emitted: _e, ...fields } = base;
  const plan = planCorrection({
    kind: "openai_chat",
    body: { model: base.model ?? "eval", messages: [] },
    requestId: "eval",
    mode: opts.mode ?? "correct",
    sink: { record: (r) => void detections.push(r), list: () => [] },
    workspace: null,
    rules: { patterns: [], navigationFixes: new Map() },
    settings: base.settings ?? defaultSettings,
    detectors,
    ...(opts.holdback === undefined ? {} : { holdback: opts.holdback }),
  });
  const stage = chainStage(
    { ...plan, base: { ...plan.base, ...fields } },
    contentType,
    null,
    (e) => {
      throw e;
    },
  );
  let out = "";
  const add = (part: Uint8Array | string | null) => {
    out += typeof part === "string" ? part : new TextDecoder().decode(part ?? new Uint8Array());
  };
  for (const body of bodies) {
    add(stage.push(encoder.encode(body), (c) => c.slice()));
    if (stage.ended) break;
  }
  if (!stage.ended) add(stage.end());
  return { ...clientSide(out, contentType), detections };
}

function clientSide(out: string, contentType: string): Omit<ChainResult, "detections"> {
  const framer = new SseFramer();
  const objects: JsonObject[] = contentType === "application/json"
    ? [JSON.parse(out)]
    : [...framer.push(encoder.encode(out)), ...framer.end()]
      .flatMap((f) => f.data === null || f.data === "[DONE]" ? [] : [JSON.parse(f.data)]);
  const result: Omit<ChainResult, "detections"> = { content: "", thinking: "", calls: [] };
  for (const o of objects) {
    const events = contentType === "application/json"
      ? openaiChat.decodeWhole(o)
      : openaiChat.decode(o);
    for (const e of events) {
      if (e.kind === "text") result[e.channel] += e.text;
      if (e.kind === "tool_call") {
        result.calls.push({ name: e.call.name, arguments: e.call.arguments });
      }
    }
  }
  return result;
}

/**
 * The whole text at once (a non-streaming body).
 * @example
 * runWhole("hi<|im_end|>", defaultDetectors(), {}).content; // "hi"
 */
export function runWhole(
  text: string,
  detectors: readonly Detector[],
  base: Partial<DetectContext>,
  opts: ChainOptions = {},
): ChainResult {
  const body = {
    id: "chatcmpl-eval",
    object: "chat.completion",
    created: 1,
    model: "eval",
    choices: [{
      index: 0,
      message: { role: "assistant", content: text },
      finish_reason: opts.finish ?? "stop",
    }],
  };
  return run([JSON.stringify(body)], "application/json", detectors, base, opts);
}

/**
 * The text streamed in `pieces`, one SSE event each, then the final event and `[DONE]`.
 * @example
 * runPieces(["hi<|im_", "end|>"], defaultDetectors(), {}).content; // "hi"
 */
export function runPieces(
  pieces: readonly string[],
  detectors: readonly Detector[],
  base: Partial<DetectContext>,
  opts: ChainOptions = {},
): ChainResult {
  const events = pieces.filter((p) => p !== "").map((p) =>
    openaiChat.serialize(chunk({ content: p }, null))
  );
  events.push(openaiChat.serialize(chunk({}, opts.finish ?? "stop")), "data: [DONE]\n\n");
  return run(events, "text/event-stream", detectors, base, opts);
}

/**
 * The text streamed in pieces ending at `cuts` (sorted offsets; the end is added).
 * @example
 * runStream("hi<|im_end|>", defaultDetectors(), {}, [4]).content; // "hi"
 */
export function runStream(
  text: string,
  detectors: readonly Detector[],
  base: Partial<DetectContext>,
  cuts: readonly number[],
  opts: ChainOptions = {},
): ChainResult {
  const pieces: string[] = [];
  let at = 0;
  for (const k of [...cuts.filter((c) => c > at && c < text.length), text.length]) {
    if (k <= at) continue;
    pieces.push(text.slice(at, k));
    at = k;
  }
  return runPieces(pieces, detectors, base, opts);
}

/**
 * Deterministic pseudo-random numbers in [0, 1) (mulberry32).
 * @example
 * const rnd = seeded(1); rnd(); // same value on every run
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` random sorted cut offsets inside a text of length `n`.
 * @example
 * randomCuts(100, 3, seeded(7)); // three increasing offsets in 1..99
 */
export function randomCuts(n: number, count: number, rnd: () => number): number[] {
  const cuts = new Set<number>();
  for (let i = 0; i < count && n > 1; i++) cuts.add(1 + Math.floor(rnd() * (n - 1)));
  return [...cuts].sort((a, b) => a - b);
}
