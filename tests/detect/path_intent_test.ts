import assert from "node:assert/strict";
import { codeRanges } from "../../src/text/markdown.ts";
import { commandWrites, introducesNew } from "../../src/detect/path_intent.ts";

/** Does the (first) occurrence of `path` in `text` introduce it as new? */
function intro(text: string, path = "src/x/new_mod.ts", fabricated = true): boolean {
  const at = text.indexOf(path);
  return introducesNew(
    text,
    { runStart: at, runEnd: at + path.length },
    codeRanges(text, null),
    fabricated,
  );
}

Deno.test("path intent: a path introduced as new in varied wordings", async (t) => {
  const texts = [
    "Create `src/x/new_mod.ts`.",
    "We'll generate src/x/new_mod.ts from the schema.",
    "Let me scaffold `src/x/new_mod.ts` next.",
    "Save it as src/x/new_mod.ts and reload.",
    "Write the adapter into `src/x/new_mod.ts`.",
    "Put the shared types in `src/x/new_mod.ts`.",
    "Add a new module at `src/x/new_mod.ts`:",
    "Add `src/x/new_mod.ts`.",
    "Stick the helper in a fresh file, `src/x/new_mod.ts`.",
    "I'll split the parser out into its own file, src/x/new_mod.ts.",
    "`src/x/new_mod.ts` (new)",
    "src/x/new_mod.ts — new file",
    "The file src/x/new_mod.ts doesn't exist yet, so make it.",
    "src/x/new_mod.ts will be created by the build.",
    "Files to create:\n\n- `src/x/new_mod.ts`",
    "```sh\ntouch src/x/new_mod.ts\n```",
    "```sh\necho 'x' > src/x/new_mod.ts\n```",
    'with open("src/x/new_mod.ts", "w") as fh:',
    "Here it is, `src/x/new_mod.ts`:\n\n```ts\nexport {};\n```",
    // Structure rather than words: tables, diffs, git status, fence attributes, remarks.
    "| file | what |\n|---|---|\n| `src/x/new_mod.ts` | new: the parser |",
    "Files to add:\n\n| path | why |\n| --- | --- |\n| `src/x/new_mod.ts` | the parser |",
    "- `src/x/new_mod.ts`: a fresh home for the helpers",
    "```diff\n--- /dev/null\n+++ b/src/x/new_mod.ts\n@@ -0,0 +1 @@\n+export {};\n```",
    "```\n?? src/x/new_mod.ts\n```",
    "```ts filename=src/x/new_mod.ts\nexport {};\n```",
    "```ts\n// new file: src/x/new_mod.ts\nexport {};\n```",
    "Below is `src/x/new_mod.ts` in full:\n\n```ts\nexport {};\n```",
    "`src/x/new_mod.ts` isn't in your tree yet.",
    "Target file: src/x/new_mod.ts (currently missing).",
    "- `src/x/new_mod.ts` (added)",
    "**New file:** `src/x/new_mod.ts`",
    "The new entry point is `src/x/new_mod.ts`.",
    "Give the parser a home of its own at `src/x/new_mod.ts`.",
    "Parsing goes to src/x/new_mod.ts, validation stays.",
    "`touch src/x/new_mod.ts` and paste in the code.",
    "Save as → src/x/new_mod.ts",
    "Once this lands, `src/x/new_mod.ts` will hold the retry logic.",
    "```ts\n// ---- src/x/new_mod.ts ----\nexport {};\n```",
    "<details><summary>src/x/new_mod.ts</summary>\n\n```ts\nexport {};\n```\n</details>",
    "`src/x/new_mod.ts` ← create this",
    "**File** `src/x/new_mod.ts` *(new)*",
    "You don't have `src/x/new_mod.ts` yet.",
    "```sh\ngit add -N src/x/new_mod.ts\n```",
    "```ts\n// @file src/x/new_mod.ts\nexport {};\n```",
    "<!-- src/x/new_mod.ts -->\n```html\n<div></div>\n```",
    "> **src/x/new_mod.ts**\n> ```ts\n> export {};\n> ```",
    "Path: `src/x/new_mod.ts`\nStatus: new\n\n```ts\nexport {};\n```",
    "| New file | Purpose |\n|---|---|\n| src/x/new_mod.ts | retries |",
    'Path("src/x/new_mod.ts").write_text(data)',
    "New file → `src/x/new_mod.ts`",
    "Rename `src/a.ts` → `src/x/new_mod.ts`.",
    "Copy `src/a.ts` to `src/x/new_mod.ts` and adjust the name.",
    "Added in this change: `src/x/new_mod.ts`",
    "**src/x/new_mod.ts** — created by this change",
    "```sh\nwget -O src/x/new_mod.ts https://example.com/x.ts\n```",
    "```sh\nnpx tsc --outFile src/x/new_mod.ts\n```",
    "```yaml\n- path: src/x/new_mod.ts\n  action: create\n```",
    '```json\n{"create": ["src/x/new_mod.ts"]}\n```',
    "```patch\nIndex: src/x/new_mod.ts\n=====\n--- src/x/new_mod.ts\t(nonexistent)\n+++ src/x/new_mod.ts\t(working copy)\n```",
    "Provide a stub at `src/x/new_mod.ts` so the build passes.",
    "src/x/new_mod.ts [new]",
    "NEW src/x/new_mod.ts",
    "```\n      create    src/x/new_mod.ts\n```",
    "| Action | File |\n|---|---|\n| create | `src/x/new_mod.ts` |",
    '```json\n{"path": "src/x/new_mod.ts", "op": "add"}\n```',
    "Proposed: `src/x/new_mod.ts`",
    "```ts\n// location: src/x/new_mod.ts\nexport {};\n```",
  ];
  for (const text of texts) await t.step(text, () => assert.equal(intro(text), true));
});

Deno.test("path intent: mentions of existing files are not introductions", async (t) => {
  const texts = [
    "Open `src/x/new_mod.ts` and look at the loop.",
    "Add the import to `src/x/new_mod.ts`.",
    "I added a check in src/x/new_mod.ts.",
    "The new behaviour is implemented in `src/x/new_mod.ts`.",
    "Run `node src/x/new_mod.ts`, then `git add src/x/new_mod.ts`.",
    "Running the tests touches src/x/new_mod.ts as well.",
    "Update `src/x/new_mod.ts`:\n\n```ts\nexport {};\n```",
    "```sh\ncp src/x/new_mod.ts /tmp/backup\n```",
    "`src/x/new_mod.ts`: another problem is the loop.",
    "You have `src/x/new_mod.ts` already; not yet tested though.",
    "| Old file | Purpose |\n|---|---|\n| src/x/new_mod.ts | retries |",
    "Add the import to `src/x/new_mod.ts` in this change.",
    "```yaml\n- path: src/x/new_mod.ts\n  action: update\n```",
    "Rename the function in `src/x/new_mod.ts` to `load`.",
    "```\n      identical src/x/new_mod.ts\n```",
    "| Action | File |\n|---|---|\n| update | `src/x/new_mod.ts` |",
    '```json\n{"path": "src/x/new_mod.ts", "op": "replace"}\n```',
    "I suggest checking `src/x/new_mod.ts` first.",
    "## src/x/new_mod.ts\nThe bug is in the loop below.\n\n```ts\nexport {};\n```",
    "Here's the relevant part of `src/x/new_mod.ts`:\n\n```ts\nexport {};\n```",
    "```diff\n--- a/src/x/new_mod.ts\n+++ b/src/x/new_mod.ts\n@@ -1 +1 @@\n```",
    "Copy src/x/new_mod.ts somewhere safe first.",
    "In `src/x/new_mod.ts`:\n\n```ts\nexport {};\n```",
  ];
  for (const text of texts) await t.step(text, () => assert.equal(intro(text), false));
});

Deno.test("path intent: a path labelling a code block is new only when nothing real is close", () => {
  const text = "Here it is, `src/x/new_mod.ts`:\n\n```ts\nexport {};\n```";
  assert.equal(intro(text, "src/x/new_mod.ts", true), true);
  assert.equal(intro(text, "src/x/new_mod.ts", false), false);
});

Deno.test("path intent: commands that write a path", () => {
  const writes = (line: string, path: string) => {
    const at = line.indexOf(path);
    return commandWrites(line, { runStart: at, runEnd: at + path.length });
  };
  assert.equal(writes("cp a.ts b.ts\n", "b.ts"), true);
  assert.equal(writes("cp a.ts b.ts\n", "a.ts"), false);
  assert.equal(writes("mkdir -p src/new", "src/new"), true);
  assert.equal(writes("esbuild app.ts -o dist/out.js", "dist/out.js"), true);
  assert.equal(writes("cat app.ts", "app.ts"), false);
});
