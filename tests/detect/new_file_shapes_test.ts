import assert from "node:assert/strict";
import {
  derivedName,
  diffCreates,
  gitAdds,
  labelPending,
  labelsBlock,
  tableColumnSaysNew,
} from "../../src/detect/new_file_shapes.ts";
import { buildWorkspaceIndex } from "../../src/workspace/index.ts";

/** The occurrence of `path` in `text` (the n-th, from 0). */
function at(text: string, path: string, n = 0) {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(path, i + 1);
  return { runStart: i, runEnd: i + path.length };
}

Deno.test("diffCreates: a diff header that creates the file, not one that edits it", () => {
  const created = "--- /dev/null\n+++ b/src/x.ts\n@@ -0,0 +1 @@\n+a\n";
  assert.equal(diffCreates(created, at(created, "b/src/x.ts")), true);
  const hunkOnly = "+++ b/src/x.ts\n@@ -0,0 +1,2 @@\n";
  assert.equal(diffCreates(hunkOnly, at(hunkOnly, "b/src/x.ts")), true);
  const git = "diff --git a/src/x.ts b/src/x.ts\nnew file mode 100644\n";
  assert.equal(diffCreates(git, at(git, "a/src/x.ts")), true);
  const edit = "--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1,3 +1,3 @@\n";
  assert.equal(diffCreates(edit, at(edit, "b/src/x.ts")), false);
  assert.equal(diffCreates(edit, at(edit, "a/src/x.ts")), false);
  const next =
    "diff --git a/src/x.ts b/src/x.ts\nindex 1..2\ndiff --git a/y b/y\nnew file mode 100644\n";
  assert.equal(diffCreates(next, at(next, "a/src/x.ts")), false);
});

Deno.test("gitAdds: status and commit lines that add the file, alone on the line", () => {
  for (
    const text of [
      "A  src/x.ts",
      "?? src/x.ts",
      "new file:   src/x.ts",
      " create mode 100644 src/x.ts",
    ]
  ) {
    assert.equal(gitAdds(text, at(text, "src/x.ts")), true, text);
  }
  for (const text of ["M  src/x.ts", "A src/x.ts and more", "see src/x.ts"]) {
    assert.equal(gitAdds(text, at(text, "src/x.ts")), false, text);
  }
});

Deno.test("derivedName: a real sibling's name plus a suffix, not a misspelling", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "hotpatch_derived_" }));
  await Deno.mkdir(`${dir}/src`);
  for (const f of ["app.ts", "user.ts", "parse.ts"]) {
    await Deno.writeTextFile(`${dir}/src/${f}`, "");
  }
  const index = await buildWorkspaceIndex([dir]);
  try {
    assert.equal(derivedName("src/app_v2.ts", index), "src/app.ts");
    assert.equal(derivedName("src/app.spec.ts", index), "src/app.ts");
    assert.equal(derivedName("src/app2.ts", index), "src/app.ts");
    assert.equal(derivedName("src/userService.ts", index), "src/user.ts");
    // Typos, plurals and other extensions are no derived names; nor is a missing directory.
    assert.equal(derivedName("src/aap.ts", index), null);
    assert.equal(derivedName("src/users.ts", index), null);
    assert.equal(derivedName("src/parsex.ts", index), null);
    assert.equal(derivedName("src/app_v2.js", index), null);
    assert.equal(derivedName("lib/app_v2.ts", index), null);
  } finally {
    index.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("labelsBlock / labelPending: a label line and its block, decided only once the lines came", () => {
  const path = "src/x.ts";
  const whole = "## src/x.ts\nStatus: new\n\n```ts\nexport {};\n```";
  assert.equal(labelsBlock(whole, at(whole, path)), true);
  assert.equal(labelsBlock("## src/x.ts\nSee the loop.\n```ts\n```", at(whole, path)), false);
  // Streaming: undecided while only blank or "Key: value" lines have arrived.
  for (const head of ["## src/x.ts\n", "## src/x.ts\nStatus: new\n", "## src/x.ts\n\n``"]) {
    assert.equal(labelPending(head, at(head, path)), true, head);
  }
  const decided = "## src/x.ts\nSee the loop.\n";
  assert.equal(labelPending(decided, at(decided, path)), false);
  const diff = "diff --git a/src/x.ts b/src/x.ts\n";
  assert.equal(labelPending(diff, at(diff, "a/src/x.ts")), true);
});

Deno.test("tableColumnSaysNew: only the column whose header calls its files new", () => {
  const table = "| New file | Uses |\n|---|---|\n| src/x.ts | src/y.ts |";
  assert.equal(tableColumnSaysNew(table, at(table, "src/x.ts")), true);
  assert.equal(tableColumnSaysNew(table, at(table, "src/y.ts")), false);
  const plain = "| File | Why |\n|---|---|\n| src/x.ts | new |";
  assert.equal(tableColumnSaysNew(plain, at(plain, "src/x.ts")), false);
});
