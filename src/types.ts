/**
 * Shared vocabulary of hotpatch: protocols, stream events, correction records.
 * Every module that crosses a boundary (proxy ↔ corrector ↔ detectors ↔ store) speaks these types.
 * @module
 */

/** The wire dialect a client spoke, picked from method + path. */
export type Protocol = "ollama" | "openai" | "llamacpp";

/** A text channel of a model answer. `thinking` is Ollama `thinking`, OpenAI `reasoning_content`. */
export type Channel = "content" | "thinking";

/** How the proxy treats a response: rewrite it, only log detections, or pass bytes through. */
export type Mode = "correct" | "detect" | "off";

/** A tool call the model made (whole, arguments as the JSON text the model wrote). */
export interface ToolCall {
  /** Position of the call in the answer (OpenAI `index`; Ollama: order in `tool_calls`). */
  index: number;
  /** OpenAI call id when the upstream sent one. */
  id?: string;
  name: string;
  /** Arguments as text (OpenAI sends a JSON string; Ollama objects are serialized). */
  arguments: string;
}

/** One entry of the internal event vocabulary every protocol adapter maps to and from. */
export type StreamEvent =
  | { kind: "text"; channel: Channel; text: string }
  | { kind: "tool_call"; call: ToolCall }
  | { kind: "done"; reason: string };

/** What was done about one detection (a record may say more: see `RecordAction`). */
export type Action = "corrected" | "annotated" | "detected" | "ended";

/** A detection as it is recorded (store, log, admin API). */
export interface CorrectionRecord {
  requestId: string;
  /** Milliseconds since the epoch. */
  time: number;
  model: string;
  protocol: Protocol;
  channel: Channel | "tool_call" | "json";
  type: string;
  found: string;
  replacement: string | null;
  confidence: number;
  /**
   * What was done: `corrected` (replaced), `moved` (a `<think>` block to the reasoning channel),
   * `converted` (a tool call written as text to a real call), `ended` (the rest of the answer cut),
   * `annotated` (a note appended), `detected` (logged only).
   */
  action: string;
  /** The user pattern that matched (pattern_match), for hit counts. */
  patternId?: number;
  /** One sentence: what was wrong and the evidence (the detector's reason). Listed records have it. */
  reason?: string;
  /** The rule that fired: the detector (`template_leak`), `pattern:<id>` or `behavior:<id>`. */
  rule?: string;
  /** Text just before `found` (same line, up to 80 characters); empty for tool calls and JSON. */
  contextBefore?: string;
  /** Text just after `found` (same line, up to 80 characters); for `ended`, what was cut. */
  contextAfter?: string;
}

/** Where detections go. The in-memory sink serves tests; the SQLite store implements it too. */
export interface CorrectionSink {
  record(entry: CorrectionRecord): void;
  list(query: { requestId?: string; type?: string; limit?: number }): CorrectionRecord[];
}
