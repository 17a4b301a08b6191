/**
 * The in-stream corrector: upstream frames in, corrected wire text out. Text goes through one
 * holdback window per channel, tool calls are held until complete and repaired, and a frame
 * whose parts did not change goes out as its original bytes.
 * @module
 */
import type { Adapter, FramePatch, JsonObject } from "../protocols/adapter.ts";
import type { Frame } from "../protocols/framing/frame.ts";
import type { Channel, StreamEvent, ToolCall } from "../types.ts";
import { type Parts, patchOf, type Shaper } from "./shaper.ts";

/** What the corrector of one response needs (see `Shaper` for the text and tool-call parts). */
export interface CorrectorOptions {
  adapter: Adapter;
  shaper: Shaper;
}

function parse(data: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as JsonObject
      : null;
  } catch {
    return null;
  }
}

/**
 * Detect mode: nothing waits on the result, so text is inspected once this many characters
 * arrived (detections do not depend on how the text is split).
 */
const OBSERVE_STEP = 64;

function hasThinking(adapter: Adapter, chunk: JsonObject): boolean {
  return adapter.decode(chunk).some((e) => e.kind === "text" && e.channel === "thinking");
}

/**
 * Corrects one streamed response frame by frame (synchronous; the caller moves the bytes).
 */
export class FrameCorrector {
  #adapter: Adapter;
  #shaper: Shaper;
  /** The last non-final chunk that carried text: the shape flushed text goes out in. */
  #template: JsonObject | null = null;
  #ended = false;
  /** Detect mode: events not inspected yet (consecutive text of one channel joined). */
  #batch: StreamEvent[] = [];
  #batched = 0;

  constructor(opts: CorrectorOptions) {
    this.#adapter = opts.adapter;
    this.#shaper = opts.shaper;
  }

  /** True once a detection ended the generation: the caller stops the upstream. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The wire text to send for one upstream frame ("" while everything is held). */
  frame(f: Frame): string {
    if (this.#ended) return "";
    if (f.data === null) return f.raw;
    const chunk = parse(f.data);
    if (chunk === null || chunk.error !== undefined) return this.end() + f.raw;
    if (this.#shaper.rewrites) return this.#chunk(chunk, f.raw);
    this.#observe(chunk);
    return f.raw;
  }

  /** Characters held back (text, a JSON answer, tool-call fragments). */
  get held(): number {
    return this.#shaper.held;
  }

  /**
   * Give up correcting (a frame too large, an internal error): everything held, as received, in
   * a frame of the stream's own shape. Later frames must go out as they came.
   */
  abandon(): string {
    if (this.#ended) return "";
    this.#ended = true;
    this.#batch = [];
    const parts = this.#shaper.abandon();
    return this.#extra(parts.text, this.#template) + this.#callFrame(parts.calls);
  }

  /** The upstream ended: everything still held, in a frame of the stream's own shape. */
  end(): string {
    if (this.#ended) return "";
    if (this.#batch.length > 0) this.#observe(null);
    if (this.#ended) return "";
    const parts = this.#shaper.flush();
    return this.#extra(parts.text, this.#template) + this.#callFrame(parts.calls);
  }

  #chunk(chunk: JsonObject, raw: string): string {
    const a = this.#adapter;
    const events = a.decode(chunk);
    const original: Record<Channel, string> = { content: "", thinking: "" };
    let done: string | null = null;
    for (const e of events) {
      if (e.kind === "text") original[e.channel] += e.text;
      else if (e.kind === "done") done = e.reason;
    }
    const parts = this.#shaper.take(events, chunk);
    if (parts.end) return this.#finishEarly(chunk, parts, original);
    const hasText = original.content !== "" || original.thinking !== "";
    let before = "";
    if (done !== null) before = this.#flushInto(parts, hasText, done);
    else if (hasText) this.#template = chunk;
    let patch = patchOf(parts, original);
    if (done === "stop" && this.#shaper.madeCalls && a.protocol === "openai") {
      patch = { ...patch, done: "tool_calls" };
    } else if (done === "tool_calls" && this.#shaper.answeredOnly) {
      patch = { ...patch, done: "stop" }; // every call was answered with text instead
    }
    if (patch === null) return before + raw;
    const empty = parts.text.content === "" && parts.text.thinking === "" &&
      (parts.calls === null || parts.calls.length === 0);
    if (empty && done === null && a.bare(chunk)) return before;
    return before + a.serialize(a.encode(chunk, patch));
  }

  /**
   * Detect mode (the frame goes out as it came): text is batched up to {@link OBSERVE_STEP}
   * characters; any other event, or `chunk` null (the end), sends the batch to the shaper.
   */
  #observe(chunk: JsonObject | null): void {
    const events = chunk === null ? [] : this.#adapter.decode(chunk);
    let other = chunk === null;
    for (const e of events) {
      if (e.kind !== "text") {
        other = true;
        this.#batch.push(e);
        continue;
      }
      this.#batched += e.text.length;
      const last = this.#batch.at(-1);
      if (last?.kind === "text" && last.channel === e.channel) {
        this.#batch[this.#batch.length - 1] = { ...last, text: last.text + e.text };
      } else this.#batch.push(e);
    }
    if (!other && this.#batched < OBSERVE_STEP) return;
    const batch = this.#batch;
    this.#batch = [];
    this.#batched = 0;
    const parts = this.#shaper.take(batch, chunk ?? {});
    if (parts.end) this.#ended = true;
    else {
      const done = batch.find((e) => e.kind === "done");
      if (done !== undefined) this.#shaper.flush(done.reason);
    }
  }

  /**
   * The final chunk came: held text joins its text when it has some, otherwise goes out just
   * before it; held tool calls go out just before it. Returns the frames to send first.
   */
  #flushInto(parts: Parts, hasText: boolean, done: string): string {
    const rest = this.#shaper.flush(done);
    let before = "";
    if (hasText || this.#template === null) {
      parts.text.content += rest.text.content;
      parts.text.thinking += rest.text.thinking;
    } else before = this.#extra(rest.text, this.#template);
    return before + this.#callFrame(rest.calls);
  }

  #finishEarly(chunk: JsonObject, parts: Parts, original: Record<Channel, string>): string {
    const a = this.#adapter;
    this.#ended = true;
    const patch = patchOf(parts, original) ?? {};
    const text = parts.text.content !== "" || parts.text.thinking !== "" ||
        (parts.calls?.length ?? 0) > 0
      ? a.serialize(a.encode(chunk, patch))
      : "";
    return text + a.serialize(a.finish(this.#template ?? chunk)) + a.trailer;
  }

  /** A frame with text only, in the shape of `template` (nothing when there is no text). */
  #extra(text: Record<Channel, string>, template: JsonObject | null): string {
    if (template === null || (text.content === "" && text.thinking === "")) return "";
    const patch: FramePatch = { content: text.content };
    if (text.thinking !== "" || hasThinking(this.#adapter, template)) {
      patch.thinking = text.thinking;
    }
    return this.#adapter.serialize(this.#adapter.encode(template, patch));
  }

  /** A frame carrying whole tool calls that were held until now. */
  #callFrame(calls: readonly ToolCall[] | null): string {
    const template = this.#shaper.callTemplate ?? this.#template;
    if (calls === null || calls.length === 0 || template === null) return "";
    return this.#adapter.serialize(this.#adapter.encode(template, { toolCalls: calls }));
  }
}
