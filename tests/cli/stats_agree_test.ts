import assert from "node:assert/strict";
import { join } from "node:path";
import { startScriptedModel } from "../../src/demo/model.ts";
import { runMain, withDir } from "../helpers.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

/** Starts `hotpatch serve` as a subprocess; resolves with its URL once the upstream answered. */
async function serve(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "serve", "--port", "0", ...args],
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const killer = setTimeout(() => child.kill(), 20_000);
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/Upstream: .* answers/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`hotpatch exited early: ${seen}`);
    seen += value;
  }
  const url = /Listening on (http:\/\/\S+)/.exec(seen)![1]!;
  const stop = async () => {
    child.kill("SIGTERM");
    await child.status;
    clearTimeout(killer);
    reader.releaseLock();
    await child.stderr.cancel().catch(() => {});
  };
  return { url, stop };
}

Deno.test("stats agree with fixes list: fixes from the CLI, the API and learned by the proxy, used through real requests", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    const ws = join(dir, "ws");
    await Deno.mkdir(join(ws, "src"), { recursive: true });
    for (const f of ["App.tsx", "main.ts", "utils.ts"]) {
      await Deno.writeTextFile(join(ws, "src", f), "");
    }
    const cli = (...args: string[]) => runMain([...args, "--db", db]);
    const added = await cli("fixes", "add", "--from", "src/util.ts", "--to", "src/utils.ts");
    assert.equal(added.code, 0, added.stderr);
    const model = await startScriptedModel({ delayMs: 0 });
    const proxy = await serve(["--db", db, "--workspace", ws, "--upstream", model.url]);
    try {
      const api = await fetch(proxy.url + "/hotpatch/api/navigation-fixes", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ incorrectPath: "src/Main.ts", correctPath: "src/main.ts" }),
      });
      assert.equal(api.status, 201);
      await api.body?.cancel();
      // The scripted model writes src/App.TS: corrected, learned at the second, used at the third.
      for (let i = 0; i < 3; i++) {
        const res = await fetch(proxy.url + "/api/chat", {
          method: "POST",
          body: JSON.stringify({
            model: "m",
            stream: false,
            messages: [{ role: "user", content: "invalid_path" }],
          }),
        });
        assert.match((await res.json()).message.content, /src\/App\.tsx/);
      }
    } finally {
      await proxy.stop();
      await model.close();
    }
    const stats = JSON.parse((await cli("stats", "--json")).stdout);
    const fixes: { incorrectPath: string; timesCorrected: number }[] = JSON.parse(
      (await cli("fixes", "list", "--json")).stdout,
    );
    assert.deepEqual(fixes.map((f) => f.incorrectPath), [
      "src/util.ts",
      "src/Main.ts",
      "src/App.TS",
    ]);
    assert.equal(stats.totalNavigationPatterns, fixes.length);
    assert.equal(stats.hallucinationTypes.invalid_path, 3);
    assert.equal(stats.totalNavigationFixesApplied, 1);
    assert.equal(
      fixes.reduce((n, f) => n + f.timesCorrected, 0),
      stats.totalNavigationFixesApplied,
    );
    const text = (await cli("fixes", "list")).stdout;
    assert.match(text, /^ID\s+INCORRECT\s+CORRECT\s+WORKSPACE\s+USED\s/);
  });
});

Deno.test("serve writes the corrections still queued before it exits on SIGTERM", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    const model = await startScriptedModel({ delayMs: 0 });
    const proxy = await serve(["--db", db, "--upstream", model.url]);
    try {
      const res = await fetch(proxy.url + "/api/chat", {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "think_leak" }] }),
      });
      await res.text();
    } finally {
      await proxy.stop(); // at once: the record is still in the batched write queue
      await model.close();
    }
    const log = await runMain(["log", "--db", db]);
    assert.match(log.stdout, /^\S+\s+moved\s+think_leak\s/);
  });
});
