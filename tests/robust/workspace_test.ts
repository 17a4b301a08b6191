import assert from "node:assert/strict";
import { join } from "node:path";
import { buildWorkspaceIndex } from "../../src/workspace/index.ts";
import { MAX_GITIGNORE, readUntrusted } from "../../src/workspace/untrusted.ts";
import { CorrectionLog, LOG_FILE } from "../../src/store/corrections_log.ts";

const linux = Deno.build.os === "linux";

Deno.test({
  name:
    "hostile workspace: a .gitignore linked to /dev/zero, a FIFO .gitignore and links out are never read",
  ignore: !linux,
  async fn() {
    const root = await Deno.makeTempDir();
    const outside = await Deno.makeTempDir();
    await Deno.writeTextFile(join(outside, "secret.ts"), "x");
    await Deno.writeTextFile(join(outside, ".gitignore"), "*.ts\n");
    await Deno.mkdir(join(root, "fifo"));
    await Deno.mkdir(join(root, "out"));
    await Deno.mkdir(join(root, "big"));
    await Deno.symlink("/dev/zero", join(root, ".gitignore"));
    const mkfifo = await new Deno.Command("mkfifo", { args: [join(root, "fifo", ".gitignore")] })
      .output();
    assert.equal(mkfifo.code, 0);
    await Deno.symlink(join(outside, ".gitignore"), join(root, "out", ".gitignore"));
    await Deno.symlink(join(outside, "secret.ts"), join(root, "out", "link.ts"));
    await Deno.writeTextFile(join(root, "big", ".gitignore"), "*\n".repeat(MAX_GITIGNORE));
    for (const f of ["a.ts", "fifo/b.ts", "out/c.ts", "big/d.ts"]) {
      await Deno.writeTextFile(join(root, f), "x");
    }
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./workspace_child.ts", import.meta.url).pathname, root],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(15_000),
    }).spawn();
    const out = await child.output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    // Every real file is indexed: no hostile .gitignore was applied, the link out is left out.
    assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), [
      "a.ts",
      "big/.gitignore",
      "big/d.ts",
      "fifo/b.ts",
      "out/c.ts",
    ]);
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  },
});

Deno.test({
  name: "readUntrusted: regular files only, up to the cap",
  ignore: !linux,
  async fn() {
    const dir = await Deno.makeTempDir();
    await Deno.writeTextFile(join(dir, "ok"), "dist/\n");
    await Deno.symlink(join(dir, "ok"), join(dir, "link"));
    assert.equal(await readUntrusted(join(dir, "ok"), 100), "dist/\n");
    assert.equal(await readUntrusted(join(dir, "ok"), 3), null);
    assert.equal(await readUntrusted(join(dir, "link"), 100), null);
    assert.equal(await readUntrusted("/dev/zero", 100), null);
    assert.equal(await readUntrusted(join(dir, "missing"), 100), null);
    await Deno.remove(dir, { recursive: true });
  },
});

/** `p`, or a failure after 10 s (a ref'd timer: the index's own timers do not hold the process). */
async function within(p: Promise<void>, step: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((r) => timer = setTimeout(() => r("late"), 10_000));
  const won = await Promise.race([p.then(() => "done" as const), late]);
  clearTimeout(timer);
  assert.equal(won, "done", `the index refreshed ${step}`);
}

Deno.test("watcher: a root deleted and made again is watched anew (files added later are indexed)", async () => {
  const parent = await Deno.makeTempDir();
  const root = join(parent, "ws");
  await Deno.mkdir(root);
  await Deno.writeTextFile(join(root, "first.ts"), "x");
  const index = await buildWorkspaceIndex([root], { watch: true, debounceMs: 20, rootCheckMs: 50 });
  try {
    assert.equal(index.exists("first.ts"), true);
    let refreshed = index.refreshed();
    await Deno.remove(root, { recursive: true });
    await within(refreshed, "after the delete");
    assert.equal(index.exists("first.ts"), false);
    refreshed = index.refreshed();
    await Deno.mkdir(root);
    await Deno.writeTextFile(join(root, "again.ts"), "x");
    await within(refreshed, "after the re-create");
    assert.equal(index.exists("again.ts"), true);
    refreshed = index.refreshed();
    await Deno.writeTextFile(join(root, "later.ts"), "x");
    await within(refreshed, "after a later file");
    assert.equal(index.exists("later.ts"), true);
  } finally {
    index.close();
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("corrections.log: a log directory deleted while running is made again on the next write", async () => {
  const parent = await Deno.makeTempDir();
  const dir = join(parent, "logs");
  const log = new CorrectionLog(dir);
  const rec = {
    requestId: "r1",
    time: 0,
    model: "m",
    protocol: "ollama" as const,
    channel: "content" as const,
    type: "template_leak",
    found: "<|im_end|>",
    replacement: null,
    confidence: 1,
    action: "corrected" as const,
  };
  log.append([rec]);
  await Deno.remove(dir, { recursive: true });
  log.append([rec, rec]);
  const lines = (await Deno.readTextFile(join(dir, LOG_FILE))).trimEnd().split("\n");
  assert.equal(lines.length, 2);
  await Deno.remove(parent, { recursive: true });
});
