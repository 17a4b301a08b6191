/**
 * Test harness for the corrector: a memory sink, a literal-replacement detector, stream builders
 * from recorded and generated upstream bodies, and a runner that reads a client body back.
 * @module
 */
import type { Detector } from "../../src/detection.ts";
import { defaultDetectors } from "../../src/detect/mod.ts";
import { resolveSettings } from "../../src/rules/detector_settings.ts";
import type { Adapter, JsonObject } from "../../src/protocols/adapter.ts";
import type { Frame } from "../../src/protocols/framing/frame.ts";
import { adapterFor } from "../../src/protocols/mod.ts";
import { NdjsonFramer } from "../../src/protocols/framing/ndjson.ts";
import { SseFramer } from "../../src/protocols/framing/sse.ts";
import { intercept, type InterceptInput } from "../../src/chain/mod.ts";
import type { RouteKind } from "../../src/protocols/routes.ts";
import type { CorrectionRecord, CorrectionSink } from "../../src/types.ts";
import { rng, streamOf } from "../protocols/split.ts";

/** An in-memory sink. */
export function memorySink(): CorrectionSink & { all: CorrectionRecord[] } {
  const all: CorrectionRecord[] = [];
  return {
    all,
    record: (e) => void all.push(e),
    list: (q) => all.filter((r) => q.requestId === undefined || r.requestId === q.requestId),
  };
}

/** Replaces every `from` with `to`; holds a suffix that could start `from`. */
export function literal(from: string, to: string, type = "literal_fix"): Detector {
  return {
    type,
    detect(text, ctx) {
      const out = [];
      for (let i = text.indexOf(from, ctx.emitted); i !== -1; i = text.indexOf(from, i + 1)) {
        out.push({
          type,
          start: i,
          end: i + from.length,
          found: from,
          replacement: to,
          confidence: 0.9,
          reason: "test literal",
        });
      }
      return out;
    },
    holdFrom(text) {
      for (let k = Math.min(from.length - 1, text.length); k > 0; k--) {
        if (from.startsWith(text.slice(text.length - k))) return text.length - k;
      }
      return text.length;
    },
  };
}

/** The detectors of the property tests: a path literal plus the defaults. */
export function testDetectors(): Detector[] {
  return [literal("src/wrong.ts", "src/right.ts"), ...defaultDetectors()];
}

/** Settings with the test literal enabled. */
export const testSettings = resolveSettings({ literal_fix: {} });

const fixtures = new URL("../fixtures/llama-server/", import.meta.url);

function framesOf(adapter: Adapter, text: string): Frame[] {
  const framer = adapter.framing === "sse" ? new SseFramer() : new NdjsonFramer();
  return [...framer.push(new TextEncoder().encode(text)), ...framer.end()];
}

function parse(f: Frame): JsonObject | null {
  try {
    const v: unknown = JSON.parse(f.data ?? "");
    return typeof v === "object" && v !== null ? v as JsonObject : null;
  } catch {
    return null;
  }
}

/** A recorded-or-generated body whose text chunks are replaced by `pieces`. */
export function buildStream(kind: RouteKind, pieces: readonly string[]): string {
  const adapter = adapterFor(kind);
  const frames = framesOf(adapter, sourceOf(kind));
  const isText = (f: Frame) => {
    const c = parse(f);
    return c !== null && adapter.decode(c).every((e) => e.kind === "text") &&
      adapter.decode(c).length > 0;
  };
  const first = frames.findIndex(isText);
  const last = frames.findLastIndex(isText);
  const template = parse(frames[first]!)!;
  const head = frames.slice(0, first).map((f) => f.raw).join("");
  const tail = frames.slice(last + 1).map((f) => f.raw).join("");
  const body = pieces.map((p) => adapter.serialize(adapter.encode(template, { content: p })));
  return head + body.join("") + tail;
}

const ollamaHead = '"model":"qwen3:4b","created_at":"2026-11-26T20:00:00.123456789Z"';

function sourceOf(kind: RouteKind): string {
  switch (kind) {
    case "openai_chat":
      return Deno.readTextFileSync(new URL("chat-stream-usage.sse", fixtures));
    case "openai_completions":
      return Deno.readTextFileSync(new URL("v1-completions-stream.sse", fixtures));
    case "llamacpp_completion":
      return Deno.readTextFileSync(new URL("completion-stream.sse", fixtures));
    case "ollama_chat":
      return `{${ollamaHead},"message":{"role":"assistant","content":"x"},"done":false}\n` +
        `{${ollamaHead},"message":{"role":"assistant","content":""},"done":true,` +
        `"done_reason":"stop","total_duration":1200,"eval_count":9,"eval_duration":800}\n`;
    case "ollama_generate":
      return `{${ollamaHead},"response":"x","done":false}\n` +
        `{${ollamaHead},"response":"","done":true,"done_reason":"stop","context":[1,2,3]}\n`;
  }
}

/** `text` cut into pieces of 1 to `max` code points. */
export function splitText(text: string, seed: number, max = 6): string[] {
  const r = rng(seed);
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length;) {
    const n = 1 + Math.floor(r() * max);
    out.push(chars.slice(i, i + n).join(""));
    i += n;
  }
  return out;
}

/** What a client received. */
export interface Received {
  raw: string;
  frames: Frame[];
  chunks: JsonObject[];
  content: string;
  thinking: string;
  aborted: boolean;
  records: CorrectionRecord[];
}

/** Run `pieces` of an upstream body through `intercept` and read the client body. */
export async function run(
  kind: RouteKind,
  pieces: readonly Uint8Array[],
  opts: Partial<InterceptInput> & { contentType?: string } = {},
): Promise<Received> {
  const adapter = adapterFor(kind);
  const sink = memorySink();
  let aborted = false;
  const contentType = opts.contentType ??
    (adapter.framing === "sse" ? "text/event-stream" : "application/x-ndjson");
  const res = await intercept({
    kind,
    body: { model: "qwen3:4b", stream: true },
    requestId: "req-1",
    mode: "correct",
    upstream: new Response(streamOf(pieces), { headers: { "content-type": contentType } }),
    abort: () => void (aborted = true),
    sink,
    workspace: null,
    rules: { patterns: [], navigationFixes: new Map() },
    settings: testSettings,
    detectors: testDetectors(),
    ...opts,
  });
  const raw = await res.text();
  const frames = framesOf(adapter, raw);
  const chunks = frames.flatMap((f): JsonObject[] => {
    const c = parse(f);
    return c === null ? [] : [c];
  });
  let content = "";
  let thinking = "";
  for (const c of chunks) {
    for (const e of adapter.decode(c)) {
      if (e.kind === "text" && e.channel === "content") content += e.text;
      if (e.kind === "text" && e.channel === "thinking") thinking += e.text;
    }
  }
  return { raw, frames, chunks, content, thinking, aborted, records: sink.all };
}
