/**
 * Which offered name a model meant when it used a name that is not offered: case and separator
 * differences, one or two typing edits, singular/plural, a `functions.` style prefix.
 * Used for tool names and for argument (property) names.
 * @module
 */
import { editDistance } from "../text/edit_distance.ts";

/**
 * Most offered names a name is compared with for a fix (the first ones). OpenAI accepts 128 tools;
 * a request offering 100,000 would otherwise cost seconds per unknown call.
 */
export const MAX_CANDIDATES = 256;

/** The verdict on one name against the offered ones. */
export type NameMatch =
  | { kind: "exact" }
  | { kind: "fixed"; name: string; confidence: number; reason: string }
  | { kind: "unknown"; reason: string };

/** Lower case, with `-`, `.`, space and `/` unified to `_`. */
function soft(name: string): string {
  return name.toLowerCase().replace(/[-. /]/g, "_");
}

/** Lower case without any separator. */
function bare(name: string): string {
  return name.toLowerCase().replace(/[-_. /]/g, "");
}

/** Singular form of every word (read_files → read_file, list_entries → list_entry). */
function singular(name: string): string {
  return soft(name).split("_").map((word) =>
    word.length > 3 && word.endsWith("ies")
      ? `${word.slice(0, -3)}y`
      : word.length > 3 && /(?:ch|sh|x|ss)es$/.test(word)
      ? word.slice(0, -2)
      : word.length > 2 && word.endsWith("s") && !word.endsWith("ss")
      ? word.slice(0, -1)
      : word
  ).join("_");
}

/** How sure we are that `offered` is what `name` meant (0: not plausible), and the edit distance. */
function closeness(name: string, offered: string): { score: number; dist: number; why: string } {
  const shorter = Math.min(name.length, offered.length);
  const dist = editDistance(soft(name), soft(offered), 2);
  if (soft(name) === soft(offered) || bare(name) === bare(offered)) {
    return { score: 0.95, dist, why: "differs only in case or separators" };
  }
  if (singular(name) === singular(offered)) {
    return { score: 0.9, dist, why: "singular/plural differs" };
  }
  if (dist === 1 && shorter >= 3) return { score: 0.9, dist, why: "one typing edit away" };
  if (dist === 2 && shorter >= 8) return { score: 0.75, dist, why: "two typing edits away" };
  return { score: 0, dist, why: "" };
}

/**
 * Decide whether `name` is one of `offered`, clearly meant as exactly one of them, or unknown.
 * A fix is only proposed when a single candidate is strictly closer than every other, among the
 * first {@link MAX_CANDIDATES} offered names.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const match = matchName("Read-File", ["read_file", "write_file"]);
 * assert.deepEqual(match.kind === "fixed" && [match.name, match.confidence], ["read_file", 0.95]);
 * ```
 */
export function matchName(name: string, offered: readonly string[]): NameMatch {
  if (offered.includes(name)) return { kind: "exact" };
  const scored = offered.slice(0, MAX_CANDIDATES).map((o) => ({ name: o, ...closeness(name, o) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.dist - b.dist);
  const [best, second] = scored;
  if (best && (!second || second.score < best.score || second.dist > best.dist)) {
    return {
      kind: "fixed",
      name: best.name,
      confidence: best.score,
      reason: `"${name}" is not offered; "${best.name}" ${best.why}`,
    };
  }
  const prefixed = /^(?:functions?|tools?|default_api|api)[.:/](.+)$/i.exec(name)?.[1];
  if (prefixed && offered.includes(prefixed)) {
    return {
      kind: "fixed",
      name: prefixed,
      confidence: 0.85,
      reason: `"${name}" is not offered; "${prefixed}" is, without the namespace prefix`,
    };
  }
  const why = best ? `several offered names are equally close` : "no offered name is close";
  return { kind: "unknown", reason: `"${name}" is not offered; ${why}` };
}
