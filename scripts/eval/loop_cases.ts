/**
 * Loop cases beyond `text_cases.ts`: long-period loops (a block of 500–3,000 characters of a
 * real answer repeated until the token limit) and near-empty line loops (a comment marker or a
 * bullet alone on its line, repeated many times). Generated from the clean answers, seeded.
 * @module
 */
import { seeded } from "./chain.ts";
import type { TextCase } from "./text_cases.ts";

interface Row {
  id: string;
  text: string;
}

/** Markers models repeat on otherwise empty lines. */
const MARKERS = ["# \n", "#\n", "- \n", "* \n", "// \n", "> \n", "-- \n", "; \n", "+ \n", "//\n"];

/** Offsets just after each line end of `text`. */
function lineEnds(text: string): number[] {
  const ends: number[] = [];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) ends.push(i + 1);
  return ends;
}

/** `prefix` then `unit` repeated `times` times, the last copy cut (a token limit). */
function repeated(prefix: string, unit: string, times: number, rnd: () => number): string {
  const body = unit.repeat(times);
  return prefix + body.slice(0, body.length - Math.floor(rnd() * unit.length));
}

/**
 * Long-period loops: the lines from a random line start, 500–3,000 characters long, followed by
 * 2–3 more copies, the last one cut (three to four copies in all). Answers too short for such a block give no case.
 * @example
 * longLoopCases(rows, 5).every((c) => c.type === "repetition_loop"); // true
 */
export function longLoopCases(rows: readonly Row[], seed: number): TextCase[] {
  const rnd = seeded(seed);
  const out: TextCase[] = [];
  for (const r of rows) {
    const ends = [0, ...lineEnds(r.text)];
    const want = 500 + Math.floor(rnd() * 2500);
    const from = Math.floor(rnd() * ends.length);
    const start = ends[from] ?? 0;
    const end = ends.find((e) => e - start >= want);
    if (end === undefined) continue;
    const unit = r.text.slice(start, end);
    const prefix = r.text.slice(0, end);
    const text = repeated(prefix, unit, 3 + Math.floor(rnd() * 2), rnd);
    out.push({
      id: `${r.id}:long_loop`,
      text,
      type: "repetition_loop",
      expected: prefix,
      trimEnd: true,
      unit: unit.length,
    });
  }
  return out;
}

/**
 * Near-empty line loops: after a random line of the answer, one marker line repeated 60–300
 * times.
 * @example
 * markerLoopCases(rows, 5)[0]?.text.endsWith("\n"); // usually true
 */
export function markerLoopCases(rows: readonly Row[], seed: number): TextCase[] {
  const rnd = seeded(seed);
  return rows.map((r, i) => {
    const ends = lineEnds(r.text);
    const at = ends[Math.floor(rnd() * ends.length)] ?? r.text.length;
    const prefix = r.text.slice(0, at);
    const unit = MARKERS[i % MARKERS.length]!;
    const text = repeated(prefix, unit, 60 + Math.floor(rnd() * 240), rnd);
    return {
      id: `${r.id}:marker_loop`,
      text,
      type: "repetition_loop",
      expected: prefix + unit,
      trimEnd: true,
      unit: unit.length,
    };
  });
}
