/**
 * The repairs of whole objects: every complete tool call (name, arguments, schema, path
 * arguments) and a JSON answer. Each records its detections with the action the policy gives.
 * @module
 */
import { fixPathArguments } from "../detect/invalid_path.ts";
import type { DetectContext } from "../detection.ts";
import type { ContextBase, Recorder } from "../plan.ts";
import { endOf, repairToolCall } from "../repair/repair.ts";
import { repeatedCall } from "../repair/loop.ts";
import type { JsonFormat } from "../repair/offered.ts";
import { repairJsonOutput } from "../repair/json_output.ts";
import type { ToolCall } from "../types.ts";
import { actionOf } from "./policy.ts";
import type { ToolHook } from "./toolcalls.ts";

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v)
      ? v as Record<string, unknown>
      : null;
  } catch {
    return null;
  }
}

/** Path arguments checked against the workspace; fixed only when every fix is to be applied. */
function fixPaths(call: ToolCall, base: ContextBase, rewrite: boolean, record: Recorder): ToolCall {
  const args = parseObject(call.arguments);
  if (args === null || base.workspace === null) return call;
  const ctx: DetectContext = {
    ...base,
    channel: "content",
    final: true,
    state: { fence: null, inThink: false },
    emitted: 0,
  };
  const fixed = fixPathArguments(args, call.name, ctx);
  const actions = fixed.detections.map((d) => actionOf(d, base.settings, rewrite));
  fixed.detections.forEach((d, i) => record("tool_call", d, actions[i] ?? "detected"));
  const apply = fixed.detections.length > 0 &&
    fixed.detections.every((d, i) => d.replacement === null || actions[i] === "corrected");
  return apply ? { ...call, arguments: JSON.stringify(fixed.args) } : call;
}

/**
 * The hook every complete tool call goes through: name, arguments and schema repairs, then path
 * arguments. In detect mode (`rewrite` false) it only records and returns the call unchanged.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectContext } from "../detect/context.ts";
 * const tools = [{ name: "read_file", parameters: { type: "object" } }];
 * const found: string[] = [];
 * const hook = toolHook(detectContext({ tools }), true, (_, d, action) => found.push(action));
 * const call = hook({ index: 0, name: "read_files", arguments: '{"path": "a.ts"}' });
 * assert.deepEqual(call, { index: 0, name: "read_file", arguments: '{"path": "a.ts"}' });
 * assert.deepEqual(found, ["corrected"]);
 * ```
 */
export function toolHook(base: ContextBase, rewrite: boolean, record: Recorder): ToolHook {
  return (call, finish = null) => {
    const repair = repairToolCall(call, base.tools, base.settings, endOf(finish));
    for (const d of repair.detections) record("tool_call", d, actionOf(d, base.settings, rewrite));
    const loop = base.settings.tool_call_loop?.enabled === false
      ? null
      : repeatedCall(repair.call ?? call, base.history ?? [], base.toolLoopLimit);
    const loopAction = loop === null ? null : actionOf(loop, base.settings, rewrite);
    if (loop !== null) record("tool_call", loop, loopAction ?? "detected");
    if (!rewrite) {
      fixPaths(call, base, false, record);
      return call;
    }
    if (loopAction === "corrected") return loop?.replacement ?? null;
    return repair.call === null ? null : fixPaths(repair.call, base, true, record);
  };
}

/**
 * The hook a JSON answer goes through once complete (requests that asked for JSON): fences and
 * prose stripped, syntax repaired, schema checked. In detect mode it only records.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectContext } from "../detect/context.ts";
 * const hook = jsonHook({ schema: null }, detectContext(), true, () => {});
 * const fence = "`".repeat(3);
 * assert.deepEqual(JSON.parse(hook(`${fence}json\n{"a": 1,}\n${fence}`)), { a: 1 });
 * ```
 */
export function jsonHook(
  format: JsonFormat,
  base: ContextBase,
  rewrite: boolean,
  record: Recorder,
): (text: string) => string {
  return (text) => {
    const repair = repairJsonOutput(text, format);
    const actions = repair.detections.map((d) => actionOf(d, base.settings, rewrite));
    repair.detections.forEach((d, i) => record("json", d, actions[i] ?? "detected"));
    const apply = repair.detections.every((d, i) =>
      d.replacement === null || actions[i] === "corrected"
    );
    return apply ? repair.text : text;
  };
}
