/**
 * Repair one whole tool call against the tools the request offered: the name, the arguments'
 * syntax, and the arguments against the tool's schema. Pure; settings decide what is applied.
 * @module
 */
import type { Detection, DetectorSetting, OfferedTool } from "../detection.ts";
import { actionFor } from "../rules/detector_settings.ts";
import type { ToolCall } from "../types.ts";
import { repairArguments } from "./arguments.ts";
import type { CallEnd } from "./json_text.ts";
import { matchName } from "./names.ts";

type Settings = Readonly<Record<string, DetectorSetting>>;

/** The repaired call (null = drop it) and every detection made on the way. */
export interface ToolCallRepair {
  call: ToolCall | null;
  detections: Detection[];
}

const isOn = (type: string, settings: Settings) => settings[type]?.enabled !== false;

/** Resolve the call's name; `tool` is undefined when the name stays unknown. */
function repairName(call: ToolCall, tools: readonly OfferedTool[], settings: Settings) {
  const match = matchName(call.name, tools.map((t) => t.name));
  const detections: Detection[] = [];
  let name = call.name;
  let drop = false;
  if (match.kind === "fixed" && isOn("misspelled_tool", settings)) {
    const d: Detection = {
      type: "misspelled_tool",
      start: 0,
      end: 0,
      found: call.name,
      replacement: match.name,
      confidence: match.confidence,
      reason: match.reason,
    };
    detections.push(d);
    if (actionFor(d, settings) === "correct") name = match.name;
  } else if (match.kind === "unknown" && isOn("unknown_tool", settings)) {
    const d: Detection = {
      type: "unknown_tool",
      start: 0,
      end: 0,
      found: call.name,
      replacement: null,
      confidence: 0.9,
      reason: match.reason,
    };
    detections.push(d);
    drop = actionFor(d, settings) === "correct";
  }
  return { name, drop, tool: tools.find((t) => t.name === name), detections };
}

/**
 * Repair a tool call. No tools offered: the call is left alone. A valid call comes back as the
 * same object with no detections. `end`: how the call ended (see `CallEnd`; `endOf` maps a finish
 * reason to it). With `unknown_tool` set to `correct` an unknown call is
 * dropped (`call: null`); otherwise it passes through flagged.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultSettings } from "../rules/detector_settings.ts";
 * const tools = [{ name: "read_file", parameters: { type: "object", required: ["path"] } }];
 * const call = { index: 0, name: "read_files", arguments: "{'path': 'a.ts'}" };
 * const repaired = repairToolCall(call, tools, defaultSettings);
 * assert.deepEqual(repaired.call, { index: 0, name: "read_file", arguments: '{"path":"a.ts"}' });
 * assert.deepEqual(repaired.detections.map((d) => d.type), ["misspelled_tool", "malformed_arguments"]);
 * ```
 */
export function repairToolCall(
  call: ToolCall,
  tools: readonly OfferedTool[],
  settings: Settings,
  end: CallEnd = "unknown",
): ToolCallRepair {
  if (tools.length === 0) return { call, detections: [] };
  const named = repairName(call, tools, settings);
  const args = repairArguments(call.arguments, named.tool?.parameters, end);
  const kept = args.detections.filter((d) => isOn(d.type, settings));
  const detections = [...named.detections, ...kept];
  if (named.drop) return { call: null, detections };
  const applied = args.detections.every((d) =>
    d.replacement === null || (isOn(d.type, settings) && actionFor(d, settings) === "correct")
  );
  const argumentsText = applied && args.text !== null ? args.text : call.arguments;
  if (named.name === call.name && argumentsText === call.arguments) return { call, detections };
  return { call: { ...call, name: named.name, arguments: argumentsText }, detections };
}

/**
 * How a call ended, from the finish reason of the response that carried it: `length` (OpenAI,
 * Ollama `done_reason`, llama.cpp `limit` mapped to it) is the token limit; any other reason means
 * the model ended the call itself; null (not known yet) is `unknown`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(endOf("length"), "limit");
 * assert.deepEqual(endOf("tool_calls"), "model");
 * ```
 */
export function endOf(reason: string | null | undefined): CallEnd {
  if (reason === null || reason === undefined || reason === "") return "unknown";
  return reason === "length" || reason === "limit" || reason === "max_tokens" ? "limit" : "model";
}
