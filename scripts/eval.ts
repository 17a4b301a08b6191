/**
 * `deno task eval [--datasets DIR] [--json]`: every detector over the development datasets
 * (data/ by default) and generated path cases; one table with precision, recall,
 * false-positive rate and fix accuracy per detector.
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { evaluatePaths } from "./eval/paths.ts";
import { evaluateOwnPaths } from "./eval/own_paths.ts";
import { evaluateFormats, evaluateHarmony } from "./eval/formats.ts";
import { evaluateVariants } from "./eval/format_variants.ts";
import { evaluateToolLoops, evaluateTruncation } from "./eval/tool_rows.ts";
import { evaluateText } from "./eval/text.ts";
import { evaluateTools } from "./eval/tools.ts";
import type { EvalRow } from "./eval/types.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  args: Deno.args,
  options: { datasets: { type: "string" }, json: { type: "boolean" } },
});
const datasets = values.datasets ??
  fileURLToPath(new URL("../data", import.meta.url));

function ratio(n: number, d: number): string {
  return d === 0 ? "–" : `${(100 * n / d).toFixed(1)}%`;
}

/**
 * One printable row: precision, recall, FP rate (fp over negatives) and exact fixes.
 * @example
 * format({ detector: "x", cases: 2, tp: 1, fp: 0, fn: 0, tn: 1, fixExact: 1, fixTotal: 1 });
 */
export function format(r: EvalRow): string[] {
  return [
    r.detector,
    String(r.cases),
    `${r.tp}/${r.fp}/${r.fn}/${r.tn}`,
    ratio(r.tp, r.tp + r.fp),
    ratio(r.tp, r.tp + r.fn),
    ratio(r.fp, r.fp + r.tn),
    r.fixTotal ? `${ratio(r.fixExact, r.fixTotal)} (${r.fixExact}/${r.fixTotal})` : "–",
  ];
}

if (import.meta.main) {
  const rows = [
    ...await evaluateText(datasets),
    ...await evaluatePaths(datasets, repoRoot),
    ...await evaluateOwnPaths(datasets, repoRoot),
    ...await evaluateTools(datasets),
    ...evaluateFormats(datasets),
    ...evaluateHarmony(datasets),
    ...evaluateVariants(datasets),
    ...evaluateToolLoops(datasets),
    ...evaluateTruncation(datasets),
  ];
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else {
    const head = [
      "detector",
      "cases",
      "tp/fp/fn/tn",
      "precision",
      "recall",
      "FP rate",
      "fix exact",
    ];
    console.log("| " + head.join(" | ") + " |");
    console.log("|" + head.map(() => "---").join("|") + "|");
    for (const r of rows) console.log("| " + format(r).join(" | ") + " |");
  }
}
