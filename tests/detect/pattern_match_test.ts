import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { patternMatch } from "../../src/detect/pattern_match.ts";
import { compilePattern } from "../../src/rules/pattern.ts";
import { detectContext } from "../../src/detect/context.ts";
import { assertSplitInvariant } from "./split_helper.ts";

const literal = compilePattern({
  id: 1,
  match: "pandas.read_xlsx",
  regex: false,
  replacement: "pandas.read_excel",
  confidence: 0.9,
});
const regex = compilePattern({
  id: 2,
  match: "import (\\w{1,20})_ng\\b",
  regex: true,
  replacement: "import $1",
  confidence: 0.8,
});

Deno.test("pattern_match: literal and regex patterns are replaced, with $1 expansion", () => {
  const text = "df = pandas.read_xlsx(p)\nimport numpy_ng\n";
  assertSplitInvariant(text, [patternMatch], "df = pandas.read_excel(p)\nimport numpy\n", 100, {
    patterns: [literal, regex],
  });
});

Deno.test("pattern_match: each detection carries the pattern id", () => {
  const found = patternMatch.detect("pandas.read_xlsx", detectContext({ patterns: [literal] }));
  assertEquals(found.map((d) => [d.patternId, d.start, d.end, d.replacement]), [[
    1,
    0,
    16,
    "pandas.read_excel",
  ]]);
});

Deno.test("pattern_match: a literal's replacement is verbatim, `$` included", () => {
  const p = compilePattern({ id: 3, match: "USD", regex: false, replacement: "$", confidence: 1 });
  const found = patternMatch.detect("10 USD", detectContext({ patterns: [p] }));
  assertEquals(found[0]?.replacement, "$");
});

Deno.test("pattern_match: holdFrom holds only a possible start of a literal", () => {
  const ctx = detectContext({ final: false, patterns: [literal] });
  assertEquals(patternMatch.holdFrom("x".repeat(100), ctx), 100);
  assertEquals(patternMatch.holdFrom("x".repeat(100) + "pandas.re", ctx), 100);
  assertEquals(patternMatch.holdFrom("abc", detectContext({ final: false })), 3);
});

Deno.test("pattern_match: matches beyond the regex span cap are ignored and long texts are segmented", () => {
  const p = compilePattern({
    id: 4,
    match: "needle",
    regex: false,
    replacement: "pin",
    confidence: 1,
  });
  const text = "hay ".repeat(3000) + "needle " + "hay ".repeat(3000) + "needle";
  const found = patternMatch.detect(text, detectContext({ patterns: [p] }));
  assertEquals(found.length, 2);
});

Deno.test("pattern_match: a regex holds back only text that could begin its literal prefix", () => {
  const p = compilePattern({
    id: 5,
    match: "\\bpip install sklearn([^\\w.-]|$)",
    regex: true,
    replacement: "pip install scikit-learn$1",
    confidence: 0.9,
  });
  const ctx = detectContext({ final: false, patterns: [p] });
  assertEquals(patternMatch.holdFrom("Run this first: ", ctx), 16);
  assertEquals(patternMatch.holdFrom("Run: pip inst", ctx), 5);
  assertEquals(patternMatch.holdFrom("Run: pip install sklearn", ctx), 5);
  assertEquals(patternMatch.holdFrom("Run: grip", ctx), 9);
  assertSplitInvariant(
    "Run: pip install sklearn\nthen pip install sklearn-extra or pip install sklearn",
    [patternMatch],
    "Run: pip install scikit-learn\nthen pip install sklearn-extra or pip install scikit-learn",
    100,
    { patterns: [p] },
  );
});

Deno.test("pattern_match: a case-folding pattern is found and held in any case, next to non-ASCII text", () => {
  const p = compilePattern({
    id: 5,
    match: "\\bpip install sklearn\\b",
    regex: true,
    flags: "i",
    replacement: "pip install scikit-learn",
    confidence: 1,
  });
  const found = (text: string) =>
    patternMatch.detect(text, detectContext({ patterns: [p] })).map((d) => d.found);
  assertEquals(found("run PIP Install SKLEARN now"), ["PIP Install SKLEARN"]);
  assertEquals(found("é PIP INSTALL sklearn now"), ["PIP INSTALL sklearn"]);
  // The matcher folds ſ (long s) to s: text that is not ASCII is always left to it.
  assertEquals(found("run pip install ſklearn now"), ["pip install ſklearn"]);
  assertEquals(found("pip uninstall sklearn"), []);
  const hold = (text: string) =>
    patternMatch.holdFrom(text, detectContext({ final: false, patterns: [p] }));
  assertEquals(hold("x PIP inst"), 2);
  assertEquals(hold("é PIP INSTALL skl"), 2);
  assertEquals(hold("xpip inst"), 9); // mid-word: no \b before it
});
