/**
 * Child process of regex_test.ts: runs the pattern detector with each regex given on the command
 * line over a 100,000-character adversarial input and prints one JSON line per pattern. Runs in
 * its own process so a backtracking engine would be killed by the parent's timeout, not hang the
 * test run.
 * @module
 */
import { patternMatch } from "../../src/detect/pattern_match.ts";
import { checkRegex, compilePattern } from "../../src/rules/pattern.ts";
import { detectContext } from "../../src/detect/context.ts";

const inputs: Record<string, string> = {
  digits: "1".repeat(100_000),
  as: "a".repeat(100_000) + "!",
};

for (const arg of Deno.args) {
  const [source = "", input = "digits"] = arg.split("\t");
  const problem = checkRegex(source);
  if (problem !== null) {
    console.log(JSON.stringify({ source, rejected: problem }));
    continue;
  }
  const p = compilePattern({ id: 1, match: source, regex: true, replacement: "X", confidence: 1 });
  const text = inputs[input] ?? "";
  const found = patternMatch.detect(text, detectContext({ final: true, patterns: [p] }));
  console.log(JSON.stringify({ source, matches: found.length, chars: text.length }));
}
