import assert from "node:assert/strict";
import { ConfigError, envName, parseConfig } from "../src/config.ts";

const main = new URL("../main.ts", import.meta.url).pathname;

async function run(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("invalid flags exit 2 with one line naming the value and the rule", async (t) => {
  for (
    const [args, pattern] of [
      [["--port", "70000"], /Invalid --port "70000": must be an integer from 0 to 65535/],
      [["--port", "abc"], /Invalid --port "abc"/],
      [["--upstream", "ftp://x"], /Invalid --upstream "ftp:\/\/x": scheme must be http or https/],
      [["--workspace", "/definitely/not/here"], /Invalid --workspace "\/definitely\/not\/here"/],
      [["--mode", "fix"], /Invalid --mode "fix": must be one of correct, detect, off/],
      [["--max-body", "lots"], /Invalid --max-body "lots"/],
      [["--frobnicate"], /Unknown flag --frobnicate/],
      [["serve", "--proxy-port=-1"], /Invalid --port "-1"/],
      [["launch"], /Unknown command "launch"/],
    ] as const
  ) {
    await t.step(args.join(" "), async () => {
      const r = await run([...args]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim().split("\n").length, 1);
      assert.match(r.stderr, pattern);
      assert.equal(r.stdout, "");
    });
  }
});

Deno.test("--help and --version print and exit 0", async () => {
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--upstream URL/);
  assert.match(help.stdout, /--max-connections/);
  const version = await run(["--version"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^hotpatch \d+\.\d+\.\d+/);
});

Deno.test("config: defaults, aliases, host:port upstream and HOTPATCH_* variables", () => {
  const d = parseConfig([], {}, () => true, "/work");
  assert.equal(d.host, "127.0.0.1");
  assert.equal(d.port, 11435);
  assert.equal(d.upstream, "http://127.0.0.1:11434");
  assert.deepEqual(d.workspaces, ["/work"]);
  assert.equal(d.mode, "correct");
  assert.equal(d.upstreamTimeout, 300000);
  assert.equal(d.maxConnections, 1024);
  assert.equal(d.maxBody, 32 * 1024 * 1024);

  const a = parseConfig(
    ["--proxy-port", "9000", "--gguf-endpoint", "localhost:8080", "--disable-hot-patching"],
    {},
    () => true,
  );
  assert.equal(a.port, 9000);
  assert.equal(a.upstream, "http://localhost:8080");
  assert.equal(a.mode, "off");
  assert.equal(
    parseConfig(["--enable-hot-patching"], { HOTPATCH_MODE: "off" }, () => true).mode,
    "correct",
  );

  const e = parseConfig([], {
    HOTPATCH_PORT: "1234",
    HOTPATCH_UPSTREAM: "https://models.internal:8443/base/",
    HOTPATCH_WORKSPACE: "/a:/b",
    HOTPATCH_MAX_BODY: "1KiB",
    HOTPATCH_MODE: "detect",
  }, () => true);
  assert.equal(e.port, 1234);
  assert.equal(e.upstream, "https://models.internal:8443/base");
  assert.deepEqual(e.workspaces, ["/a", "/b"]);
  assert.equal(e.maxBody, 1024);
  assert.equal(e.mode, "detect");
  assert.equal(parseConfig(["--port", "1"], { HOTPATCH_PORT: "2" }, () => true).port, 1);
  assert.equal(envName("upstream-timeout"), "HOTPATCH_UPSTREAM_TIMEOUT");
  assert.throws(() => parseConfig([], { HOTPATCH_PORT: "x" }, () => true), ConfigError);
});

Deno.test("serve answers, then SIGTERM lets an in-flight stream finish before exiting", async () => {
  const enc = new TextEncoder();
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    let i = 0;
    return new Response(
      new ReadableStream({
        async pull(c) {
          if (i === 4) return c.close();
          await new Promise((r) => setTimeout(r, 150));
          c.enqueue(enc.encode(`{"n":${i++}}\n`));
        },
      }),
      { headers: { "content-type": "application/x-ndjson" } },
    );
  });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      main,
      "serve",
      "--port",
      "0",
      "--db",
      ":memory:",
      "--upstream",
      `127.0.0.1:${upstream.addr.port}`,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const killer = setTimeout(() => child.kill(), 15_000);
  try {
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!/Listening on http:\/\/[^:]+:(\d+)/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`hotpatch exited early: ${seen}`);
      seen += value;
    }
    const port = /Listening on http:\/\/[^:]+:(\d+)/.exec(seen)![1];
    const res = await fetch(`http://127.0.0.1:${port}/api/ps`);
    const body = res.text();
    await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGTERM");
    assert.equal((await body).trim().split("\n").length, 4);
    const status = await child.status;
    assert.equal(status.code, 0);
    reader.releaseLock();
    await child.stderr.cancel().catch(() => {});
  } finally {
    clearTimeout(killer);
    try {
      child.kill();
    } catch { /* already gone */ }
    await upstream.shutdown();
  }
});
