/**
 * Eval rows for tool calls written as text in the 2026 formats (Qwen3-Coder XML with and without
 * the `<tool_call>` wrapper, GLM arg_key/arg_value, Harmony commentary, Kimi-K2 and DeepSeek
 * V3 / V3.1 sections): every valid BFCL call of `tools.jsonl` rendered in each format after a
 * short preamble, run whole and streamed with the request's tools offered. A case counts as
 * fixed when exactly that call comes out (arguments compared by value) and the content is the
 * preamble. Negatives: the clean answers with the same tools offered, and the same blocks shown
 * inside a fenced code block (an answer explaining the format). Preambles alternate between the
 * tuning half and the held-out half.
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { defaultDetectors } from "../../src/detect/mod.ts";
import type { OfferedTool } from "../../src/detection.ts";
import { offeredTools } from "../../src/repair/offered.ts";
import { type ChainResult, randomCuts, runStream, runWhole, seeded } from "./chain.ts";
import { emptyRow, type EvalRow } from "./types.ts";

interface Call {
  name: string;
  args: Record<string, unknown>;
}

const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** Each format: how a model writes one call. */
const FORMATS: Record<string, (c: Call) => string> = {
  "Qwen3-Coder XML": (c) =>
    `<tool_call>\n<function=${c.name}>\n${
      Object.entries(c.args).map(([k, v]) => `<parameter=${k}>\n${text(v)}\n</parameter>\n`)
        .join("")
    }</function>\n</tool_call>`,
  "Qwen3-Coder XML, no wrapper": (c) =>
    `<function=${c.name}>\n${
      Object.entries(c.args).map(([k, v]) => `<parameter=${k}>\n${text(v)}\n</parameter>\n`)
        .join("")
    }</function>`,
  "GLM arg_key/arg_value": (c) =>
    `<tool_call>${c.name}\n${
      Object.entries(c.args).map(([k, v]) =>
        `<arg_key>${k}</arg_key>\n<arg_value>${text(v)}</arg_value>\n`
      )
        .join("")
    }</tool_call>`,
  "Harmony commentary": (c) =>
    `<|start|>assistant<|channel|>commentary to=functions.${c.name} <|constrain|>json<|message|>${
      JSON.stringify(c.args)
    }<|call|>`,
  "Kimi-K2 section": (c) =>
    `<|tool_calls_section_begin|><|tool_call_begin|>functions.${c.name}:0<|tool_call_argument_begin|>${
      JSON.stringify(c.args)
    }<|tool_call_end|><|tool_calls_section_end|>`,
  "DeepSeek V3.1": (c) =>
    `<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>${c.name}<｜tool▁sep｜>${
      JSON.stringify(c.args)
    }<｜tool▁call▁end｜><｜tool▁calls▁end｜>`,
  "DeepSeek V3": (c) =>
    `<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>${c.name}\n\`\`\`json\n${
      JSON.stringify(c.args)
    }\n\`\`\`<｜tool▁call▁end｜><｜tool▁calls▁end｜>`,
};

/** Preambles; even positions tune, odd positions are held out. */
const PREAMBLES = [
  "",
  "Let me look that up.\n",
  "I'll call the tool for this.\n\n",
  "Sure — checking now.\n",
  "To answer, I need one lookup first.\n",
  "Running the function with your values.\n\n",
  "One moment.\n",
  "First I will fetch the data.\n",
];

interface Case {
  format: string;
  half: "tune" | "held";
  text: string;
  preamble: string;
  call: Call;
  tools: OfferedTool[];
}

function readCases(file: string): Case[] {
  const out: Case[] = [];
  let k = 0;
  for (const line of Deno.readTextFileSync(file).split("\n")) {
    if (line.trim() === "") continue;
    const row = JSON.parse(line) as {
      label: string;
      call: { name: string; arguments: string };
      tools: unknown[];
    };
    if (row.label !== "valid") continue;
    const call = { name: row.call.name, args: JSON.parse(row.call.arguments) };
    const tools = offeredTools({ tools: row.tools });
    for (const [format, render] of Object.entries(FORMATS)) {
      const p = k++ % PREAMBLES.length;
      const preamble = PREAMBLES[p]!;
      out.push({
        format,
        half: p % 2 === 0 ? "tune" : "held",
        text: preamble + render(call),
        preamble,
        call,
        tools,
      });
    }
  }
  return out;
}

function fixed(r: ChainResult, c: Case): boolean {
  const calls = r.detections.filter((d) => d.type === "text_tool_call");
  if (calls.length !== 1 || r.calls.length !== 1 || r.content.trim() !== c.preamble.trim()) {
    return false;
  }
  const made = r.calls[0];
  return made?.name === c.call.name &&
    isDeepStrictEqual(JSON.parse(made.arguments), c.call.args);
}

/**
 * Format rows: per format and half, whole and streamed (random pieces, with cuts inside every
 * token), then the negatives.
 * @example
 * const rows = await evaluateFormats("data");
 */
export function evaluateFormats(datasetsDir: string): EvalRow[] {
  const cases = readCases(join(datasetsDir, "tools.jsonl"));
  const rows = new Map<string, EvalRow>();
  const row = (name: string) => {
    const r = rows.get(name) ?? emptyRow(name);
    rows.set(name, r);
    return r;
  };
  const detectors = defaultDetectors();
  const rnd = seeded(20261204);
  for (const c of cases) {
    const base = { tools: c.tools };
    const whole = runWhole(c.text, detectors, base);
    const cuts = randomCuts(c.text.length, Math.min(40, Math.ceil(c.text.length / 8)), rnd);
    for (const m of c.text.matchAll(/[<[]/g)) cuts.push(m.index + 1, m.index + 3);
    const streamed = runStream(
      c.text,
      detectors,
      base,
      [...new Set(cuts)].sort((a, b) => a - b),
    );
    for (const [mode, r] of [["whole", whole], ["stream", streamed]] as const) {
      const target = row(
        `text_tool_call · ${c.format} · ${mode} · ${c.half === "tune" ? "tune" : "held-out"}`,
      );
      target.cases++;
      target.fixTotal++;
      if (r.detections.some((d) => d.type === "text_tool_call")) target.tp++;
      else target.fn++;
      if (fixed(r, c)) target.fixExact++;
    }
    // The same block explained in a fenced code block is no call.
    const shown = `The model's raw output looks like this:\n\n\`\`\`text\n${c.text}\n\`\`\`\n`;
    const neg = row(`text_tool_call · formats shown in code (negatives) · whole`);
    neg.cases++;
    const n = runWhole(shown, detectors, base);
    if (n.detections.length > 0 || n.content !== shown) neg.fp++;
    else neg.tn++;
  }
  const clean = row("text_tool_call · clean_outputs.jsonl with tools offered · whole");
  const tools = cases[0]?.tools ?? [];
  for (const line of Deno.readTextFileSync(join(datasetsDir, "clean_outputs.jsonl")).split("\n")) {
    if (line.trim() === "") continue;
    const answer = (JSON.parse(line) as { text: string }).text;
    const r = runWhole(answer, detectors, { tools });
    clean.cases++;
    if (r.detections.length > 0 || r.content !== answer) clean.fp++;
    else clean.tn++;
  }
  return [...rows.values()].sort((a, b) => a.detector.localeCompare(b.detector));
}

/**
 * Harmony channels as a template family: each clean answer as gpt-oss writes it (an analysis
 * message, then the final message, `<|return|>`), whole and streamed. Fixed when the content is
 * the answer and the reasoning went to the thinking channel.
 * @example
 * const rows = evaluateHarmony("data");
 */
export function evaluateHarmony(datasetsDir: string): EvalRow[] {
  const answers = Deno.readTextFileSync(join(datasetsDir, "clean_outputs.jsonl")).split("\n")
    .filter((l) => l.trim() !== "").map((l) => (JSON.parse(l) as { text: string }).text);
  const detectors = defaultDetectors();
  const rnd = seeded(77);
  const rows = [
    emptyRow("Harmony channels (analysis → reasoning) · whole"),
    emptyRow(
      "Harmony channels (analysis → reasoning) · stream",
    ),
  ];
  answers.forEach((answer, i) => {
    // Reasoning prose from another answer (paragraphs without code, as in the think-leak cases).
    const reasoning = (answers[(i + 5) % answers.length] ?? "").split("\n\n")
      .filter((p) => !p.includes("`")).slice(0, 2).join("\n\n").trim() || "Think first.";
    const start = i % 2 === 0 ? "<|start|>assistant" : "";
    const text = `${start}<|channel|>analysis<|message|>${reasoning}<|end|>` +
      `<|start|>assistant<|channel|>final<|message|>${answer}<|return|>`;
    const cuts = randomCuts(text.length, 30, rnd);
    for (const m of text.matchAll(/</g)) cuts.push(m.index + 1, m.index + 4);
    const results = [
      runWhole(text, detectors, {}),
      runStream(text, detectors, {}, [...new Set(cuts)].sort((a, b) => a - b)),
    ];
    results.forEach((r, k) => {
      const row = rows[k]!;
      row.cases++;
      row.fixTotal++;
      if (r.detections.length > 0) row.tp++;
      else row.fn++;
      if (r.content.trimEnd() === answer.trimEnd() && r.thinking.trim() === reasoning) {
        row.fixExact++;
      }
    });
  });
  return rows;
}

if (import.meta.main) {
  for (const r of evaluateFormats(Deno.args[0] ?? "data")) console.log(JSON.stringify(r));
}
