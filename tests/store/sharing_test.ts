import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../src/store/store.ts";
import type { CorrectionEntry } from "../../src/store/types.ts";

const entry = (requestId: string): CorrectionEntry => ({
  requestId,
  time: 1,
  model: "m",
  protocol: "openai",
  channel: "content",
  type: "template_leak",
  found: "<|im_end|>",
  replacement: "",
  confidence: 1,
  action: "corrected",
});

/** A temporary database file, removed after `fn`. */
async function withDb(fn: (path: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(join(dir, "hotpatch.db"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a rule added by another connection is seen once the reload interval passed", async () => {
  await withDb((path) => {
    let now = 0;
    const proxy = openStore(path, { now: () => now, reloadIntervalMs: 200 });
    const cli = openStore(path);
    const before = proxy.rules();
    const id = cli.patterns.create({ match: "colour", replacement: "color" });
    now = 100;
    assert.equal(proxy.rules(), before, "checked at most every interval");
    now = 250;
    const after = proxy.rules();
    assert.ok(after.patterns.some((p) => p.id === id));
    assert.ok(after.version > before.version);
    cli.patterns.remove(id);
    now = 500;
    assert.ok(!proxy.rules().patterns.some((p) => p.id === id));
    cli.close();
    proxy.close();
  });
});

Deno.test("correction writes by another process do not rebuild the snapshot", async () => {
  await withDb((path) => {
    let now = 0;
    const proxy = openStore(path, { now: () => now });
    const other = openStore(path);
    const before = proxy.rules();
    other.record(entry("x"));
    other.flush();
    now = 1000;
    assert.equal(proxy.rules(), before);
    other.close();
    proxy.close();
  });
});

Deno.test("two writers on one file never surface database-is-locked", async () => {
  await withDb((path) => {
    const a = openStore(path);
    const b = openStore(path);
    for (let i = 0; i < 200; i++) {
      a.record(entry(`a${i}`));
      b.record(entry(`b${i}`));
      if (i % 20 === 0) {
        a.patterns.create({ match: `word${i}`, replacement: "x" });
        b.flush();
        a.flush();
      }
    }
    a.close();
    b.close();
    const check = openStore(path);
    assert.equal(check.list({ limit: 10_000 }).length, 400);
    check.close();
  });
});

Deno.test("a CLI subprocess writing while this process writes: no lock errors, change seen", async () => {
  await withDb(async (path) => {
    let now = 0;
    const proxy = openStore(path, { now: () => now });
    const script = new URL("./fixtures/writer.ts", import.meta.url);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script.pathname, path, "150"],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timeout = setTimeout(() => child.kill(), 20_000);
    for (let i = 0; i < 150; i++) {
      proxy.record(entry(`p${i}`));
      if (i % 10 === 0) proxy.flush();
      await new Promise((r) => setTimeout(r, 2));
    }
    const out = await child.output();
    clearTimeout(timeout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.doesNotMatch(stderr, /locked/);
    proxy.flush();
    now = 1000;
    assert.ok(proxy.rules().patterns.some((p) => p.source === "child-pattern-149"));
    assert.equal(proxy.list({ limit: 10_000 }).length, 300);
    proxy.close();
  });
});
