/**
 * Throughput of the text detector pipeline on real answers (`clean_outputs.jsonl`, plus the
 * leaked-token answers of `template_leaks.jsonl`), whole and streamed through the window model.
 * MB/s = text size (printed at start) / time per iteration. The path detector with a
 * 20,000-file index is benched in paths_bench.ts.
 */
import { defaultDetectors, detectContext, runDetectors } from "../src/detect/mod.ts";
import { templateLeak } from "../src/detect/template_leak.ts";
import { thinkLeak } from "../src/detect/think_leak.ts";
import { repetitionLoop } from "../src/detect/repetition.ts";
import { patternMatch } from "../src/detect/pattern_match.ts";
import { compilePattern } from "../src/rules/pattern.ts";
import { runStream } from "../scripts/eval/chain.ts";

const read = (name: string) =>
  Deno.readTextFileSync(new URL(`../data/${name}`, import.meta.url))
    .split("\n").filter((l) => l.trim() !== "").map((l) =>
      (JSON.parse(l) as { text: string }).text
    );
const texts = [...read("clean_outputs.jsonl"), ...read("template_leaks.jsonl")];
const bytes = texts.reduce((n, t) => n + new TextEncoder().encode(t).length, 0);
console.log(
  `detectors bench: ${texts.length} answers, ${(bytes / 1e6).toFixed(2)} MB per iteration`,
);

const patterns = [
  compilePattern({
    id: 1,
    match: "pandas.read_xlsx",
    regex: false,
    replacement: "pandas.read_excel",
    confidence: 0.9,
  }),
  compilePattern({
    id: 2,
    match: "\\bimport (\\w{1,30})_ng\\b",
    regex: true,
    replacement: "import $1",
    confidence: 0.8,
  }),
];
const ctx = detectContext({ patterns });
const pipeline = defaultDetectors();

Deno.bench("pipeline (all text detectors, 2 patterns), whole answers", { baseline: true }, () => {
  for (const text of texts) runDetectors(text, pipeline, ctx);
});

for (const d of [templateLeak, thinkLeak, repetitionLoop, patternMatch]) {
  Deno.bench(`${d.type} alone, whole answers`, () => {
    for (const text of texts) d.detect(text, ctx);
  });
}

// Streaming: the window is re-scanned at every chunk, so cost grows with chunk count.
const cuts = texts.map((t) =>
  Array.from({ length: Math.floor(t.length / 64) }, (_, i) => (i + 1) * 64)
);
Deno.bench("pipeline streamed in 64-character chunks (window model)", () => {
  texts.forEach((text, i) => runStream(text, pipeline, { patterns }, cuts[i] ?? []));
});
