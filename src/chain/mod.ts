/**
 * The response chain of one request: guard (upstream reader with the idle timeout) → decode
 * frames → correct → encode, as one client body with one end path (body.ts). A response nothing
 * looks into (mode off, a route hotpatch does not correct, an error status, another content type)
 * takes the same chain with a stage that passes every read through.
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Correction, type CorrectionInput, planCorrection } from "../plan.ts";
import { NdjsonFramer } from "../protocols/framing/ndjson.ts";
import { SseFramer } from "../protocols/framing/sse.ts";
import { isStreamType, streamErrorFrame } from "../protocols/errors.ts";
import { errorText, ProxyError } from "../http/proxy_error.ts";
import { responseHeaders } from "../http/headers.ts";
import type { RequestTrace } from "../observe/trace.ts";
import type { SendTracker } from "../http/send_timeout.ts";
import type { Protocol } from "../types.ts";
import { chainBody, passStage, type Stage } from "./body.ts";
import { canDecode, contentCoding, decodedBody } from "./decode.ts";
import { FrameCorrector } from "./corrector.ts";
import { jsonHook, toolHook } from "./hooks.ts";
import { Shaper } from "./shaper.ts";
import { correctStage, crashText, detectStage, type ErrorFrame, wholeStage } from "./stages.ts";
import { UpstreamFailure, UpstreamReader } from "./upstream.ts";

const log = getLogger(["hotpatch", "chain"]);

/** Characters of emitted text kept as detector context per channel. */
const TAIL = 1024;
/** A pass-through body of at most this many declared bytes is read whole, then sent in one go. */
const SMALL_BODY = 64 * 1024;

/** What the chain does besides moving bytes. */
export interface ChainIo {
  /** The protocol the client spoke (error frames of a pass-through stream). */
  protocol: Protocol;
  requestId: string;
  /** Longest quiet gap of the upstream body while the client reads. */
  idleMs: number;
  /** Stops the upstream request. */
  abort(reason: string): void;
  /** Called once when the client body ends for any reason. */
  release(): void;
  /** The observer's trace of the request: waits, first chunk, failures, body end. */
  trace?: RequestTrace;
  /** The client-send timeout of a successful stream (the body enforces it itself). */
  send?: SendTracker;
}

function shaperOf(plan: Correction, fragments: boolean): Shaper {
  const { adapter, base, rewrite, record } = plan;
  return new Shaper({
    channels: adapter.channels,
    fragments,
    window: {
      detectors: plan.detectors,
      base,
      holdback: plan.holdback,
      tailMax: TAIL,
      rewrite,
    },
    report: record,
    toolHook: toolHook(base, rewrite, record),
    json: plan.json === null ? null : jsonHook(plan.json, base, rewrite, record),
  });
}

/**
 * The stage that corrects (or, in detect mode, inspects) one response under `plan`: frames for a
 * stream, the whole body otherwise.
 */
export function chainStage(
  plan: Correction,
  contentType: string,
  errorFrame: ErrorFrame,
  crashed: (e: unknown) => void,
): Stage {
  const { adapter } = plan;
  if (!isStreamType(contentType)) return wholeStage(plan, shaperOf(plan, false));
  const corrector = new FrameCorrector({
    adapter,
    shaper: shaperOf(plan, adapter.protocol === "openai"),
  });
  const framer = adapter.framing === "sse" ? new SseFramer() : new NdjsonFramer();
  return plan.rewrite
    ? correctStage(plan, framer, corrector, errorFrame)
    : detectStage(plan, framer, corrector, errorFrame, crashed);
}

/**
 * The client's response for an upstream response: same status and headers (minus hop-by-hop and,
 * when rewritten, content-length); the body corrected in flight (`correct`), inspected beside the
 * untouched bytes (`detect`), or passed through (no correction, or a response it does not apply
 * to: an error status, a content type other than JSON / NDJSON / SSE, a content coding it cannot
 * decode). A corrected answer the upstream compressed anyway (gzip, deflate, br) is decoded first
 * and goes out without `content-encoding`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * let released = 0;
 * const upstream = new Response("hi", { headers: { "content-type": "text/plain" } });
 * const res = await respond(null, upstream, { protocol: "ollama", requestId: "r1",
 *   idleMs: 300_000, abort: () => {}, release: () => released++ });
 * assert.equal(await res.text(), "hi"); // nothing to correct: passed through
 * assert.equal(released, 1);
 * ```
 */
export function respond(
  correction: Correction | null,
  upstream: Response,
  io: ChainIo,
): Response | Promise<Response> {
  const contentType = upstream.headers.get("content-type") ?? "";
  const coding = contentCoding(upstream.headers);
  let plan = correction !== null && upstream.ok && /json|event-stream/.test(contentType)
    ? correction
    : null;
  if (plan !== null && coding !== null && !canDecode(coding)) {
    log.warn("Request {requestId}: upstream answer in {coding} passed through uncorrected", {
      requestId: io.requestId,
      coding,
    });
    plan = null;
  }
  const decoded = plan !== null && coding !== null;
  const headers = responseHeaders(upstream.headers, plan?.rewrite ?? false, decoded);
  const init = { status: upstream.status, statusText: upstream.statusText, headers };
  if (upstream.body === null) {
    io.release();
    return new Response(null, init);
  }
  const { trace } = io;
  if (trace) {
    trace.openBody();
    const release = io.release;
    io = { ...io, release: () => (release(), trace.bodyEnded()) };
  }
  const source = decoded ? decodedBody(upstream.body, coding) : upstream.body;
  const reader = new UpstreamReader(source, {
    idleMs: io.idleMs,
    abort: io.abort,
    ...(trace ? { trace } : {}),
  });
  const crashed = (e: unknown) =>
    log.error("Correction failed for request {requestId}: {error}", {
      requestId: io.requestId,
      error: crashText(e),
    });
  const streamed = isStreamType(contentType);
  const size = decoded ? NaN : Number(upstream.headers.get("content-length") ?? NaN);
  if (!streamed && size <= (plan === null ? SMALL_BODY : plan.frameMax)) {
    return whole(reader, size, plan, init, io, crashed);
  }
  const protocol = plan?.adapter.protocol ?? io.protocol;
  const errorFrame: ErrorFrame = streamed
    ? (message) => streamErrorFrame(protocol, contentType, message)
    : null;
  const stage = plan === null
    ? passStage(errorFrame)
    : chainStage(plan, contentType, errorFrame, crashed);
  const { send, ...hooks } = io;
  const body = chainBody(reader, stage, {
    ...hooks,
    crashed,
    ...(send && streamed && upstream.ok ? { send } : {}),
  });
  return new Response(body, init);
}

/**
 * A body of known, bounded size: read whole under the idle timeout, corrected once when there is
 * a plan, sent in one piece. An upstream failure before the end is a protocol-shaped 502.
 */
async function whole(
  reader: UpstreamReader,
  size: number,
  plan: Correction | null,
  init: ResponseInit,
  io: ChainIo,
  crashed: (e: unknown) => void,
): Promise<Response> {
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (let chunk = await reader.read(); chunk !== null; chunk = await reader.read()) {
      total += chunk.byteLength;
      if (total > size) throw new UpstreamFailure("Upstream body longer than its content-length");
      parts.push(reader.copy(chunk));
    }
  } catch (e) {
    reader.close();
    io.release();
    io.abort("Upstream body failed");
    throw new ProxyError(502, "upstream_body_failed", errorText(e));
  }
  io.release();
  const bytes = concat(parts, total);
  if (plan === null) return new Response(bytes, init);
  const stage = chainStage(plan, "application/json", null, crashed);
  try {
    stage.push(bytes, (c) => c);
    const out = stage.end();
    return new Response(typeof out === "string" ? out : concat([out], out.byteLength), init);
  } catch (e) {
    crashed(e);
    return new Response(bytes, init);
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  if (parts.length === 1 && parts[0]!.buffer instanceof ArrayBuffer) {
    return parts[0] as Uint8Array<ArrayBuffer>;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** What {@link intercept} needs: a correction input plus the upstream response. */
export interface InterceptInput extends CorrectionInput {
  /** The upstream response (2xx, JSON / NDJSON / SSE). A body read error counts as a failure. */
  upstream: Response;
  /** Stops the upstream request (early end, client gone). */
  abort: () => void;
  /** Called once when the client body ends for any reason. */
  onEnd?: () => void;
  /** Idle timeout of the upstream body; 300,000 ms when not given. */
  idleMs?: number;
}

/**
 * Plan the correction of one generation response and run it: the entry of tests, benches and
 * the eval, the same path the proxy takes.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../store/store.ts";
 * import { resolveSettings } from "../rules/detector_settings.ts";
 * const sink = openStore(":memory:");
 * const line = (content: string, done: boolean) =>
 *   JSON.stringify({ message: { role: "assistant", content }, done }) + "\n";
 * const upstream = new Response(line("Done.<|im_end|>", false) + line("junk", true), {
 *   headers: { "content-type": "application/x-ndjson" },
 * });
 * const res = await intercept({ kind: "ollama_chat", body: { model: "qwen3" }, requestId: "r1",
 *   mode: "correct", upstream, abort: () => {}, sink, workspace: null,
 *   rules: { patterns: [], navigationFixes: new Map() }, settings: resolveSettings() });
 * const text = (await res.text()).trim().split("\n").map((l) => JSON.parse(l).message.content);
 * assert.equal(text.join(""), "Done.");
 * assert.equal(sink.list({ requestId: "r1" })[0]?.action, "ended");
 * sink.close();
 * ```
 */
export function intercept(input: InterceptInput): Response | Promise<Response> {
  const plan = planCorrection(input);
  return respond(plan, input.upstream, {
    protocol: plan.adapter.protocol,
    requestId: input.requestId,
    idleMs: input.idleMs ?? 300_000,
    abort: () => input.abort(),
    release: input.onEnd ?? (() => {}),
  });
}
