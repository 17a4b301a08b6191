/**
 * The response side of a generation route in `correct` or `detect` mode: upstream bytes →
 * frames → corrector → client. In `detect` mode the client gets the upstream's bytes unchanged
 * and detection runs beside them.
 * @module
 */
import { contextBase, jsonHook, recorder, type Rules, toolHook } from "../correct/context.ts";
import { FrameCorrector } from "../correct/corrector.ts";
import type { ContextBase } from "../correct/window.ts";
import { Shaper } from "../correct/shaper.ts";
import { type BodyHooks, correctedBody, teeBody, wholeBody } from "../correct/bodies.ts";
import { defaultDetectors } from "../detect/mod.ts";
import type { Detector, DetectorSetting } from "../detect/types.ts";
import type { Adapter } from "../protocols/adapter.ts";
import { adapterFor } from "../protocols/mod.ts";
import { NdjsonFramer } from "../protocols/ndjson.ts";
import { SseFramer } from "../protocols/sse.ts";
import { requestedJsonFormat } from "../tools/offered.ts";
import type { CorrectionSink } from "../types.ts";
import type { WorkspaceIndex } from "../workspace/types.ts";
import { isStreamType, streamErrorFrame } from "./errors.ts";
import { responseHeaders } from "./headers.ts";
import type { RouteKind } from "./routes.ts";

/** Everything the proxy handler hands over for one intercepted response. */
export interface InterceptInput {
  kind: RouteKind;
  /** The parsed request JSON. */
  body: Record<string, unknown>;
  requestId: string;
  mode: "correct" | "detect";
  /** The upstream response (2xx, JSON / NDJSON / SSE). A body read error counts as a failure. */
  upstream: Response;
  /** Stops the upstream request (early end, client gone). */
  abort: () => void;
  sink: CorrectionSink;
  workspace: WorkspaceIndex | null;
  rules: Rules;
  /** Resolved per-detection-type settings (`resolveSettings`). */
  settings: Readonly<Record<string, DetectorSetting>>;
  /** Most characters held back per channel; 512 when not given. */
  holdback?: number;
  /** Text detectors; `defaultDetectors()` when not given. */
  detectors?: readonly Detector[];
  /** Called once when the client body ends for any reason. */
  onEnd?: () => void;
  /** Milliseconds since the epoch, for records. */
  clock?: () => number;
}

/** Characters of emitted text kept as detector context per channel. */
const TAIL = 1024;

function shaperFor(input: InterceptInput, adapter: Adapter, base: ContextBase, fragments: boolean) {
  const rewrite = input.mode === "correct";
  const format = requestedJsonFormat(input.body);
  const record = recorder(input.sink, {
    requestId: input.requestId,
    model: base.model,
    protocol: adapter.protocol,
  }, input.clock ?? Date.now);
  return new Shaper({
    channels: adapter.channels,
    fragments,
    window: {
      detectors: input.detectors ?? defaultDetectors(),
      base,
      holdback: input.holdback ?? 512,
      tailMax: TAIL,
      rewrite,
    },
    report: record,
    toolHook: toolHook(base, rewrite, record),
    json: format === null ? null : jsonHook(format, base, rewrite, record),
  });
}

/**
 * The client's response for an intercepted upstream response: same status and headers (minus
 * hop-by-hop and, when rewritten, content-length), body corrected in flight (`correct`) or
 * passed through byte for byte with detections recorded (`detect`).
 * @example
 * const res = intercept({ kind: "ollama_chat", body, requestId: "r1", mode: "correct",
 *   upstream, abort: () => call.abort(), sink, workspace: null,
 *   rules: { patterns: [], navigationFixes: new Map() }, settings: resolveSettings() });
 */
export function intercept(input: InterceptInput): Response {
  const adapter = adapterFor(input.kind);
  const base = contextBase(input.body, input.workspace, input.rules, input.settings);
  const contentType = input.upstream.headers.get("content-type") ?? "";
  const streamed = isStreamType(contentType);
  const headers = responseHeaders(input.upstream.headers, input.mode === "correct");
  const init = { status: input.upstream.status, statusText: input.upstream.statusText, headers };
  const source = input.upstream.body;
  if (source === null) {
    input.onEnd?.();
    return new Response(null, init);
  }
  const hooks: BodyHooks = {
    fail: (message) => streamErrorFrame(adapter.protocol, contentType, message),
    abort: input.abort,
    end: once(input.onEnd),
  };
  const rewrite = input.mode === "correct";
  if (!streamed) {
    const shaper = shaperFor(input, adapter, base, false);
    return new Response(wholeBody(source, adapter, shaper, rewrite, hooks), init);
  }
  const corrector = new FrameCorrector({
    adapter,
    shaper: shaperFor(input, adapter, base, adapter.protocol === "openai"),
  });
  const framer = adapter.framing === "sse" ? new SseFramer() : new NdjsonFramer();
  const body = rewrite
    ? correctedBody(source, framer, corrector, hooks)
    : teeBody(source, framer, corrector, hooks);
  return new Response(body, init);
}

function once(fn: (() => void) | undefined): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn?.();
    }
  };
}
