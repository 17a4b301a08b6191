import assert from "node:assert/strict";
import { startProxy } from "../helpers.ts";
import { startFakeUpstream } from "../fake_upstream.ts";

/** Runs the child over the given patterns, killed after `ms`; its JSON lines. */
async function runChild(args: string[], ms = 30_000): Promise<Record<string, unknown>[]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./evil_regex_child.ts", import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(ms),
  }).spawn();
  const out = await child.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim().split("\n").map((l) => JSON.parse(l));
}

Deno.test("user regexes: the classic catastrophic patterns are refused or finish over 100,000 characters", async () => {
  const results = await runChild([
    "\\d*-?\\d*-?\\d*x\tdigits",
    "(\\d+)*x\tdigits",
    "(a+)+$\tas",
    "(a|aa)*b\tas",
    "(a|a)*$\tas",
    "a*a*a*a*b\tas",
  ]);
  assert.equal(results.length, 6);
  // `\d*-?\d*-?\d*x` passes the shape check and was the measured freeze: it must run, linearly.
  assert.deepEqual(results[0], { source: "\\d*-?\\d*-?\\d*x", matches: 0, chars: 100_000 });
  for (const r of results.slice(1)) {
    assert.ok("rejected" in r || r.matches === 0, JSON.stringify(r));
  }
});

Deno.test("user regexes: lookahead and backreferences are refused with the reason", async () => {
  const results = await runChild(["a(?!b)", "(a)\\1"]);
  for (const r of results) assert.match(String(r.rejected), /linear-time matcher|backreference/);
});

Deno.test("admin API: an accepted evil regex cannot freeze the proxy (health answers, stream ends)", async () => {
  // 120 digits, none repeating as a block (so only the user pattern could touch them).
  let seed = 7;
  const digits = Array.from({ length: 120 }, () => (seed = (seed * 48271) % 2147483647) % 10)
    .join("");
  const upstream = await startFakeUpstream(() =>
    Response.json({
      model: "m",
      message: { role: "assistant", content: `Number: ${digits}` },
      done: true,
    })
  );
  const proxy = await startProxy(upstream.url);
  try {
    const created = await fetch(`${proxy.url}/hotpatch/api/patterns`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ match: "\\d*-?\\d*-?\\d*x", replacement: "n", regex: true }),
    });
    assert.equal(created.status, 201);
    await created.body?.cancel();
    const answer = await fetch(`${proxy.url}/api/chat`, {
      method: "POST",
      body: JSON.stringify({ model: "m", messages: [], stream: false }),
    });
    assert.equal((await answer.json()).message.content, `Number: ${digits}`);
    const health = await fetch(`${proxy.url}/hotpatch/api/stats`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    await proxy.close();
    await upstream.close();
  }
});

Deno.test("admin API: more than 1,000 enabled patterns are refused with 400", async () => {
  const upstream = "http://127.0.0.1:9";
  const proxy = await startProxy(upstream);
  try {
    const base = proxy.store.patterns.list().filter((p) => p.enabled).length;
    for (let i = base; i < 1000; i++) {
      proxy.store.patterns.create({ match: `word${i}`, replacement: "x" });
    }
    const post = (body: unknown) =>
      fetch(`${proxy.url}/hotpatch/api/patterns`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const over = await post({ match: "one too many", replacement: "x" });
    assert.equal(over.status, 400);
    assert.match((await over.json()).error, /Too many enabled patterns: at most 1000/);
    const disabled = await post({ match: "kept off", replacement: "x", enabled: false });
    assert.equal(disabled.status, 201);
    const { id } = await disabled.json();
    const enable = await fetch(`${proxy.url}/hotpatch/api/patterns/${id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ enabled: true }),
    });
    assert.equal(enable.status, 400);
    await enable.body?.cancel();
  } finally {
    await proxy.close();
  }
});
