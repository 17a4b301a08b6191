/**
 * Detector `text_tool_call`: a tool call the model wrote as text in the content (Hermes/Qwen
 * `<tool_call>`, a fenced JSON call, Mistral `[TOOL_CALLS]`, Llama `<function=…>` and
 * `<|python_tag|>`, a bare JSON call opening the answer) while the request offered tools. Each call whose name (after name repair) is
 * offered becomes a detection with effect `tool_call`: the text is removed and the call emitted.
 * @module
 */
import type { DetectContext, Detection, Detector, OfferedTool } from "../detection.ts";
import { repairArguments } from "../repair/arguments.ts";
import { matchName } from "../repair/names.ts";
import {
  type CallBlock,
  type CallScan,
  scanTextCalls,
  type WrittenCall,
} from "../repair/text_calls.ts";

/** How sure a format is meant as a call: tags are, plain JSON (fenced or bare) less so. */
const confidenceOf = (format: string) => (format.endsWith("JSON") ? 0.8 : 0.9);

/** The call as it should be emitted, or null when its name is not offered or its arguments unreadable. */
function resolve(call: WrittenCall, tools: readonly OfferedTool[]) {
  const match = matchName(call.name, tools.map((t) => t.name));
  if (match.kind === "unknown") return null;
  const name = match.kind === "fixed" ? match.name : call.name;
  const repaired = repairArguments(call.arguments, tools.find((t) => t.name === name)?.parameters);
  if (repaired.value === null) return null;
  const notes = [
    ...(match.kind === "fixed" ? [match.reason] : []),
    ...repaired.detections.filter((d) => d.replacement !== null).map((d) => d.reason),
  ];
  return { name, arguments: JSON.stringify(repaired.value), notes };
}

/**
 * Detections for one block, over contiguous non-empty ranges that together cover it: with n calls
 * the first spans all but the last n-1 characters, and each further call takes one of those.
 */
function blockDetections(
  text: string,
  block: CallBlock,
  tools: readonly OfferedTool[],
): Detection[] {
  const calls = block.calls.map((c) => resolve(c, tools));
  if (calls.some((c) => c === null)) return [];
  return calls.map((call, i) => {
    const { name, arguments: args, notes } = call!;
    const cut = block.end - calls.length + 1;
    const start = i === 0 ? block.start : cut + i - 1;
    const end = cut + i;
    return {
      type: "text_tool_call",
      start,
      end,
      found: text.slice(start, end),
      replacement: "",
      confidence: confidenceOf(block.format),
      reason: [`tool call to "${name}" written as text (${block.format})`, ...notes].join("; "),
      effect: "tool_call",
      toolCall: { name, arguments: args },
    };
  });
}

const active = (ctx: DetectContext) => ctx.channel === "content" && ctx.tools.length > 0;

/** The last scan: the corrector asks `holdFrom` and then `detect` about the same text and ctx. */
let lastScan: { text: string; ctx: DetectContext; scan: CallScan } | null = null;

/** The scan of `text` (memoized for the same text and ctx). */
function scanOf(text: string, ctx: DetectContext): CallScan {
  if (lastScan !== null && lastScan.ctx === ctx && lastScan.text === text) return lastScan.scan;
  const scan = scanTextCalls(text, ctx.state.fence, ctx.final, ctx.emitted);
  lastScan = { text, ctx, scan };
  return scan;
}

/**
 * The `text_tool_call` detector. Pure; never throws.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectContext } from "./context.ts";
 * const text = '<tool_call>{"name":"ls","arguments":{}}</tool_call>';
 * const tools = [{ name: "ls", parameters: { type: "object" } }];
 * const [d] = textToolCallDetector.detect(text, detectContext({ tools }));
 * assert.deepEqual([d?.type, d?.effect, d?.toolCall], ["text_tool_call", "tool_call", {
 *   name: "ls",
 *   arguments: "{}",
 * }]);
 * ```
 */
export const textToolCallDetector: Detector = {
  type: "text_tool_call",
  detect(text: string, ctx: DetectContext): Detection[] {
    if (!active(ctx)) return [];
    try {
      return scanOf(text, ctx).blocks.flatMap((b) => blockDetections(text, b, ctx.tools));
    } catch {
      return [];
    }
  },
  holdFrom(text: string, ctx: DetectContext): number {
    if (!active(ctx) || ctx.final) return text.length;
    try {
      return scanOf(text, ctx).pendingFrom;
    } catch {
      return text.length;
    }
  },
};
