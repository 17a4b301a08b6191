import { deepStrictEqual as assertEquals, ok, throws } from "node:assert/strict";
import {
  checkRegex,
  compilePattern,
  PatternError,
  REGEX_SPAN_CAP,
} from "../../src/rules/pattern.ts";

Deno.test("checkRegex: ordinary patterns are accepted", async (t) => {
  for (
    const src of [
      "colou?r",
      "\\bteh\\b",
      "https?://\\S+",
      "(?<y>\\d{4})-\\d\\d",
      "x(?:foo|bar)+",
      "a{2,5}b",
      "(a|b)+c",
    ]
  ) {
    await t.step(src, () => assertEquals(checkRegex(src), null));
  }
});

Deno.test("checkRegex: catastrophic shapes are rejected with a reason", async (t) => {
  const cases: [string, RegExp][] = [
    ["(a+)+$", /nested quantifiers/],
    ["(\\w+\\s?)*x", /nested quantifiers/],
    ["(a|aa)+b", /overlapping alternation/],
    ["(ab|ac)*d", /overlapping alternation/],
    ["(x)\\1+", /backreference/],
    ["((a)\\2)+", /backreference/],
    ["\\w+\\w+", /adjacent overlapping/],
    [".*foo.*bar", /more than one unbounded wildcard/],
  ];
  for (const [src, why] of cases) {
    await t.step(src, () => ok(why.test(checkRegex(src) ?? ""), String(checkRegex(src))));
  }
});

Deno.test("checkRegex: syntax errors, empty matches, bad flags and length", () => {
  ok(checkRegex("[")?.startsWith("invalid syntax"));
  assertEquals(checkRegex("a*"), "matches the empty string");
  ok(checkRegex("a", "g")?.startsWith("unsupported flags"));
  ok(checkRegex("a".repeat(501))?.startsWith("longer than"));
  assertEquals(checkRegex(""), "empty pattern");
});

Deno.test("compilePattern: literals are escaped and their replacement is verbatim", () => {
  const p = compilePattern({
    id: 3,
    match: "a.b($)",
    regex: false,
    replacement: "$1",
    confidence: 0.8,
  });
  assertEquals(p.maxLength, 6);
  assertEquals([...p.matcher.matchAll("xa.b($)y")].map((m) => m.index), [1]);
  assertEquals(p.replacement.replaceAll("$$", "$"), "$1");
  assertEquals(p.matcher.test("aXb($)"), false);
});

Deno.test("compilePattern: regex match length is bounded", () => {
  assertEquals(
    compilePattern({ id: 1, match: "colou?r", regex: true, replacement: "", confidence: 1 })
      .maxLength,
    6,
  );
  assertEquals(
    compilePattern({ id: 1, match: "foo\\d+", regex: true, replacement: "", confidence: 1 })
      .maxLength,
    REGEX_SPAN_CAP,
  );
});

Deno.test("compilePattern: invalid patterns throw a PatternError with the reason", () => {
  throws(
    () => compilePattern({ id: 1, match: "(a+)+", regex: true, replacement: "", confidence: 1 }),
    (e) => e instanceof PatternError && /nested/.test(e.message),
  );
  throws(
    () => compilePattern({ id: 1, match: "x", regex: false, replacement: "", confidence: 2 }),
    PatternError,
  );
});
