/**
 * Non-streaming bodies: the same detectors and tool-call repairs, run once over the whole answer.
 * @module
 */
import type { Adapter, JsonObject } from "../protocols/adapter.ts";
import type { Channel } from "../types.ts";
import { patchOf, type Shaper } from "./shaper.ts";

/**
 * The corrected body, or null when nothing changed (the original bytes then go out).
 * The shaper must be built with `fragments: false` (bodies carry whole calls).
 */
export function correctWhole(
  adapter: Adapter,
  body: JsonObject,
  shaper: Shaper,
): JsonObject | null {
  const events = adapter.decodeWhole(body);
  const original: Record<Channel, string> = { content: "", thinking: "" };
  let done: string | null = null;
  for (const e of events) {
    if (e.kind === "text") original[e.channel] += e.text;
    else if (e.kind === "done") done = e.reason;
  }
  const parts = shaper.take(events, body, true);
  if (!parts.end) {
    const rest = shaper.flush(done);
    parts.text.content += rest.text.content;
    parts.text.thinking += rest.text.thinking;
    if (rest.calls !== null) parts.calls = [...(parts.calls ?? []), ...rest.calls];
  }
  let patch = patchOf(parts, original);
  if (done !== null && parts.end) patch = { ...patch, done: "stop" };
  else if (done === "stop" && shaper.madeCalls && adapter.protocol === "openai") {
    patch = { ...patch, done: "tool_calls" };
  } else if (done === "tool_calls" && shaper.answeredOnly) {
    patch = { ...patch, done: "stop" }; // every call was answered with text instead
  }
  return patch === null ? null : adapter.encodeWhole(body, patch);
}
