/**
 * The stages of an intercepted response (see `Stage` in body.ts): a stream corrected frame by
 * frame, a stream only inspected (detect mode), a whole JSON body. Each stops correcting once a
 * frame, or what it holds, grows past the plan's `frameMax`: what is held goes out as received,
 * the rest passes through untouched, and one record says so. Cost stays linear in the bytes.
 * @module
 */
import type { Correction } from "../plan.ts";
import type { JsonObject } from "../protocols/adapter.ts";
import type { Framer } from "../protocols/framing/frame.ts";
import type { Stage } from "./body.ts";
import type { FrameCorrector } from "./corrector.ts";
import type { Shaper } from "./shaper.ts";
import { errorText } from "../http/proxy_error.ts";
import { correctWhole } from "./whole.ts";

/** The protocol's last frame for a failure message; null errors the body instead. */
export type ErrorFrame = ((message: string) => string) | null;

const encoder = new TextEncoder();

function concat(parts: readonly (Uint8Array | string)[]): Uint8Array {
  const bytes = parts.map((p) => typeof p === "string" ? encoder.encode(p) : p);
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of bytes) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

/** Records that correction stopped for this response because something grew past the bound. */
function recordOversize(plan: Correction, size: number): void {
  plan.record("content", {
    type: "frame_too_large",
    found: `${size}+ characters in one frame or held`,
    replacement: null,
    confidence: 1,
    reason: `more than --max-frame (${plan.frameMax}) in one frame or held: passed through`,
  }, "passed");
}

/**
 * Correct mode on a stream: frames through the corrector. Held text is flushed at the end, before
 * the error frame when the upstream fails (a partial frame at the failure is dropped). A read of
 * whole frames the corrector left unchanged goes out as the upstream's own bytes: when the framer
 * held nothing before and after it, its frames are exactly that read.
 */
export function correctStage(
  plan: Correction,
  framer: Framer,
  corrector: FrameCorrector,
  errorFrame: ErrorFrame,
): Stage {
  let clean = true; // the framer holds no bytes of an earlier read
  let passing = false;
  let out = ""; // what the current read produced so far (sent even when a later frame throws)
  const frame = (message: string) => errorFrame?.(message) ?? "";
  const stage: Stage & { ended: boolean } = {
    ended: false,
    push(chunk, keep) {
      if (passing) return keep(chunk);
      const size = framer.held + corrector.held + chunk.byteLength;
      if (size > plan.frameMax) {
        passing = true;
        recordOversize(plan, size);
        return concat([corrector.abandon(), framer.drain(), chunk]);
      }
      out = "";
      let same = true;
      for (const f of framer.push(chunk)) {
        const text = corrector.frame(f);
        out += text;
        same &&= text === f.raw;
        if (corrector.ended) {
          stage.ended = true;
          return out;
        }
      }
      const whole = clean;
      clean = !framer.buffered;
      return same && whole && clean ? keep(chunk) : out;
    },
    end() {
      if (passing) return "";
      out = "";
      for (const f of framer.end()) {
        out += corrector.frame(f);
        if (corrector.ended) return out;
      }
      return out + corrector.end();
    },
    fail: (message) => (passing ? "" : corrector.end()) + frame(message),
    abandon(message) {
      let held = out;
      try {
        held += corrector.abandon();
      } catch {
        // The error frame still goes out.
      }
      return held + frame(message);
    },
  };
  return stage;
}

/**
 * Detect mode on a stream: every read goes out unchanged; the same bytes are framed and run
 * through a non-rewriting corrector beside them. A failure while inspecting stops inspection
 * (reported through `crashed`) and never touches the bytes.
 */
export function detectStage(
  plan: Correction,
  framer: Framer,
  corrector: FrameCorrector,
  errorFrame: ErrorFrame,
  crashed: (error: unknown) => void,
): Stage {
  let watching = true;
  const watch = (frames: () => void) => {
    if (!watching) return;
    try {
      frames();
    } catch (e) {
      watching = false;
      crashed(e);
    }
  };
  const finish = () =>
    watch(() => {
      for (const f of framer.end()) corrector.frame(f);
      corrector.end();
    });
  return {
    ended: false,
    push(chunk, keep) {
      const out = keep(chunk);
      watch(() => {
        const size = framer.held + corrector.held + chunk.byteLength;
        if (size > plan.frameMax) {
          watching = false;
          recordOversize(plan, size);
          return;
        }
        for (const f of framer.push(chunk)) corrector.frame(f);
      });
      return out;
    },
    end() {
      finish();
      return "";
    },
    fail(message) {
      finish();
      return errorFrame?.(message) ?? null;
    },
    abandon: (message) => errorFrame?.(message) ?? null,
  };
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
 * A non-streaming JSON body: read whole, corrected once (`plan.rewrite`) or only inspected; the
 * original bytes go out when nothing changed, in detect mode, and when the stage itself fails.
 */
export function wholeStage(plan: Correction, shaper: Shaper): Stage {
  let parts: Uint8Array[] = [];
  let size = 0;
  let passing = false;
  const held = () => {
    const bytes = concat(parts);
    parts = [];
    return bytes;
  };
  return {
    ended: false,
    push(chunk, keep) {
      if (passing) return keep(chunk);
      size += chunk.byteLength;
      if (size > plan.frameMax) {
        passing = true;
        recordOversize(plan, size);
        return concat([held(), chunk]);
      }
      parts.push(keep(chunk));
      return "";
    },
    end() {
      if (passing) return "";
      const bytes = held();
      const text = new TextDecoder().decode(bytes);
      const body = parseObject(text);
      parts = [bytes];
      const fixed = body === null ? null : correctWhole(plan.adapter, body, shaper);
      if (fixed === null || !plan.rewrite) return bytes;
      return JSON.stringify(fixed) + (text.endsWith("\n") ? "\n" : "");
    },
    fail: () => null,
    abandon: () => parts.length > 0 ? held() : null,
  };
}

/**
 * The text of an internal error for the log.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(crashText(new Error("boom")), /^Error: boom\n {4}at /); // with its stack
 * assert.equal(crashText("boom"), "boom");
 * ```
 */
export function crashText(e: unknown): string {
  return e instanceof Error && e.stack ? e.stack : errorText(e);
}
