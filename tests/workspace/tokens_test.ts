import assert from "node:assert/strict";
import { extractPathTokens, isPathLike, runsFrom } from "../../src/workspace/tokens.ts";

const paths = (text: string) => extractPathTokens(text).map((t) => t.path);

Deno.test("tokens: paths are normalized (./, quotes, punctuation, :line:col)", () => {
  assert.deepEqual(paths("Open `./src/a.ts:12:3`, then 'lib/b.py'."), ["src/a.ts", "lib/b.py"]);
  assert.deepEqual(paths("Is it in src/main.rs?"), ["src/main.rs"]);
  assert.deepEqual(paths("edit main.ts and README.md."), ["main.ts", "README.md"]);
});

Deno.test("tokens: offsets cover exactly the normalized path", () => {
  const text = "see ./src/a.ts:3 now";
  const [t] = extractPathTokens(text);
  assert.deepEqual(text.slice(t!.start, t!.end), "src/a.ts");
  assert.deepEqual(text.slice(t!.runStart, t!.runEnd), "./src/a.ts:3");
});

Deno.test("tokens: non-paths are skipped", async (t) => {
  const cases = [
    "e.g. this, i.e. that",
    "version 1.2.3 and 3/4 of 2024/01/02",
    "visit https://example.com/src/a.ts?x=src/b.ts now",
    "go to example.com/docs or github.com/a/b",
    "glob src/**/*.ts and src/{a,b}.ts",
    "home ~/.config/x.json and $HOME/a.ts and user@host.com",
    "import from @scope/pkg",
    "call os.path.join and np.random",
  ];
  for (const text of cases) {
    await t.step(text, () => assert.deepEqual(paths(text), []));
  }
});

Deno.test("tokens: module specifiers and prose slashes are path-like tokens (decided later)", () => {
  assert.deepEqual(isPathLike("react-dom/client"), true);
  assert.deepEqual(isPathLike("and/or"), true);
  assert.deepEqual(isPathLike("1/2"), false);
  assert.deepEqual(isPathLike("Node.js"), true);
});

Deno.test("tokens: Markdown emphasis around a path is stripped, globs are not paths", () => {
  assert.deepEqual(paths("**src/a.ts** and *lib/b.py* but not *.ts or src/*"), [
    "src/a.ts",
    "lib/b.py",
  ]);
});

Deno.test("tokens: extraction from runsFrom(at) gives the whole pass's tokens from the run at `at` on", () => {
  const text = "see https://x.io/a?f=src/b.ts and `./src/a.ts:3`, C:\\x\\y.ts, " +
    "**lib/c.py** then\tsrc\\win\\d.ts\nend/e.md and https://y.dev/q?p=z/f.ts";
  const all = extractPathTokens(text);
  for (let at = 0; at <= text.length; at++) {
    const from = runsFrom(text, at);
    assert.ok(from <= at);
    assert.deepEqual(
      extractPathTokens(text, from),
      all.filter((t) => t.runStart >= from),
      `from ${from} (at ${at})`,
    );
    // No token the whole pass finds reaching `at` or later starts before `from`.
    assert.ok(all.every((t) => t.runEnd < at || t.runStart >= from), `at ${at}`);
  }
});
