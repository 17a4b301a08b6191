import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { literalPrefix } from "../../src/rules/regex_prefix.ts";

Deno.test("literalPrefix: the fixed text every match starts with", async (t) => {
  const cases: [RegExp, string][] = [
    [/\bpip install sklearn(?![\w.-])/g, "pip install sklearn"],
    [/\bfrom collections import (Mapping|Sequence)\b/g, "from collections import "],
    [/colou?r/g, "colo"],
    [/pandas\.read_xlsx/g, "pandas.read_xlsx"],
    [/foo|bar/g, ""],
    [/(foo|bar)x/g, ""],
    [/\d+px/g, ""],
    [/Import/gi, "import"],
    [/a[bc]/g, "a"],
  ];
  for (const [re, want] of cases) {
    await t.step(re.source, () => assertEquals(literalPrefix(re).text, want));
  }
});

Deno.test("literalPrefix: a leading \\b before a word character means matches start at a word start", () => {
  assertEquals(literalPrefix(/\bpip/g).wordStart, true);
  assertEquals(literalPrefix(/pip/g).wordStart, false);
  assertEquals(literalPrefix(/\b-x/g).wordStart, false);
});
