import assert from "node:assert/strict";
import { join } from "node:path";
import { runAdminCommand } from "../../src/cli/admin.ts";
import { startScriptedModel } from "../../src/demo/model.ts";
import { openStore } from "../../src/store/mod.ts";
import { pathRecord, startProxy } from "../helpers.ts";

const record = pathRecord;

Deno.test("log: each line says what changed and why; --json has every field of the record", async () => {
  const dir = await Deno.makeTempDir();
  const db = join(dir, "h.db");
  const store = openStore(db);
  store.record(record);
  store.close();
  let out = "";
  const io = { stdout: (s: string) => void (out += s), stderr: () => {}, env: {} };
  assert.equal(await runAdminCommand(["log", "--db", db], io), 0);
  assert.match(
    out,
    /corrected\s+invalid_path\s+qwen3\s+req-9\s+"src\/App.TS" → "src\/App.tsx" — "src\/App.TS" does not exist; .*\(extension\)\n$/,
  );
  out = "";
  assert.equal(await runAdminCommand(["log", "--db", db, "--json"], io), 0);
  const line = JSON.parse(out);
  for (const key of ["reason", "rule", "contextBefore", "contextAfter", "action", "found"]) {
    assert.equal(line[key], record[key as keyof typeof record], key);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("log --follow: new corrections come from the running proxy's live feed", async () => {
  const dir = await Deno.makeTempDir();
  const db = join(dir, "h.db");
  const model = await startScriptedModel({ delayMs: 0 });
  const store = openStore(db);
  const proxy = await startProxy(model.url, {}, { store });
  const stop = new AbortController();
  let out = "";
  let err = "";
  const io = {
    stdout: (s: string) => {
      out += s;
      if (out.includes("think_leak")) stop.abort();
    },
    stderr: (s: string) => void (err += s),
    env: {},
    signal: stop.signal,
  };
  const guard = setTimeout(() => stop.abort(), 10_000);
  try {
    const running = runAdminCommand(["log", "--follow", "--db", db, "--url", proxy.url], io);
    while (proxy.observer.bus.subscribers === 0 && !stop.signal.aborted) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(!stop.signal.aborted, `log --follow never subscribed to the feed: ${err}`);
    await (await fetch(proxy.url + "/api/chat", {
      method: "POST",
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "think_leak" }] }),
    })).text();
    assert.equal(await running, 0);
    assert.match(
      out,
      /moved\s+think_leak\s+m\s+\S+\s+"<think>.*" → moved to the reasoning channel — /,
    );
    assert.equal(err, "");
  } finally {
    clearTimeout(guard);
    await proxy.close();
    store.close();
    await model.close();
    await Deno.remove(dir, { recursive: true });
  }
});
