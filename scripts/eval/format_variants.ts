/**
 * Eval rows for the wire-format variants of text-written tool calls that real models and
 * llama.cpp produce (`data/own/text_call_variants.jsonl`, written by the team from the formats'
 * public descriptions): Qwen3-Coder XML indented or on one line, several calls, missing or stray
 * wrappers; GLM 4.5 / 4.7 arg_key/arg_value; Harmony with the recipient before or after
 * `<|channel|>`, `json` or `<|constrain|>json`, `<|end|>` instead of `<|call|>`; Kimi-K2 sections
 * with several calls and spaces; DeepSeek's opener spellings, bare calls and fenced arguments;
 * and calls cut by the token limit (`finish_reason: "length"`), which must be flagged and left as
 * they are, never completed. Each row runs whole and streamed (cuts inside every token) through
 * the shipped chain with four tools offered.
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { defaultDetectors } from "../../src/detect/mod.ts";
import { offeredTools } from "../../src/repair/offered.ts";
import { type ChainResult, randomCuts, runStream, runWhole, seeded } from "./chain.ts";
import { emptyRow, type EvalRow } from "./types.ts";

/** One variant: the text, the calls that must come out, the content and reasoning left. */
export interface Variant {
  id: string;
  format: string;
  text: string;
  calls: { name: string; args: Record<string, unknown> }[];
  content: string;
  thinking?: string;
  finish?: string;
}

const fn = (name: string, properties: Record<string, unknown>, required: string[]) => ({
  type: "function",
  function: { name, parameters: { type: "object", properties, required } },
});
const TOOLS = offeredTools({
  tools: [
    fn("read_file", { path: { type: "string" } }, ["path"]),
    fn("write_file", { path: { type: "string" }, content: { type: "string" } }, ["path"]),
    fn("search", { query: { type: "string" }, limit: { type: "integer" } }, ["query"]),
    fn("run_command", { command: { type: "string" }, timeout: { type: "integer" } }, [
      "command",
    ]),
  ],
});

/**
 * True when the client got exactly the expected calls, content and reasoning; a call cut by the
 * token limit must also have been flagged.
 */
export function variantFixed(r: ChainResult, v: Variant): boolean {
  if (r.calls.length !== v.calls.length) return false;
  const same = v.calls.every((c, i) => {
    const got = r.calls[i];
    return got?.name === c.name && isDeepStrictEqual(JSON.parse(got.arguments), c.args);
  });
  if (!same || r.content.trim() !== v.content.trim()) return false;
  if (v.thinking !== undefined && r.thinking.trim() !== v.thinking) return false;
  return v.calls.length > 0 || r.detections.some((d) => d.type === "text_tool_call");
}

/** The variants file. */
export function readVariants(datasetsDir: string): Variant[] {
  return Deno.readTextFileSync(join(datasetsDir, "own", "text_call_variants.jsonl")).split("\n")
    .filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Variant);
}

/** Both runs of one variant: whole, and streamed with cuts inside every token. */
export function runVariant(v: Variant, rnd: () => number): [ChainResult, ChainResult] {
  const detectors = defaultDetectors();
  const base = { tools: TOOLS };
  const opts = v.finish === undefined ? {} : { finish: v.finish };
  const cuts = randomCuts(v.text.length, Math.ceil(v.text.length / 6), rnd);
  for (const m of v.text.matchAll(/[<[｜|]/g)) cuts.push(m.index + 1, m.index + 3);
  return [
    runWhole(v.text, detectors, base, opts),
    runStream(v.text, detectors, base, [...new Set(cuts)].sort((a, b) => a - b), opts),
  ];
}

/**
 * Rows per format (calls built from text) and one for calls cut by the token limit, whole and
 * streamed. A case counts as found when a `text_tool_call` detection was recorded, as fixed when
 * {@link variantFixed} holds.
 * @example
 * const rows = evaluateVariants("data");
 */
export function evaluateVariants(datasetsDir: string): EvalRow[] {
  const rows = new Map<string, EvalRow>();
  const rnd = seeded(20261204);
  for (const v of readVariants(datasetsDir)) {
    const group = v.finish === "length"
      ? "cut by the token limit: flagged, not completed"
      : v.format;
    runVariant(v, rnd).forEach((r, k) => {
      const name = `text_tool_call · variants · ${group} · ${k === 0 ? "whole" : "stream"}`;
      const row = rows.get(name) ?? emptyRow(name);
      rows.set(name, row);
      row.cases++;
      row.fixTotal++;
      if (r.detections.some((d) => d.type === "text_tool_call")) row.tp++;
      else row.fn++;
      if (variantFixed(r, v)) row.fixExact++;
      else if (Deno.env.get("HOTPATCH_EVAL_VERBOSE") === "1") {
        console.error("variant miss", k === 0 ? "whole" : "stream", v.id, JSON.stringify(r));
      }
    });
  }
  return [...rows.values()];
}

if (import.meta.main) {
  for (const r of evaluateVariants(Deno.args[0] ?? "data")) console.log(JSON.stringify(r));
}
