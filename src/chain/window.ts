/**
 * The holdback window of one channel: detectors run over `tail + pending`; text before the
 * earliest point where a detection could still start goes out (corrected), the rest waits, at
 * most `holdback` characters. A detector with a `lookback` (repetition loops) also sees that
 * many characters of already-sent text before the tail.
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { advanceFence } from "../text/markdown.ts";
import { holdOffset, resolveOverlaps, runDetectors } from "../detect/run_detectors.ts";
import { thinkOpenAfter } from "../detect/think_leak.ts";
import type { DetectContext, Detection, Detector, WindowState } from "../detection.ts";
import type { ContextBase } from "../plan.ts";
import type { Channel, ToolCall } from "../types.ts";
import { type Applied, decide, render } from "./policy.ts";
import { around, recordedAction, type TextContext } from "../observe/explain.ts";

/** How a window behaves. */
export interface WindowOptions {
  detectors: readonly Detector[];
  base: ContextBase;
  /** Most characters held back while a candidate is undecided. */
  holdback: number;
  /** Emitted text kept for context (cut at line starts), in characters. */
  tailMax: number;
  /** False in detect mode: detections are reported, text is never changed. */
  rewrite: boolean;
  /** Every detection, with what was done about it. */
  report(detection: Detection, action: Applied["action"], context: TextContext): void;
}

/** What one step of the window sends. */
export interface Release {
  /** Corrected text for this channel. */
  text: string;
  /** Text that moves to the thinking channel (`to_thinking`). */
  moved: string;
  /** Tool calls written as text, now structured (`tool_call`). */
  calls: Omit<ToolCall, "index">[];
  /** True when a detection ended the generation: nothing more comes from this window. */
  end: boolean;
}

const log = getLogger(["hotpatch", "correct"]);

const nothing: Release = Object.freeze({ text: "", moved: "", calls: [], end: false });

/**
 * One channel's holdback window.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectContext } from "../detect/context.ts";
 * import { defaultDetectors } from "../detect/mod.ts";
 * const w = new ChannelWindow("content", { detectors: defaultDetectors(), holdback: 512,
 *   base: detectContext(), tailMax: 1024, rewrite: true, report() {} });
 * assert.equal(w.push("Done. <|im_").text, "Done. "); // a partial token is held
 * assert.deepEqual(w.push("end|> more"), { text: "", moved: "", calls: [], end: true });
 * ```
 */
export class ChannelWindow {
  #channel: Channel;
  #opts: WindowOptions;
  #tail = "";
  /** Sent text before the tail, for detectors with a lookback (at most the longest one). */
  #older = "";
  #lookback: number;
  #near: readonly Detector[];
  #far: readonly Detector[];
  #pending = "";
  #state: WindowState = { fence: null, inThink: false };
  #ended = false;

  constructor(channel: Channel, opts: WindowOptions) {
    this.#channel = channel;
    this.#opts = opts;
    this.#near = opts.detectors.filter((d) => (d.lookback ?? 0) <= opts.tailMax);
    this.#far = opts.detectors.filter((d) => (d.lookback ?? 0) > opts.tailMax);
    this.#lookback = Math.max(0, ...this.#far.map((d) => d.lookback ?? 0));
  }

  /** Characters received and not yet sent. */
  get held(): number {
    return this.#pending.length;
  }

  /** Add text; returns what can go out now. */
  push(text: string): Release {
    if (this.#ended) return nothing;
    this.#pending += text;
    return this.#step(false);
  }

  /** The whole text at once (a non-streaming body): one final pass. */
  all(text: string): Release {
    if (this.#ended) return nothing;
    this.#pending += text;
    return this.#step(true);
  }

  /** Give up correcting: the held text as received; nothing more comes from this window. */
  abandon(): string {
    const text = this.#ended ? "" : this.#pending;
    this.#pending = "";
    this.#ended = true;
    return text;
  }

  /** No more text comes: everything held goes out, corrected. */
  finish(): Release {
    if (this.#ended || this.#pending === "") return nothing;
    return this.#step(true);
  }

  #step(final: boolean): Release {
    const window = this.#tail + this.#pending;
    const emitted = this.#tail.length;
    const ctx: DetectContext = {
      ...this.#opts.base,
      channel: this.#channel,
      final,
      state: this.#state,
      emitted,
    };
    const far = this.#far.length > 0 ? this.#farScan(window, ctx) : null;
    let cut = final
      ? window.length
      : Math.max(emitted, Math.min(holdOffset(window, this.#near, ctx), far?.hold ?? Infinity));
    if (window.length - cut > this.#opts.holdback) {
      cut = window.length - this.#opts.holdback;
      log.debug("Holdback bound reached on {channel}: undecided text sent ({requestModel})", {
        channel: this.#channel,
        requestModel: this.#opts.base.model,
      });
    }
    const near = cut > emitted ? runDetectors(window, this.#near, ctx) : [];
    const found = far === null || cut <= emitted
      ? near
      : resolveOverlaps([...near, ...far.found()]);
    const kept: Detection[] = [];
    for (const d of found) {
      if (d.start >= cut) break;
      kept.push(d);
      if (d.end > cut) cut = d.end;
    }
    if (cut < window.length && isHighSurrogate(window.charCodeAt(cut - 1)) && cut > emitted) cut--;
    if (cut === emitted) return nothing;
    const release = kept.length === 0
      ? { text: window.slice(emitted, cut), moved: "", calls: [], end: false }
      : this.#apply(window, emitted, cut, kept, ctx);
    this.#pending = release.end ? "" : window.slice(cut);
    this.#ended = release.end;
    this.#keep(window.slice(0, cut));
    return release;
  }

  #apply(
    window: string,
    emitted: number,
    cut: number,
    kept: readonly Detection[],
    ctx: DetectContext,
  ): Release {
    const applied = kept.map((d) => decide(d, window, ctx, this.#opts.rewrite));
    for (const a of applied) {
      const context = around(window, a.detection, recordedAction(a.detection, a.action));
      this.#opts.report(a.detection, a.action, context);
    }
    return render(window.slice(0, cut), emitted, applied, this.#channel);
  }

  /**
   * The detectors with a lookback over `older + window` (their offsets shifted back into the
   * window): where they hold from, and (asked only when text goes out) what they found.
   */
  #farScan(window: string, ctx: DetectContext) {
    const shift = this.#older.length;
    const text = shift === 0 ? window : this.#older + window;
    const farCtx = { ...ctx, emitted: ctx.emitted + shift };
    return {
      hold: holdOffset(text, this.#far, farCtx) - shift,
      found: () =>
        runDetectors(text, this.#far, farCtx).map((d) => ({
          ...d,
          start: d.start - shift,
          end: d.end - shift,
        })),
    };
  }

  /** Keep the emitted text as context, trimmed at a line start; advance the state past the cut. */
  #keep(text: string): void {
    const max = this.#opts.tailMax;
    if (text.length <= max) {
      this.#tail = text;
      return;
    }
    let from = text.indexOf("\n", text.length - max - 1) + 1;
    if (from === 0) {
      if (text.length <= 4 * max) {
        this.#tail = text;
        return;
      }
      from = text.length - max;
    }
    const gone = text.slice(0, from);
    if (this.#lookback > 0) this.#older = (this.#older + gone).slice(-this.#lookback);
    this.#state = {
      fence: advanceFence(this.#state.fence, gone),
      inThink: thinkOpenAfter(this.#state, gone),
    };
    this.#tail = text.slice(from);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
