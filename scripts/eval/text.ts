/**
 * The text part of `deno task eval`: every text detector over the datasets and generated cases,
 * each text run whole (non-streaming) and streamed through the shipped response chain.
 * @module
 */
import { emptyRow, type EvalRow } from "./types.ts";
import type { Detector } from "../../src/detection.ts";
import { defaultDetectors } from "../../src/detect/mod.ts";
import { type ChainResult, randomCuts, runStream, runWhole, seeded } from "./chain.ts";
import { compilePattern } from "../../src/rules/pattern.ts";
import type { CompiledPattern } from "../../src/detection.ts";
import { defaultPatterns } from "../../src/store/migrations.ts";
import {
  cleanCases,
  loopCases,
  patternCases,
  readJsonl,
  templateCases,
  type TextCase,
  thinkCases,
} from "./text_cases.ts";
import { longLoopCases, markerLoopCases } from "./loop_cases.ts";

type Mode = "whole" | "stream";

/** Cut points for a streamed run: random pieces, cuts inside every `<`/`[` token, line ends. */
function cutsFor(c: TextCase, rnd: () => number, lines: boolean): number[] {
  const cuts = randomCuts(c.text.length, Math.min(80, Math.ceil(c.text.length / 24)), rnd);
  for (const m of c.text.matchAll(/[<[]/g)) cuts.push(m.index + 1, m.index + 3);
  if (lines) { for (const m of c.text.matchAll(/\n/g)) cuts.push(m.index + 1); }
  return [...new Set(cuts)].sort((a, b) => a - b);
}

/** The store's default patterns: pattern_match runs with them, as on a fresh install. */
const patterns: CompiledPattern[] = defaultPatterns.map((p, i) =>
  compilePattern({ id: i + 1, ...p, confidence: 0.9 })
);

/** Texts the default patterns fix. */
const triggers = [
  { found: "pip install sklearn", fixed: "pip install scikit-learn" },
  { found: "    pip install cv2 numpy", fixed: "    pip install opencv-python numpy" },
  { found: "$ pip install PIL", fixed: "$ pip install pillow" },
  { found: "pip install yaml requests", fixed: "pip install pyyaml requests" },
  { found: "from collections import Mapping", fixed: "from collections.abc import Mapping" },
];

function run(
  c: TextCase,
  detectors: readonly Detector[],
  mode: Mode,
  lines: boolean,
  seed: number,
) {
  if (mode === "whole") return runWhole(c.text, detectors, { patterns });
  return runStream(c.text, detectors, { patterns }, cutsFor(c, seeded(seed), lines));
}

/**
 * Whether the output is the expected text. `lenient` (streamed runs): trailing whitespace that went
 * out before an end token may stay, and a loop may keep one more copy (copies that went out before
 * the loop was certain stay sent).
 */
function fixed(c: TextCase, r: ChainResult, lenient: boolean): boolean {
  if (lenient) {
    const got = r.content.trimEnd();
    const want = c.expected.trimEnd();
    return c.unit === undefined
      ? got === want
      : got.startsWith(want) && got.length <= want.length + c.unit;
  }
  const same = c.trimEnd === true
    ? r.content.trimEnd() === c.expected.trimEnd()
    : r.content === c.expected;
  return same && (c.thinking === undefined || r.thinking.trim() === c.thinking.trim());
}

/** Score one case set for the given detector types (one row each). */
function score(
  name: string,
  cases: readonly TextCase[],
  types: readonly string[],
  mode: Mode,
  lines = false,
  lenient = false,
): EvalRow[] {
  const detectors = defaultDetectors();
  const label = mode === "whole"
    ? mode
    : lenient
    ? "stream, cut where the stream can (sent text stays)"
    : "stream, same text as whole";
  const rows = new Map(types.map((t) => [t, emptyRow(`${t} · ${name} · ${label}`)]));
  cases.forEach((c, i) => {
    const result = run(c, detectors, mode, lines, 1000 + i);
    for (const [type, row] of rows) {
      const hit = result.detections.some((d) => d.type === type);
      row.cases++;
      if (c.type === type) {
        if (hit) row.tp++;
        else row.fn++;
        row.fixTotal++;
        if (fixed(c, result, lenient)) row.fixExact++;
      } else if (c.type === null) {
        if (hit) row.fp++;
        else row.tn++;
      }
    }
  });
  return [...rows.values()];
}

/**
 * Evaluate the text detectors over `datasetsDir` (template_leaks.jsonl, clean_outputs.jsonl) and
 * over loops and think leaks generated from the clean answers, whole and streamed.
 * @example
 * const rows = await evaluateText("data");
 * rows[0]?.detector; // "template_leak · template_leaks.jsonl · whole"
 */
export async function evaluateText(datasetsDir: string): Promise<EvalRow[]> {
  const leaks = templateCases(await readJsonl(`${datasetsDir}/template_leaks.jsonl`));
  const cleanRows = await readJsonl(`${datasetsDir}/clean_outputs.jsonl`);
  const clean = cleanCases(cleanRows);
  const loops = loopCases(cleanRows, 11);
  const thinks = thinkCases(cleanRows, 23);
  const longLoops = longLoopCases(cleanRows, 41);
  const markerLoops = markerLoopCases(cleanRows, 43);
  const fixes = patternCases(cleanRows, triggers, 31);
  const all = ["think_leak", "template_leak", "repetition_loop", "pattern_match"];
  const rows: EvalRow[] = [];
  for (const mode of ["whole", "stream"] as const) {
    rows.push(...score("template_leaks.jsonl", leaks, ["template_leak"], mode));
    if (mode === "stream") {
      rows.push(...score("template_leaks.jsonl", leaks, ["template_leak"], mode, false, true));
    }
    rows.push(...score("generated loops", loops, ["repetition_loop"], mode));
    if (mode === "stream") {
      rows.push(...score("generated loops", loops, ["repetition_loop"], mode, false, true));
    }
    rows.push(...score("long-period loops", longLoops, ["repetition_loop"], mode));
    rows.push(...score("near-empty line loops", markerLoops, ["repetition_loop"], mode));
    if (mode === "stream") {
      rows.push(...score("long-period loops", longLoops, ["repetition_loop"], mode, false, true));
      rows.push(
        ...score("near-empty line loops", markerLoops, ["repetition_loop"], mode, false, true),
      );
    }
    rows.push(...score("generated think leaks", thinks, ["think_leak"], mode));
    rows.push(...score("generated pattern hits", fixes, ["pattern_match"], mode));
    rows.push(...score("clean_outputs.jsonl", clean, all, mode, true));
  }
  return rows;
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? new URL("../../data", import.meta.url).pathname;
  for (const r of await evaluateText(dir)) console.log(JSON.stringify(r));
}
