/**
 * Eval cases for the text detectors: the template-leak and clean-answer datasets, plus cases
 * generated from the clean answers the way small models fail: loops (a line, a block, a
 * sentence, a short phrase repeated until the token limit) and leaked `<think>` blocks.
 * @module
 */
import { seeded } from "./chain.ts";

/** One text case: positive for `type` (with the expected output) or clean. */
export interface TextCase {
  id: string;
  text: string;
  /** Detection type the case is positive for; null for a clean case. */
  type: string | null;
  /** Expected corrected content (positives), the text itself for clean cases. */
  expected: string;
  /** Expected thinking-channel text (think leaks). */
  thinking?: string;
  /** Compare with trailing whitespace trimmed (loop cut points fall at a boundary). */
  trimEnd?: boolean;
  /** Length of the looped unit (streamed output may keep one more copy). */
  unit?: number;
}

interface Row {
  id: string;
  text: string;
  label: string;
  expected?: string;
}

/**
 * Read a JSONL file.
 * @example
 * const rows = await readJsonl("data/clean_outputs.jsonl");
 */
export async function readJsonl(path: string): Promise<Row[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Row);
}

/**
 * Template-leak cases (positives and hard negatives) from the dataset.
 * @example
 * templateCases(await readJsonl("data/template_leaks.jsonl")).length; // 360
 */
export function templateCases(rows: readonly Row[]): TextCase[] {
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    type: r.label === "template_leak" ? "template_leak" : null,
    expected: r.label === "template_leak" ? r.expected ?? "" : r.text,
  }));
}

/**
 * Clean answers: every detector must leave them alone.
 * @example
 * cleanCases(rows).every((c) => c.expected === c.text); // true
 */
export function cleanCases(rows: readonly Row[]): TextCase[] {
  return rows.map((r) => ({ id: r.id, text: r.text, type: null, expected: r.text }));
}

/** Offsets just after each line end of `text`. */
function lineEnds(text: string): number[] {
  const ends: number[] = [];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) ends.push(i + 1);
  return ends;
}

/** Repeat `unit` after `prefix` until about `budget` characters, cut mid-unit (token limit). */
function loop(prefix: string, unit: string, budget: number, rnd: () => number): string {
  const times = Math.max(4, Math.ceil(budget / unit.length));
  const body = unit.repeat(times);
  return prefix + body.slice(0, body.length - Math.floor(rnd() * unit.length));
}

/**
 * Loop cases: each clean answer looped once per shape at a random place.
 * @example
 * loopCases(cleanRows, 1).length; // up to 4 per answer
 */
export function loopCases(rows: readonly Row[], seed: number): TextCase[] {
  const rnd = seeded(seed);
  const out: TextCase[] = [];
  const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(rnd() * xs.length)];
  for (const r of rows) {
    const text = r.text;
    const ends = lineEnds(text).filter((e) => e > 40);
    // A line repeated.
    const lineEnd = pick(
      ends.filter((e) => text.slice(text.lastIndexOf("\n", e - 2) + 1, e).trim().length >= 12),
    );
    if (lineEnd !== undefined) {
      const line = text.slice(text.lastIndexOf("\n", lineEnd - 2) + 1, lineEnd);
      const prefix = text.slice(0, lineEnd);
      out.push(positive(`${r.id}:loop_line`, loop(prefix, line, 1500, rnd), prefix, line.length));
    }
    // A block of 2-6 lines repeated.
    const k = 2 + Math.floor(rnd() * 5);
    const blockAt = Math.floor(rnd() * Math.max(1, ends.length - k));
    const bStart = blockAt === 0 ? 0 : ends[blockAt - 1] ?? 0;
    const bEnd = ends[blockAt + k - 1];
    if (bEnd !== undefined && bEnd - bStart >= 20 && bEnd - bStart <= 1200) {
      const prefix = text.slice(0, bEnd);
      const budget = Math.max(2500, 4 * (bEnd - bStart));
      out.push(
        positive(
          `${r.id}:loop_block`,
          loop(prefix, text.slice(bStart, bEnd), budget, rnd),
          prefix,
          bEnd - bStart,
        ),
      );
    }
    // A prose sentence repeated.
    const sentences = [...text.matchAll(/[A-Z][^.!?\n`]{20,160}[.!?](?= )/g)];
    const s = pick(sentences);
    if (s !== undefined) {
      const prefix = text.slice(0, s.index + s[0].length);
      const unit = " " + s[0];
      out.push(
        positive(`${r.id}:loop_sentence`, loop(prefix, unit, 1200, rnd), prefix, unit.length),
      );
    }
    // A short phrase cycling.
    const words = [...text.matchAll(/\b[a-z]{2,10}(?: [a-z]{2,10}){1,3}\b/g)];
    const w = pick(words);
    if (w !== undefined) {
      const prefix = text.slice(0, w.index + w[0].length);
      const unit = " " + w[0];
      out.push(positive(`${r.id}:loop_phrase`, loop(prefix, unit, 600, rnd), prefix, unit.length));
    }
  }
  return out;
}

function positive(id: string, text: string, expected: string, unit: number): TextCase {
  return { id, text, type: "repetition_loop", expected, trimEnd: true, unit };
}

/**
 * Think-leak cases: reasoning (prose of another answer) in a `<think>` block before the answer,
 * an unclosed block at the end of a cut-off stream, and negatives naming the tag in code.
 * @example
 * thinkCases(cleanRows, 2).length; // three per answer
 */
export function thinkCases(rows: readonly Row[], seed: number): TextCase[] {
  const rnd = seeded(seed);
  const out: TextCase[] = [];
  rows.forEach((r, i) => {
    const other = rows[(i + 7) % rows.length]?.text ?? "";
    const prose = other.split("\n\n").filter((p) => !p.includes("`")).slice(0, 3).join("\n\n")
      .trim();
    const reasoning = prose === "" ? "Let me think about the request." : prose;
    const gap = rnd() < 0.5 ? "\n\n" : "\n";
    out.push({
      id: `${r.id}:think_block`,
      text: `<think>\n${reasoning}\n</think>${gap}${r.text}`,
      type: "think_leak",
      expected: r.text,
      thinking: reasoning,
    });
    out.push({
      id: `${r.id}:think_unclosed`,
      text: `<think>\n${reasoning}`,
      type: "think_leak",
      expected: "",
      thinking: reasoning,
    });
    const mention = rnd() < 0.5
      ? "Reasoning models wrap their notes in `<think>` tags; strip them before parsing.\n\n"
      : "Example of a raw reasoning reply:\n\n```text\n<think>\nplan\n</think>\nanswer\n```\n\n";
    out.push({
      id: `${r.id}:think_mention`,
      text: mention + r.text,
      type: null,
      expected: mention + r.text,
    });
  });
  return out;
}

/** A text a pattern should fix, and the fixed text. */
export interface PatternTrigger {
  found: string;
  fixed: string;
}

/**
 * Pattern cases: one trigger (e.g. `pip install sklearn`) inserted as a line of a clean answer.
 * @example
 * patternCases(cleanRows, [{ found: "pip install sklearn", fixed: "pip install scikit-learn" }], 5);
 */
export function patternCases(
  rows: readonly Row[],
  triggers: readonly PatternTrigger[],
  seed: number,
): TextCase[] {
  const rnd = seeded(seed);
  return rows.flatMap((r, i) => {
    const t = triggers[i % triggers.length];
    if (t === undefined) return [];
    const ends = [0, ...lineEnds(r.text)];
    const at = ends[Math.floor(rnd() * ends.length)] ?? 0;
    const insert = (s: string) => r.text.slice(0, at) + s + "\n" + r.text.slice(at);
    return [{
      id: `${r.id}:pattern`,
      text: insert(t.found),
      type: "pattern_match",
      expected: insert(t.fixed),
    }];
  });
}
