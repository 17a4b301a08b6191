/**
 * The detector contract. Detectors are pure: `(text, ctx) => Detection[]`, no I/O, never throw.
 * The chain (src/chain/window.ts) calls them over `window = tail of emitted text + pending text`.
 * @module
 */
import type { RE2JS } from "re2js";
import type { Channel, ToolCall } from "./types.ts";
import type { WorkspaceIndex } from "./workspace/types.ts";

/** One call in the conversation so far and the result it got (null: no result seen). */
export interface PastCall {
  name: string;
  /** Canonical arguments (parsed JSON, keys sorted), or the trimmed text when not JSON. */
  key: string;
  result: string | null;
}

/** Markdown/think state at offset 0 of the scanned text, tracked by the corrector. */
export interface WindowState {
  /** The opening fence (e.g. "```" or "~~~~") of a fenced code block open at offset 0, else null. */
  fence: string | null;
  /** True when offset 0 lies inside a `<think>` block leaked into the content channel. */
  inThink: boolean;
}

/** A tool offered in the request, normalized from OpenAI/Ollama `tools`. */
export interface OfferedTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments (any dialect; unknown keywords are ignored). */
  parameters?: Record<string, unknown>;
}

/** A user correction pattern, compiled once when the rules change. */
export interface CompiledPattern {
  id: number;
  /** The regex source in JavaScript syntax (a literal pattern: escaped). */
  source: string;
  /** Its flags among `i`, `m`, `s`, `u`. */
  flags: string;
  /** The linear-time matcher of `source` (RE2JS): no input can make it backtrack. */
  matcher: RE2JS;
  replacement: string;
  confidence: number;
  /** Longest text a match can span, for holdback (literal length; regex: a bound). */
  maxLength: number;
}

/** Per-detector settings: below `threshold` a detection is only logged. */
export interface DetectorSetting {
  enabled: boolean;
  threshold: number;
  action: "correct" | "annotate" | "detect";
}

/** Everything a detector may look at besides the text. Built once per request. */
export interface DetectContext {
  channel: Channel;
  /** True when no more text will follow (end of stream, or a non-streaming body). */
  final: boolean;
  /** State at offset 0 of `text`. */
  state: WindowState;
  /** Offsets below this already went out to the client: report only detections with start >= emitted. */
  emitted: number;
  model: string;
  workspace: WorkspaceIndex | null;
  /** Paths (and path-like tokens) that appear in the request: grounded, never flagged. */
  grounded: ReadonlySet<string>;
  tools: readonly OfferedTool[];
  patterns: readonly CompiledPattern[];
  /** Navigation fixes: wrong path → right path (learned or stored). */
  navigationFixes: ReadonlyMap<string, string>;
  settings: Readonly<Record<string, DetectorSetting>>;
  /** Tool calls of the request's history with their results (for `tool_call_loop`). */
  history?: readonly PastCall[];
  /** Identical calls with identical results before the next one is a loop (default 3). */
  toolLoopLimit?: number;
  /**
   * On the final pass, the upstream's finish reason when one came (`length` = the token limit
   * was hit: a tool call cut there is flagged, never completed); absent before.
   */
  finish?: string | null;
}

/** One finding. Offsets are UTF-16 indices into the scanned text. */
export interface Detection {
  /** e.g. invalid_path, fabricated_path, template_leak, think_leak, repetition_loop, pattern_match. */
  type: string;
  start: number;
  end: number;
  found: string;
  /** Text to put in place of [start, end); null when no fix is known (flag only). */
  replacement: string | null;
  /** In [0, 1]. */
  confidence: number;
  /** One line: why this was flagged. */
  reason: string;
  /**
   * Extra effect beyond replacement:
   * - `end`: nothing after `end` is sent; the generation finishes with reason "stop".
   * - `to_thinking`: [start, end) is removed from content; `moved` goes to the thinking channel.
   *   With `open: true` the block is still open at the end of text (corrector sets inThink).
   * - `tool_call`: [start, end) is removed from content and `toolCall` is emitted as a structured call.
   */
  effect?: "end" | "to_thinking" | "tool_call";
  moved?: string;
  open?: boolean;
  toolCall?: Omit<ToolCall, "index">;
  /** Pattern id for pattern_match (hit counts). */
  patternId?: number;
}

/** A detector: complete detections, and where an incomplete one might still start. */
export interface Detector {
  readonly type: string;
  /**
   * Characters of already-sent text the detector wants before the window's own tail (in a stream
   * the corrector keeps that much per channel); `ctx.state` then does not describe offset 0.
   */
  readonly lookback?: number;
  /** Complete detections in `text` (when ctx.final is false, none that more text could change). */
  detect(text: string, ctx: DetectContext): Detection[];
  /** Earliest offset where a detection could still start if more text came; text.length if none. */
  holdFrom(text: string, ctx: DetectContext): number;
}
