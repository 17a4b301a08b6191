import assert from "node:assert/strict";
import { matchIgnore, parseGitignore } from "../../src/workspace/gitignore.ts";

Deno.test("gitignore: common syntax", async (t) => {
  const rules = parseGitignore([
    "# comment",
    "*.log",
    "!keep.log",
    "/build",
    "dist/",
    "docs/**/*.tmp",
    "**/cache",
    "a/**",
    "file?.txt",
    "[Tt]emp",
    "\\#hash",
    "",
  ].join("\n"));
  const cases: [string, boolean, boolean | undefined][] = [
    ["x/debug.log", false, true],
    ["keep.log", false, false],
    ["build", true, true],
    ["src/build", true, undefined],
    ["dist", true, true],
    ["dist", false, undefined],
    ["pkg/dist", true, true],
    ["docs/x.tmp", false, true],
    ["docs/a/b/x.tmp", false, true],
    ["other/x.tmp", false, undefined],
    ["deep/er/cache", true, true],
    ["a/b/c.ts", false, true],
    ["a", true, undefined],
    ["file1.txt", false, true],
    ["file10.txt", false, undefined],
    ["Temp", true, true],
    ["#hash", false, true],
  ];
  for (const [path, isDir, expected] of cases) {
    await t.step(`${path} (dir: ${isDir})`, () => {
      assert.equal(matchIgnore(rules, path, isDir), expected);
    });
  }
});
