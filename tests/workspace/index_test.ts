import assert from "node:assert/strict";
import { buildWorkspaceIndex } from "../../src/workspace/index.ts";

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "hotpatch_ws_" }));
  for (const [rel, text] of Object.entries(files)) {
    const abs = `${dir}/${rel}`;
    await Deno.mkdir(abs.slice(0, abs.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(abs, text);
  }
  return dir;
}

Deno.test("index: files, directories, lower-case and base-name lookups", async () => {
  const dir = await tree({ "src/App.tsx": "", "src/lib/util.ts": "", "README.md": "" });
  const index = await buildWorkspaceIndex([dir]);
  try {
    assert.equal(index.exists("src/App.tsx"), true);
    assert.equal(index.exists("./src/lib/"), true);
    assert.equal(index.exists(`${dir}/src/lib/util.ts`), true);
    assert.equal(index.exists("src/app.tsx"), false);
    assert.deepEqual(index.byLowerPath("src/app.tsx"), ["src/App.tsx"]);
    assert.deepEqual(index.byBaseName("util.ts"), ["src/lib/util.ts"]);
    assert.deepEqual([...index.files()].sort(), ["README.md", "src/App.tsx", "src/lib/util.ts"]);
    assert.equal(index.size, 5);
  } finally {
    index.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("index: .git, node_modules and .gitignore'd entries are skipped", async () => {
  const dir = await tree({
    ".gitignore": "dist/\n*.log\n!keep.log\n",
    ".git/HEAD": "",
    "node_modules/x/index.js": "",
    "dist/a.js": "",
    "pkg/.gitignore": "/gen\n",
    "pkg/gen/b.ts": "",
    "pkg/src/gen/c.ts": "",
    "a.log": "",
    "keep.log": "",
  });
  const index = await buildWorkspaceIndex([dir]);
  try {
    for (
      const p of [".git/HEAD", "node_modules/x/index.js", "dist/a.js", "pkg/gen/b.ts", "a.log"]
    ) {
      assert.equal(index.exists(p), false, p);
    }
    assert.equal(index.exists("pkg/src/gen/c.ts"), true);
    assert.equal(index.exists("keep.log"), true);
  } finally {
    index.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("index: no escapes above a root, symlinks leaving the roots are not followed", async () => {
  const outside = await tree({ "secret.txt": "" });
  const dir = await tree({ "src/a.ts": "" });
  await Deno.symlink(outside, `${dir}/out`);
  await Deno.symlink(`${dir}/src`, `${dir}/alias`);
  const index = await buildWorkspaceIndex([dir]);
  try {
    assert.equal(index.exists("../" + outside.split("/").pop() + "/secret.txt"), false);
    assert.equal(index.exists("src/../../etc/passwd"), false);
    assert.equal(index.exists("out/secret.txt"), false);
    assert.equal(index.exists("out"), false);
    assert.equal(index.exists(`${outside}/secret.txt`), false);
    assert.equal(index.exists("alias/a.ts"), true);
  } finally {
    index.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("index: past the file budget, unfinished directories are opaque (exist, not listed)", async () => {
  const dir = await tree({ "a.ts": "", "b.ts": "", "deep/c.ts": "", "deep/d.ts": "" });
  const index = await buildWorkspaceIndex([dir], { maxFiles: 2 });
  try {
    assert.equal(index.truncated, true);
    assert.equal(index.files().length, 2);
    assert.equal(index.exists("deep/anything.ts"), true);
  } finally {
    index.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("index: refreshes after file-system changes", async () => {
  const dir = await tree({ "a.ts": "" });
  const index = await buildWorkspaceIndex([dir], { watch: true, debounceMs: 20 });
  try {
    assert.equal(index.exists("new/b.ts"), false);
    const done = index.refreshed();
    await Deno.mkdir(`${dir}/new`);
    await Deno.writeTextFile(`${dir}/new/b.ts`, "");
    await done;
    if (!index.exists("new/b.ts")) await index.refreshed();
    assert.equal(index.exists("new/b.ts"), true);
  } finally {
    index.close();
    await Deno.remove(dir, { recursive: true });
  }
});
