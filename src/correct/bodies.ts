/**
 * The client bodies of an intercepted response: corrected stream, detect-mode tee, whole JSON.
 * All are pull-based (`highWaterMark: 0`): nothing is read from the upstream before the client
 * asks, and a client that goes away stops the upstream.
 * @module
 */
import type { Adapter, JsonObject } from "../protocols/adapter.ts";
import type { Frame, Framer } from "../protocols/framing.ts";
import type { FrameCorrector } from "./corrector.ts";
import type { Shaper } from "./shaper.ts";
import { correctWhole } from "./whole.ts";

/** What every body needs besides its source. */
export interface BodyHooks {
  /** The protocol's error frame for an upstream failure message. */
  fail(message: string): string;
  /** Stops the upstream request. */
  abort(): void;
  /** Called once when the body ends for any reason. */
  end(): void;
}

const encoder = new TextEncoder();

function reasonOf(e: unknown): string {
  return `Upstream stream failed: ${e instanceof Error ? e.message : String(e)}`;
}

function push(ctrl: ReadableStreamDefaultController<Uint8Array>, text: string): void {
  if (text !== "") ctrl.enqueue(encoder.encode(text));
}

/**
 * The corrected stream: frames through the corrector; held text flushed at the end, before the
 * error frame when the upstream fails (a partial frame at the failure is dropped); the upstream
 * aborted when the corrector ends early. Framing runs in the same pull as the read, so no
 * framed-but-unsent frame can be lost when the upstream fails. A read that holds whole frames
 * the corrector left unchanged goes out as the upstream's own bytes (no re-encoding): when the
 * framer held nothing before and after it, its frames are exactly that read.
 * @example
 * const body = correctedBody(upstream.body!, new SseFramer(), corrector, hooks);
 */
export function correctedBody(
  source: ReadableStream<Uint8Array>,
  framer: Framer,
  corrector: FrameCorrector,
  hooks: BodyHooks,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let clean = true; // the framer holds no bytes of an earlier read
  const finish = (ctrl: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    push(ctrl, text);
    ctrl.close();
    hooks.end();
  };
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (e) {
          return finish(ctrl, corrector.end() + hooks.fail(reasonOf(e)));
        }
        let out = "";
        let same = true;
        for (const f of next.done ? framer.end() : framer.push(next.value)) {
          const text = corrector.frame(f);
          out += text;
          same &&= text === f.raw;
          if (corrector.ended) break;
        }
        if (corrector.ended) {
          hooks.abort();
          reader.cancel().catch(() => {});
          return finish(ctrl, out);
        }
        if (next.done) return finish(ctrl, out + corrector.end());
        const whole = clean;
        clean = !framer.buffered;
        if (same && whole && clean) return ctrl.enqueue(next.value);
        if (out !== "") return push(ctrl, out);
      }
    },
    cancel(reason) {
      hooks.abort();
      hooks.end();
      return reader.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
}

/**
 * Detect mode: the upstream bytes go to the client unchanged, chunk by chunk; the same bytes are
 * framed and run through a non-rewriting corrector beside them (its output is discarded).
 * @example
 * const body = teeBody(upstream.body!, new SseFramer(), detectingCorrector, hooks);
 */
export function teeBody(
  source: ReadableStream<Uint8Array>,
  framer: Framer,
  corrector: FrameCorrector,
  hooks: BodyHooks,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const observe = (frames: readonly Frame[]) => {
    for (const f of frames) corrector.frame(f);
  };
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (e) {
        observe(framer.end());
        corrector.end();
        push(ctrl, hooks.fail(reasonOf(e)));
        ctrl.close();
        hooks.end();
        return;
      }
      if (next.done) {
        observe(framer.end());
        corrector.end();
        ctrl.close();
        hooks.end();
        return;
      }
      ctrl.enqueue(next.value);
      observe(framer.push(next.value));
    },
    cancel(reason) {
      hooks.abort();
      hooks.end();
      return reader.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
}

function parseObject(text: string): JsonObject | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v as JsonObject : null;
  } catch {
    return null;
  }
}

/**
 * A non-streaming JSON body: read whole, corrected once (`rewrite`) or only inspected; the
 * original bytes go out when nothing changed or in detect mode.
 * @example
 * const body = wholeBody(upstream.body!, openaiChat, shaper, true, hooks);
 */
export function wholeBody(
  source: ReadableStream<Uint8Array>,
  adapter: Adapter,
  shaper: Shaper,
  rewrite: boolean,
  hooks: BodyHooks,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      try {
        const bytes = new Uint8Array(await new Response(source).arrayBuffer());
        const text = new TextDecoder().decode(bytes);
        const body = parseObject(text);
        const fixed = body === null ? null : correctWhole(adapter, body, shaper);
        if (fixed === null || !rewrite) ctrl.enqueue(bytes);
        else push(ctrl, JSON.stringify(fixed) + (text.endsWith("\n") ? "\n" : ""));
        ctrl.close();
      } catch (e) {
        ctrl.error(e);
      } finally {
        hooks.end();
      }
    },
    cancel(reason) {
      hooks.abort();
      hooks.end();
      return source.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
}
