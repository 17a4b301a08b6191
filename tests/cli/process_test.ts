import assert from "node:assert/strict";
import { join } from "node:path";
import { runAdminCommand } from "../../src/cli/admin.ts";
import { openStore } from "../../src/store/store.ts";
import { correction } from "../helpers.ts";

const script = new URL("./fixtures/run_admin.ts", import.meta.url).pathname;

/** Runs the admin CLI in a child process (bounded by a kill timer). */
async function child(...argv: string[]) {
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...argv],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => proc.kill(), 20_000);
  const out = await proc.output();
  clearTimeout(timer);
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

const entry = (requestId: string) => correction(requestId);

Deno.test("a rule added by the CLI process reaches a running store within one reload interval", async () => {
  const dir = await Deno.makeTempDir();
  const db = join(dir, "h.db");
  let now = 0;
  const proxy = openStore(db, { now: () => now, reloadIntervalMs: 200 });
  const before = proxy.rules();
  for (let i = 0; i < 20; i++) proxy.record(entry(`r${i}`));
  const [added, disabled] = await Promise.all([
    child("patterns", "add", "--match", "colour", "--replace", "color", "--db", db),
    child("patterns", "disable", "1", "--db", db),
  ]);
  proxy.flush();
  assert.equal(added.code, 0, added.stderr);
  assert.equal(disabled.code, 0, disabled.stderr);
  assert.doesNotMatch(added.stderr + disabled.stderr, /locked/);
  now += 200;
  const after = proxy.rules();
  assert.ok(after.version > before.version);
  assert.ok(after.patterns.some((p) => p.source === "colour"));
  assert.ok(!after.patterns.some((p) => p.id === 1));
  assert.equal(proxy.list({ limit: 100 }).length, 20);
  proxy.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("log --follow prints entries as they arrive, from the table and from the file", async (t) => {
  const dir = await Deno.makeTempDir();
  const db = join(dir, "h.db");
  const store = openStore(db, { logDir: dir, flushDelayMs: 0 });
  store.record(entry("old"));
  store.flush();
  for (const source of [["--db", db], ["--log-dir", dir]]) {
    await t.step(source[0] ?? "", async () => {
      const stop = new AbortController();
      let out = "";
      const io = {
        stdout: (s: string) => {
          out += s;
          if (out.includes("new-" + source[0])) stop.abort();
        },
        stderr: () => {},
        env: {},
        signal: stop.signal,
      };
      const guard = setTimeout(() => stop.abort(), 10_000);
      const running = runAdminCommand(["log", "--follow", "--json", ...source], io);
      await new Promise((r) => setTimeout(r, 50));
      store.record(entry("new-" + source[0]));
      store.flush();
      assert.equal(await running, 0);
      clearTimeout(guard);
      const ids = out.trimEnd().split("\n").map((l) => JSON.parse(l).requestId);
      assert.equal(ids.at(-1), "new-" + source[0]);
      assert.ok(ids.includes("old"));
    });
  }
  store.close();
  await Deno.remove(dir, { recursive: true });
});
