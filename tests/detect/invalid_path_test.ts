import assert from "node:assert/strict";
import { fixPathArguments, pathDetector } from "../../src/detect/invalid_path.ts";
import type { DetectContext } from "../../src/detection.ts";
import { buildWorkspaceIndex } from "../../src/workspace/index.ts";
import type { WorkspaceIndex } from "../../src/workspace/types.ts";

const FILES = [
  "README.md",
  "deno.json",
  "src/app.ts",
  "src/components/Button.tsx",
  "src/detect/paths.ts",
  "src/detect/types.ts",
  "src/workspace/index.ts",
  "src/store/sqlite.ts",
  "src/config/settings.json",
  "tests/app_test.ts",
  "lib/helpers.js",
  "lib/color.ts",
  "lib/colour.ts",
];

async function workspace(): Promise<{ index: WorkspaceIndex & { close(): void }; dir: string }> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "hotpatch_paths_" }));
  for (const rel of FILES) {
    const abs = `${dir}/${rel}`;
    await Deno.mkdir(abs.slice(0, abs.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(abs, "");
  }
  return { index: await buildWorkspaceIndex([dir]), dir };
}

function context(index: WorkspaceIndex | null, extra: Partial<DetectContext> = {}): DetectContext {
  return {
    channel: "content",
    final: true,
    state: { fence: null, inThink: false },
    emitted: 0,
    model: "m",
    workspace: index,
    grounded: new Set(),
    tools: [],
    patterns: [],
    navigationFixes: new Map(),
    settings: {},
    ...extra,
  };
}

const ws = await workspace();
const ctx = context(ws.index);
const found = (text: string, c: DetectContext = ctx) =>
  pathDetector.detect(text, c).map((d) => [d.type, d.found, d.replacement]);

Deno.test({
  name: "paths: wrong paths are fixed when one real path is clearly meant",
  fn: async (t) => {
    const cases: [string, string][] = [
      ["Open src/App.ts now.", "src/app.ts"],
      ["See `src/detect/path.ts`.", "src/detect/paths.ts"],
      ["In src/workspace/index.js we build it.", "src/workspace/index.ts"],
      ["Edit detect/paths.ts first.", "src/detect/paths.ts"],
      ["Edit src/paths.ts first.", "src/detect/paths.ts"],
      ["Edit src/detect/x/paths.ts first.", "src/detect/paths.ts"],
      ["It lives in src/stroe/sqlite.ts.", "src/store/sqlite.ts"],
      ["Read readme.MD please", "README.md"],
      ["```ts\n// src/detect/path.ts\nexport {};\n```", "src/detect/paths.ts"],
    ];
    for (const [text, fix] of cases) {
      await t.step(text, () => assert.deepEqual(found(text).map((f) => f[2]), [fix]));
    }
  },
});

Deno.test("paths: made-up paths under a real directory are fabricated (no fix)", () => {
  assert.deepEqual(found("The logic is in src/auth/session_manager.ts."), [
    ["fabricated_path", "src/auth/session_manager.ts", null],
  ]);
});

Deno.test("paths: a source or config file under directories that exist nowhere is fabricated", () => {
  assert.deepEqual(found("The schema lives in config/database.yml and models/user.py."), [
    ["fabricated_path", "config/database.yml", null],
    ["fabricated_path", "models/user.py", null],
  ]);
  assert.deepEqual(found("Results go in out/data.csv and see agent/1.0"), []);
});

Deno.test("paths: made-up paths in reasoning text weigh less (below the default threshold)", () => {
  const thinking = context(ws.index, { channel: "thinking" });
  const [d] = pathDetector.detect("maybe it is in src/auth/guess_work.ts?", thinking);
  assert.equal(d?.type, "fabricated_path");
  assert.ok((d?.confidence ?? 1) < 0.6);
  assert.deepEqual(found("maybe src/App.ts", thinking), [[
    "invalid_path",
    "src/App.ts",
    "src/app.ts",
  ]]);
});

Deno.test("paths: ambiguous candidates give no fix", () => {
  assert.deepEqual(found("see lib/colur.ts"), [["fabricated_path", "lib/colur.ts", null]]);
});

Deno.test("paths: things that are not workspace paths are left alone", async (t) => {
  const texts = [
    "Real: src/app.ts, ./src/detect/types.ts:12:3 and README.md.",
    "Use Node.js, e.g. with i.e. example.com and https://github.com/a/src/x.ts",
    "import { createRoot } from 'react-dom/client'; import x from '@scope/pkg';",
    "Run /usr/bin/env bash > /dev/null; cat /etc/hosts /tmp/x.log ~/.config/app.json",
    "glob src/**/*.ts and src/*.js; python -m pkg.module; version 1.2.3; 3/4 done",
    "call response.json() and data.to_csv(path)",
    "Create `src/new_module.ts`:\n\n```ts\nexport const a = 1;\n```",
    "Add a new file src/feature/flag.ts with this content:",
    "Then write the output to src/generated/out.ts.",
    "src/brand/new.ts (new file)",
    "import { a } from './helpers.js'; import b from '../util/b.ts'",
    "import { x } from './src/detect/types'; see lib/helpers",
    "and/or input/output read/write TCP/IP",
    "Run `node test/foo.js` or edit `path/to/file.ts` and src/a.ts",
    'headers = {"User-Agent": "my-tool/1.0"}; glob("man/man[0-9]/*.1")',
    'const p = path.join(__dirname, "detect/paths.ts");',
    "Create these files:\n\n- `src/feature/a_one.ts`\n- `src/feature/b_two.ts`",
    "```ts\n// src/brand_new/module.ts\nexport {};\n```",
    '```ts title="src/brand_new/module.ts"\nexport {};\n```',
    "--- a/src/detect/paths.ts\n+++ b/src/detect/paths.ts",
    'df.to_csv("src/out/report.json")\nwith open("src/out/log.json", "w") as fh:',
    'import "pkg/dist/index.js"; const m = require("other/lib/x.js");',
  ];
  for (const text of texts) await t.step(text, () => assert.deepEqual(found(text), []));
});

Deno.test("paths: grounded paths, stored fixes and no workspace", () => {
  assert.deepEqual(
    found("see src/auth/x.ts", context(ws.index, { grounded: new Set(["src/auth/x.ts"]) })),
    [],
  );
  const nav = context(ws.index, { navigationFixes: new Map([["src/old.ts", "src/app.ts"]]) });
  assert.deepEqual(found("see src/old.ts", nav), [["invalid_path", "src/old.ts", "src/app.ts"]]);
  const stale = context(ws.index, { navigationFixes: new Map([["README.md", "docs/README.md"]]) });
  assert.deepEqual(found("see README.md", stale), []); // the file exists now: the fix is stale
  assert.deepEqual(found("see src/auth/x.ts", context(null)), []);
});

Deno.test("paths: absolute paths inside a root are checked, outside are not", () => {
  assert.deepEqual(found(`see ${ws.dir}/src/App.ts`), [
    ["invalid_path", `${ws.dir}/src/App.ts`, `${ws.dir}/src/app.ts`],
  ]);
  assert.deepEqual(found("see /home/someone/else/x.ts"), []);
});

Deno.test("paths: a path is never emitted half (holdFrom and split invariance)", () => {
  const text = "First src/App.ts then `src/stroe/sqlite.ts` and src/auth/made_up.ts\nok";
  const full = pathDetector.detect(text, ctx);
  assert.equal(full.length, 3);
  for (let cut = 1; cut < text.length; cut++) {
    const prefix = text.slice(0, cut);
    const partial = context(ws.index, { final: false });
    const hold = pathDetector.holdFrom(prefix, partial);
    const seen = pathDetector.detect(prefix, partial);
    for (const d of seen) {
      assert.ok(full.some((f) => f.start === d.start && f.replacement === d.replacement));
    }
    for (const f of full) {
      const reported = seen.some((d) => d.start === f.start);
      if (!reported && f.start < cut) {
        assert.ok(hold <= f.start, `cut ${cut}: hold ${hold} > ${f.start}`);
      }
    }
  }
  assert.equal(pathDetector.holdFrom("see src/ap", context(ws.index, { final: false })), 4);
  assert.equal(pathDetector.holdFrom("all good. ", context(ws.index, { final: false })), 10);
});

Deno.test("paths: tool-call arguments", async (t) => {
  await t.step("a read of a wrong path is fixed", () => {
    const r = fixPathArguments({ path: "./src/App.ts", limit: 3 }, "read_file", ctx);
    assert.deepEqual(r.args, { path: "./src/app.ts", limit: 3 });
    assert.equal(r.detections[0]?.type, "invalid_path");
  });
  await t.step("a bare name at the root resolves to its unique place", () => {
    assert.deepEqual(fixPathArguments({ file_path: "sqlite.ts" }, "read", ctx).args, {
      file_path: "src/store/sqlite.ts",
    });
  });
  await t.step("a write into an existing directory is fine", () => {
    const r = fixPathArguments({ path: "src/detect/new_thing.ts" }, "write_file", ctx);
    assert.deepEqual(r.detections, []);
  });
  await t.step("a write into a misspelled directory fixes the directory", () => {
    const r = fixPathArguments({ filename: "src/detcet/new_thing.ts" }, "create_file", ctx);
    assert.deepEqual(r.args, { filename: "src/detect/new_thing.ts" });
  });
  await t.step("a read of a made-up file is flagged, value kept", () => {
    const r = fixPathArguments({ uri: `file://${ws.dir}/src/nope/zzz.ts` }, "open", ctx);
    assert.equal(r.detections[0]?.type, "fabricated_path");
    assert.equal(r.args.uri, `file://${ws.dir}/src/nope/zzz.ts`);
  });
  await t.step("other keys are ignored", () => {
    assert.deepEqual(fixPathArguments({ query: "src/App.ts" }, "search", ctx).detections, []);
  });
});

Deno.test("paths: link text and target of a Markdown link are fixed alike", () => {
  assert.deepEqual(found("See [src/App.ts](src/App.ts) and [x](./src/App.ts)."), [
    ["invalid_path", "src/App.ts", "src/app.ts"],
    ["invalid_path", "src/App.ts", "src/app.ts"],
    ["invalid_path", "src/App.ts", "src/app.ts"],
  ]);
  assert.deepEqual(found("- **[src/detect/path.ts](src/detect/path.ts)** — paths"), [
    ["invalid_path", "src/detect/path.ts", "src/detect/paths.ts"],
    ["invalid_path", "src/detect/path.ts", "src/detect/paths.ts"],
  ]);
});

Deno.test("paths: Windows separators are judged and fixed with backslashes", () => {
  const text = "Open src\\detect\\path.ts and .\\src\\App.ts.";
  const fixed = pathDetector.detect(text, ctx).map((d) => d.replacement);
  assert.deepEqual(fixed, ["src\\detect\\paths.ts", "src\\app.ts"]);
  assert.deepEqual(found('print("done\\n"); my\\_file.py and src\\app.ts'), []);
});

Deno.test("paths: a path the answer introduces as new is left alone everywhere in it", () => {
  const text = "Add a test file at `src/detect/path2.ts`:\n\n```ts\nexport {};\n```\n\n" +
    "Once `src/detect/path2.ts` is in place, run `deno test src/detect/path2.ts`.";
  assert.deepEqual(found(text), []);
  assert.deepEqual(found("Create the folder `src/plugins/` and open src/plugins/a.ts"), []);
});

Deno.test("paths: a sibling named after a real file (app_v2.ts) labelling a block is new; a typo is fixed", () => {
  const block = (p: string) =>
    "```ts\n// " + p + "\nexport {};\n```\n\nThen run `deno test " + p + "`.";
  assert.deepEqual(found(block("src/app_v2.ts")), []);
  assert.deepEqual(found(block("src/aap.ts")).map((d) => d[2]), ["src/app.ts", "src/app.ts"]);
});

Deno.test("paths: a diff that creates a file exempts the file and its later mentions", () => {
  const text =
    "```diff\n--- /dev/null\n+++ b/src/detect/fresh.ts\n@@ -0,0 +1 @@\n+export {};\n```\n\n" +
    "Then import `src/detect/fresh.ts` from `src/app.ts`.";
  assert.deepEqual(found(text), []);
});

Deno.test("paths: a remote (git@host:owner/repo) and a branch name are no paths", () => {
  assert.deepEqual(found("The remote is `git@github.com:acme/src/app.TS`."), []);
  assert.deepEqual(found("Branch `fix/app.TS` has the change; `git switch -c fix/app.TS`."), []);
  assert.deepEqual(found("```sh\ngit checkout -- src/App.ts\n```").map((d) => d[2]), [
    "src/app.ts",
  ]);
});

Deno.test("paths: shell tool arguments, as a command string or an argv array", async (t) => {
  await t.step("argv array", () => {
    const r = fixPathArguments({ command: ["cat", "src/App.ts"] }, "shell", ctx);
    assert.deepEqual(r.args, { command: ["cat", "src/app.ts"] });
    assert.equal(r.detections[0]?.type, "invalid_path");
  });
  await t.step("command string, quoted or not", () => {
    const r = fixPathArguments(
      { command: `sed -n '1,9p' "src/App.ts" src/stroe/sqlite.ts` },
      "bash",
      ctx,
    );
    assert.deepEqual(r.args, { command: `sed -n '1,9p' "src/app.ts" src/store/sqlite.ts` });
  });
  await t.step("bash -lc with a script", () => {
    const r = fixPathArguments({ command: ["bash", "-lc", "head -n 5 src/App.ts"] }, "shell", ctx);
    assert.deepEqual(r.args, { command: ["bash", "-lc", "head -n 5 src/app.ts"] });
  });
  await t.step("a file the command writes may be new", () => {
    const r = fixPathArguments({ command: "touch src/detect/brand_new.ts" }, "shell", ctx);
    assert.deepEqual(r.detections, []);
  });
  await t.step("real paths pass unchanged", () => {
    const r = fixPathArguments({ cmd: "wc -l src/app.ts README.md" }, "exec", ctx);
    assert.deepEqual(r.detections, []);
  });
});

Deno.test("paths: cleanup", async () => {
  ws.index.close();
  await Deno.remove(ws.dir, { recursive: true });
});
