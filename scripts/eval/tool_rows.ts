/**
 * Eval rows for the tool-call hook beyond `tools.jsonl`'s labels, run through the shipped hook
 * (`toolHook` of src/chain/hooks.ts, with the plan built from a request body):
 * - `tool_call_loop`: each valid BFCL call made again after a history of identical calls with the
 *   same result (positive: answered with text), and near misses (one repeat too few, a different
 *   last result, other arguments: negatives);
 * - truncated arguments by evidence: the cut calls of `tools.jsonl` with `finish_reason` `length`
 *   (flagged, passed unchanged) and with a model end (`tool_calls`: completed; exact when equal
 *   to the gold call, or, where real content was cut, a valid object holding what was written,
 *   or the text unchanged when a key or value never started).
 * Cases alternate between the tuning and the held-out half by position.
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { toolHook } from "../../src/chain/hooks.ts";
import { planCorrection } from "../../src/plan.ts";
import { defaultSettings } from "../../src/rules/detector_settings.ts";
import type { CorrectionRecord } from "../../src/types.ts";
import { emptyRow, type EvalRow } from "./types.ts";

interface Row {
  label: string;
  call: { name: string; arguments: string };
  expected: { arguments?: string };
  tools: unknown[];
  meta?: { recoverable?: boolean; malformation?: string };
}

const rules = { patterns: [], navigationFixes: new Map<string, string>() };

function readRows(datasetsDir: string): Row[] {
  return Deno.readTextFileSync(join(datasetsDir, "tools.jsonl")).split("\n")
    .filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Row);
}

/** An OpenAI history: `results` are the answers to the same call, one round each. */
function history(call: Row["call"], results: readonly string[], args = call.arguments) {
  const messages: unknown[] = [{ role: "user", content: "please help" }];
  results.forEach((result, i) => {
    messages.push({
      role: "assistant",
      content: null,
      tool_calls: [{
        id: `c${i}`,
        type: "function",
        function: { name: call.name, arguments: args },
      }],
    });
    messages.push({ role: "tool", tool_call_id: `c${i}`, content: result });
  });
  return messages;
}

/** The hook's answer for one call after `messages`, and what it recorded. */
function hooked(row: Row, messages: unknown[], finish: string | null = null) {
  const records: CorrectionRecord[] = [];
  const sink = { record: (r: CorrectionRecord) => void records.push(r), list: () => records };
  const plan = planCorrection({
    kind: "openai_chat",
    body: { model: "m", messages, tools: row.tools },
    requestId: "eval",
    mode: "correct",
    sink,
    workspace: null,
    rules,
    settings: defaultSettings,
    clock: () => 0,
  });
  const hook = toolHook(plan.base, true, plan.record);
  return { out: hook({ index: 0, ...row.call }, finish), records };
}

/**
 * `tool_call_loop` rows (tune and held-out halves).
 * @example
 * const rows = evaluateToolLoops("data");
 */
export function evaluateToolLoops(datasetsDir: string): EvalRow[] {
  const rows = {
    tune: emptyRow("tool_call_loop · tune"),
    held: emptyRow("tool_call_loop · held-out"),
  };
  readRows(datasetsDir).filter((r) => r.label === "valid").forEach((row, i) => {
    const target = i % 2 === 0 ? rows.tune : rows.held;
    const result = `result ${i}: ${row.call.arguments.length} bytes`;
    const repeats = 3 + (i % 3);
    const positive = hooked(row, history(row.call, Array(repeats).fill(result)));
    target.cases++;
    target.fixTotal++;
    if (positive.records.some((r) => r.type === "tool_call_loop")) target.tp++;
    else target.fn++;
    if (typeof positive.out === "string" && positive.out.includes(`\`${row.call.name}\``)) {
      target.fixExact++;
    }
    const negatives = [
      history(row.call, [result, result]),
      history(row.call, [result, result, "something else"]),
      history(row.call, [result, result, result], JSON.stringify({ other: i })),
    ];
    for (const messages of negatives) {
      const r = hooked(row, messages);
      target.cases++;
      if (r.records.some((x) => x.type === "tool_call_loop") || typeof r.out === "string") {
        target.fp++;
      } else target.tn++;
    }
  });
  return [rows.tune, rows.held];
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * Truncated-arguments rows: finish reason `length` and a model end, per half.
 * @example
 * const rows = evaluateTruncation("data");
 */
export function evaluateTruncation(datasetsDir: string): EvalRow[] {
  const name = (end: string, half: string) => `malformed_arguments · cut, ${end} · ${half}`;
  const rows = new Map<string, EvalRow>();
  const row = (n: string) => rows.get(n) ?? rows.set(n, emptyRow(n)).get(n)!;
  const cut = readRows(datasetsDir).filter((r) => r.meta?.malformation === "truncated");
  cut.forEach((r, i) => {
    const half = i % 2 === 0 ? "tune" : "held-out";
    const limited = hooked(r, [], "length");
    const lim = row(name("finish_reason length", half));
    lim.cases++;
    lim.fixTotal++;
    if (limited.records.some((x) => x.type === "malformed_arguments")) lim.tp++;
    else lim.fn++;
    if (typeof limited.out !== "string" && limited.out?.arguments === r.call.arguments) {
      lim.fixExact++;
    }
    const ended = hooked(r, [], "tool_calls");
    const end = row(name("model ended the call", half));
    end.cases++;
    end.fixTotal++;
    if (ended.records.some((x) => x.type === "malformed_arguments")) end.tp++;
    else end.fn++;
    const got = typeof ended.out === "string" ? undefined : parse(ended.out?.arguments ?? "");
    const gold = parse(r.expected.arguments ?? "");
    // Where real content was cut: a closed object holding only what was written, or (a key or
    // a value that never started) the text left as it was.
    const unchanged = typeof ended.out !== "string" && ended.out?.arguments === r.call.arguments;
    const exact = r.meta?.recoverable === false
      ? unchanged || typeof got === "object" && got !== null && !Array.isArray(got) &&
          Object.keys(got).every((k) => k in (gold as Record<string, unknown>))
      : isDeepStrictEqual(got, gold);
    if (exact) end.fixExact++;
  });
  return [...rows.values()];
}
