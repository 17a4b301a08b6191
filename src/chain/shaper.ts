/**
 * The protocol-independent half of the corrector: text events go through one holdback window per
 * channel, tool calls through the fragment joiner and the repair hook, a JSON answer is held
 * whole. It returns the corrected parts of each chunk; the corrector puts them on the wire.
 * @module
 */
import type { Detection } from "../detection.ts";
import type { FramePatch, JsonObject } from "../protocols/adapter.ts";
import type { Channel, StreamEvent, ToolCall } from "../types.ts";
import type { Applied } from "./policy.ts";
import type { TextContext } from "../observe/explain.ts";
import { FragmentJoiner, newCallId, type ToolHook } from "./toolcalls.ts";
import { ChannelWindow, type Release, type WindowOptions } from "./window.ts";

/** The corrected parts of one chunk. */
export interface Parts {
  text: Record<Channel, string>;
  /** Calls to carry instead of the chunk's own; null when they go out unchanged. */
  calls: ToolCall[] | null;
  /** A detection ended the generation. */
  end: boolean;
}

/** What a shaper needs. */
export interface ShaperOptions {
  /** Channels the wire shape has; text moved to a missing one is dropped. */
  channels: readonly Channel[];
  /** Tool calls arrive as fragments joined by index (OpenAI streaming). */
  fragments: boolean;
  window: Omit<WindowOptions, "report">;
  report(
    channel: Channel,
    detection: Detection,
    action: Applied["action"],
    context: TextContext,
  ): void;
  toolHook: ToolHook;
  /** When the answer must be JSON: repairs the whole content at the end; null otherwise. */
  json: ((text: string) => string) | null;
}

/**
 * The patch that turns a chunk's original text into `parts`; null when nothing changed.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const parts = { text: { content: "b", thinking: "" }, calls: null, end: false };
 * assert.deepEqual(patchOf(parts, { content: "a", thinking: "" }), { content: "b" });
 * assert.equal(patchOf(parts, { content: "b", thinking: "" }), null);
 * ```
 */
export function patchOf(parts: Parts, original: Record<Channel, string>): FramePatch | null {
  const { text } = parts;
  if (
    parts.calls === null && text.content === original.content &&
    text.thinking === original.thinking
  ) return null;
  const patch: FramePatch = {};
  let changed = false;
  for (const channel of ["content", "thinking"] as const) {
    if (parts.text[channel] !== original[channel]) {
      patch[channel] = parts.text[channel];
      changed = true;
    }
  }
  if (parts.calls !== null) {
    patch.toolCalls = parts.calls;
    changed = true;
  }
  return changed ? patch : null;
}

function sameCall(a: ToolCall, b: ToolCall | null): boolean {
  return b !== null && a.name === b.name && a.arguments === b.arguments && a.id === b.id;
}

/**
 * Corrects the parts of a response, chunk by chunk.
 */
export class Shaper {
  #o: ShaperOptions;
  #windows: Record<Channel, ChannelWindow>;
  #joiner = new FragmentJoiner();
  #callTemplate: JsonObject | null = null;
  #json = "";
  #nextIndex = 0;
  #madeCalls = false;
  #sentCalls = false;
  #answered = false;

  constructor(opts: ShaperOptions) {
    this.#o = opts;
    const make = (channel: Channel) =>
      new ChannelWindow(channel, {
        ...opts.window,
        report: (d, action, context) => opts.report(channel, d, action, context),
      });
    this.#windows = { content: make("content"), thinking: make("thinking") };
  }

  /** False in detect mode: text is inspected, never changed. */
  get rewrites(): boolean {
    return this.#o.window.rewrite;
  }

  /** True once a tool call was built from text (OpenAI then finishes with `tool_calls`). */
  get madeCalls(): boolean {
    return this.#madeCalls;
  }

  /** Characters held: text per channel, a JSON answer, tool-call fragments. */
  get held(): number {
    return this.#windows.content.held + this.#windows.thinking.held + this.#json.length +
      this.#joiner.size;
  }

  /** True when every tool call so far was answered with text instead (repeated calls). */
  get answeredOnly(): boolean {
    return this.#answered && !this.#sentCalls;
  }

  /** The chunk that opened the held calls returned by the last `flush`. */
  get callTemplate(): JsonObject | null {
    return this.#callTemplate;
  }

  /** Corrected parts of one chunk's events (`whole`: each text is complete, as in a body). */
  take(events: readonly StreamEvent[], chunk: JsonObject, whole = false): Parts {
    const parts: Parts = { text: { content: "", thinking: "" }, calls: null, end: false };
    const own: ToolCall[] = [];
    let replace = false;
    let finish: string | null = null;
    for (const e of events) if (e.kind === "done") finish = e.reason;
    for (const e of events) {
      if (e.kind === "text") {
        if (e.channel === "content" && this.#o.json !== null) this.#json += e.text;
        else {
          const w = this.#windows[e.channel];
          this.#add(parts, whole ? w.all(e.text) : w.push(e.text), e.channel);
        }
      } else if (e.kind === "tool_call") {
        replace = this.#call(parts, own, e.call, chunk, finish) || replace;
      }
      if (parts.end) {
        this.#add(parts, this.#windows.thinking.finish(), "thinking");
        break;
      }
    }
    if (replace || parts.calls !== null) parts.calls = [...own, ...(parts.calls ?? [])];
    return parts;
  }

  /** No more chunks (`finish`: the finish reason, when one came): everything held, corrected. */
  flush(finish: string | null = null): Parts {
    const parts: Parts = { text: { content: "", thinking: "" }, calls: null, end: false };
    this.#add(parts, this.#windows.thinking.finish(), "thinking");
    this.#add(parts, this.#windows.content.finish(), "content");
    if (this.#o.json !== null && this.#json !== "") {
      parts.text.content += this.#o.json(this.#json);
      this.#json = "";
    }
    this.#callTemplate = this.#joiner.template;
    const held: ToolCall[] = [];
    for (const c of this.#joiner.drain()) this.#hooked(parts, held, c, finish);
    if (held.length > 0) parts.calls = [...(parts.calls ?? []), ...held];
    return parts;
  }

  /** Give up correcting: everything held as received (no detector or repair runs). */
  abandon(): Parts {
    const content = this.#json + this.#windows.content.abandon();
    const thinking = this.#windows.thinking.abandon();
    this.#json = "";
    this.#callTemplate = this.#joiner.template;
    const held = this.#joiner.drain();
    return { text: { content, thinking }, calls: held.length > 0 ? held : null, end: false };
  }

  /** The hook's answer for a complete call: a call to send (into `own`) or text to answer with. */
  #hooked(parts: Parts, own: ToolCall[], call: ToolCall, finish: string | null): ToolCall | null {
    const fixed = this.#o.toolHook(call, finish);
    if (typeof fixed === "string") {
      parts.text.content += fixed;
      this.#answered = true;
      return null;
    }
    if (fixed !== null) {
      own.push(fixed);
      this.#sentCalls = true;
    }
    return fixed;
  }

  /** Adds the calls to send for `call` to `own`; true when the chunk's calls must be replaced. */
  #call(
    parts: Parts,
    own: ToolCall[],
    call: ToolCall,
    chunk: JsonObject,
    finish: string | null,
  ): boolean {
    this.#nextIndex = Math.max(this.#nextIndex, call.index + 1);
    if (this.#o.fragments) {
      // A call completed by the next one was ended by the model itself.
      for (const c of this.#joiner.add(call, chunk)) this.#hooked(parts, own, c, "tool_calls");
      return true;
    }
    return !sameCall(call, this.#hooked(parts, own, call, finish));
  }

  #add(parts: Parts, r: Release, channel: Channel): void {
    parts.text[channel] += r.text;
    if (r.moved !== "" && this.#o.channels.includes("thinking")) parts.text.thinking += r.moved;
    for (const c of r.calls) {
      this.#madeCalls = true;
      const call: ToolCall = { ...c, index: this.#nextIndex++ };
      call.id ??= newCallId();
      parts.calls = [...(parts.calls ?? []), call];
    }
    if (r.end) parts.end = true;
  }
}
