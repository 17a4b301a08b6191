/**
 * Per-request wiring of the corrector: the detector context base built from the request body,
 * the recorder that turns detections into correction records, and the tool-call repair hook.
 * @module
 */
import { fixPathArguments } from "../detect/paths.ts";
import { actionFor } from "../detect/settings.ts";
import type {
  CompiledPattern,
  DetectContext,
  Detection,
  DetectorSetting,
} from "../detect/types.ts";
import { endOf, repairToolCall } from "../tools/repair.ts";
import { pastCalls, repeatedCall } from "../tools/loop.ts";
import { type JsonFormat, offeredTools } from "../tools/offered.ts";
import { repairJsonOutput } from "../tools/json_output.ts";
import type { CorrectionRecord, CorrectionSink, Protocol, ToolCall } from "../types.ts";
import { groundedPaths } from "../workspace/grounded.ts";
import type { WorkspaceIndex } from "../workspace/types.ts";
import type { Applied } from "./decide.ts";
import { explain, recordedAction, type TextContext } from "./explain.ts";
import type { ToolHook } from "./toolcalls.ts";
import type { ContextBase } from "./window.ts";

/** The rules in force for one request. */
export interface Rules {
  patterns: readonly CompiledPattern[];
  navigationFixes: ReadonlyMap<string, string>;
}

/**
 * The detector context of a request, minus the per-window fields.
 * @example
 * const base = contextBase({ model: "qwen3", messages: [] }, null,
 *   { patterns: [], navigationFixes: new Map() }, defaultSettings);
 * base.model; // "qwen3"
 */
export function contextBase(
  body: Record<string, unknown>,
  workspace: WorkspaceIndex | null,
  rules: Rules,
  settings: Readonly<Record<string, DetectorSetting>>,
): ContextBase {
  return {
    model: typeof body.model === "string" ? body.model : "",
    workspace,
    grounded: groundedPaths(body),
    tools: offeredTools(body),
    patterns: rules.patterns,
    navigationFixes: rules.navigationFixes,
    settings,
    history: pastCalls(body),
  };
}

/** Records one detection of a channel (or of a tool call / JSON answer) with its action. */
export type Recorder = (
  channel: CorrectionRecord["channel"],
  detection: Detection,
  action: Applied["action"],
  context?: TextContext,
) => void;

/**
 * A recorder writing to `sink` for one request.
 * @example
 * const rec = recorder(sink, { requestId: "r1", model: "qwen3", protocol: "ollama" }, Date.now);
 * rec("content", detection, "corrected");
 */
export function recorder(
  sink: CorrectionSink,
  request: { requestId: string; model: string; protocol: Protocol },
  clock: () => number,
): Recorder {
  return (channel, d, action, context) =>
    sink.record({
      ...request,
      time: clock(),
      channel,
      type: d.type,
      found: d.found,
      replacement: d.replacement,
      confidence: d.confidence,
      action: recordedAction(d, action),
      ...(d.patternId === undefined ? {} : { patternId: d.patternId }),
      ...explain(d, context ?? null),
    });
}

function actionOf(d: Detection, ctx: ContextBase, rewrite: boolean): Applied["action"] {
  if (!rewrite) return "detected";
  const action = actionFor(d, ctx.settings);
  return action === "correct" ? "corrected" : action === "annotate" ? "annotated" : "detected";
}

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
  const actions = fixed.detections.map((d) => actionOf(d, base, rewrite));
  fixed.detections.forEach((d, i) => record("tool_call", d, actions[i] ?? "detected"));
  const apply = fixed.detections.length > 0 &&
    fixed.detections.every((d, i) => d.replacement === null || actions[i] === "corrected");
  return apply ? { ...call, arguments: JSON.stringify(fixed.args) } : call;
}

/**
 * The hook every complete tool call goes through: name, arguments and schema repairs, then path
 * arguments. In detect mode (`rewrite` false) it only records and returns the call unchanged.
 * @example
 * const hook = toolHook(base, true, rec);
 * hook({ index: 0, name: "read_files", arguments: "{'path': 'a.ts'}" }); // repaired call
 */
export function toolHook(base: ContextBase, rewrite: boolean, record: Recorder): ToolHook {
  return (call, finish = null) => {
    const repair = repairToolCall(call, base.tools, base.settings, endOf(finish));
    for (const d of repair.detections) record("tool_call", d, actionOf(d, base, rewrite));
    const loop = base.settings.tool_call_loop?.enabled === false
      ? null
      : repeatedCall(repair.call ?? call, base.history ?? [], base.toolLoopLimit);
    const loopAction = loop === null ? null : actionOf(loop, base, rewrite);
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
 * const hook = jsonHook({ schema: null }, base, true, rec);
 * hook('```json\n{"a": 1,}\n```'); // '{"a":1}'
 */
export function jsonHook(
  format: JsonFormat,
  base: ContextBase,
  rewrite: boolean,
  record: Recorder,
): (text: string) => string {
  return (text) => {
    const repair = repairJsonOutput(text, format);
    const actions = repair.detections.map((d) => actionOf(d, base, rewrite));
    repair.detections.forEach((d, i) => record("json", d, actions[i] ?? "detected"));
    const apply = repair.detections.every((d, i) =>
      d.replacement === null || actions[i] === "corrected"
    );
    return apply ? repair.text : text;
  };
}
