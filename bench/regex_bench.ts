/**
 * User patterns on the linear-time matcher (RE2JS): the default patterns over real answers
 * (`clean_outputs.jsonl`) against the same patterns on RegExp (the baseline), and the pattern
 * that froze the backtracking engine (`\d*-?\d*-?\d*x`; here `[xy]`, so no literal prefilter
 * helps) over 1,000 / 10,000 / 100,000 digits: the time per character stays flat.
 */
import { patternMatch } from "../src/detect/pattern_match.ts";
import { compilePattern } from "../src/rules/pattern.ts";
import { detectContext } from "../src/detect/context.ts";
import { defaultPatterns } from "../src/store/migrations.ts";

const texts = Deno.readTextFileSync(new URL("../data/clean_outputs.jsonl", import.meta.url))
  .split("\n").filter((l) => l.trim() !== "").map((l) => (JSON.parse(l) as { text: string }).text);
const defaults = defaultPatterns.map((p, i) =>
  compilePattern({ id: i + 1, ...p, confidence: 0.9 })
);
const whole = detectContext({ final: true, patterns: defaults });

Deno.bench("default patterns over the clean answers (whole texts)", { group: "defaults" }, () => {
  for (const t of texts) patternMatch.detect(t, whole);
});

// The same patterns on the backtracking engine (their original lookahead form), matches only.
const native = [
  ...["sklearn", "cv2", "PIL", "yaml"].map((n) =>
    new RegExp(`\\bpip install ${n}(?![\\w.-])`, "g")
  ),
  new RegExp(defaultPatterns[4]?.match ?? "", "g"),
];
Deno.bench("same patterns on RegExp, matches only", { group: "defaults", baseline: true }, () => {
  for (const t of texts) for (const re of native) for (const _ of t.matchAll(re)) { /* count */ }
});

const evil = [
  compilePattern({
    id: 1,
    match: "\\d*-?\\d*-?\\d*[xy]",
    regex: true,
    replacement: "",
    confidence: 1,
  }),
];
const evilCtx = detectContext({ final: true, patterns: evil });
for (const n of [1_000, 10_000, 100_000]) {
  let seed = 7;
  const digits = Array.from({ length: n }, () => (seed = (seed * 48271) % 2147483647) % 10).join(
    "",
  );
  Deno.bench(`\\d*-?\\d*-?\\d*[xy] over ${n} digits`, { group: "evil" }, () => {
    patternMatch.detect(digits, evilCtx);
  });
}
