import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError, envName, parseConfig, parseUpstream } from "../src/config.ts";
import { runMain as run } from "./helpers.ts";

const main = new URL("../main.ts", import.meta.url).pathname;

Deno.test("invalid flags exit 2 with one line naming the value and the rule", async (t) => {
  for (
    const [args, pattern] of [
      [["--port", "70000"], /Invalid --port "70000": must be an integer from 0 to 65535/],
      [["--port", "abc"], /Invalid --port "abc"/],
      [["--upstream", "ftp://x"], /Invalid --upstream "ftp:\/\/x": scheme must be http or https/],
      [["--workspace", "/definitely/not/here"], /Invalid --workspace "\/definitely\/not\/here"/],
      [["--mode", "fix"], /Invalid --mode "fix": must be one of correct, detect, off/],
      [["--max-body", "lots"], /Invalid --max-body "lots"/],
      [["--body-timeout", "0"], /Invalid --body-timeout "0": must be an integer from 1/],
      [["--send-timeout", "soon"], /Invalid --send-timeout "soon"/],
      [
        ["--tool-loop-limit", "0"],
        /Invalid --tool-loop-limit "0": must be an integer from 1 to 1000/,
      ],
      [["--allowed-hosts", "a b"], /Invalid --allowed-hosts "a b": must be comma-separated/],
      [["--frobnicate"], /Unknown flag --frobnicate/],
      [["serve", "--proxy-port=-1"], /Invalid --port "-1"/],
      [["launch"], /Unknown command "launch"/],
      [["--host", "0.0.0.0"], /Refusing --host "0\.0\.0\.0" without --admin-token/],
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

Deno.test("the workspace defaults to the directory the user started in (INIT_CWD under deno task), and relative paths are taken from it", () => {
  const isDir = () => true;
  assert.deepEqual(
    parseConfig([], { INIT_CWD: "/home/ada/app" }, isDir, "/opt/hotpatch").workspaces,
    [
      "/home/ada/app",
    ],
  );
  assert.deepEqual(parseConfig([], {}, isDir, "/home/ada/app").workspaces, ["/home/ada/app"]);
  const relative = parseConfig(
    ["--workspace", "web", "--db", "rules.db", "--log-dir", "logs"],
    { INIT_CWD: "/home/ada" },
    isDir,
    "/opt",
  );
  assert.deepEqual(relative.workspaces, ["/home/ada/web"]);
  assert.equal(relative.db, "/home/ada/rules.db");
  assert.equal(relative.logDir, "/home/ada/logs");
  assert.equal(parseConfig(["--db", ":memory:"], {}, isDir).db, ":memory:");
});

Deno.test("a bare port in --upstream means that port on 127.0.0.1", () => {
  assert.equal(parseUpstream("11434"), "http://127.0.0.1:11434");
  assert.equal(parseUpstream(":8080"), "http://127.0.0.1:8080");
  assert.equal(parseUpstream("localhost:8080"), "http://localhost:8080");
  assert.equal(
    parseConfig(["--upstream", "11434"], {}, () => true).upstream,
    "http://127.0.0.1:11434",
  );
  assert.throws(
    () => parseUpstream("0"),
    /Invalid --upstream "0": must be an integer from 1 to 65535/,
  );
});

Deno.test("a non-loopback --host needs --admin-token; loopback addresses do not", () => {
  const isDir = () => true;
  for (const host of ["0.0.0.0", "192.168.1.5", "::"]) {
    assert.throws(() => parseConfig(["--host", host], {}, isDir), ConfigError);
    const withToken = parseConfig(["--host", host, "--admin-token", "s3cret"], {}, isDir);
    assert.equal(withToken.adminToken, "s3cret");
    assert.equal(
      parseConfig(["--host", host], { HOTPATCH_ADMIN_TOKEN: "t" }, isDir).adminToken,
      "t",
    );
  }
  for (const host of ["127.0.0.1", "localhost", "::1", "127.0.0.2"]) {
    assert.equal(parseConfig(["--host", host], {}, isDir).host, host);
  }
});

/** A loopback port nothing listens on. */
function deadPort(): number {
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  return port;
}

/** Starts `hotpatch serve` and returns what it printed up to the upstream line, then stops it. */
async function startup(args: string[], env: Record<string, string>, cwd: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "--port", "0", ...args],
    env: { NO_COLOR: "1", HOTPATCH_UPSTREAM: String(deadPort()), ...env },
    cwd,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const killer = setTimeout(() => child.kill(), 15_000);
  let seen = "";
  try {
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    while (!/Upstream: .*\n/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    reader.releaseLock();
  } finally {
    child.kill();
    clearTimeout(killer);
    await child.status;
    await child.stderr.cancel().catch(() => {});
  }
  return seen;
}

Deno.test("serve prints the workspace and index size, the database, the log and an unreachable upstream", async () => {
  const dir = await Deno.makeTempDir();
  const work = join(dir, "app");
  await Deno.mkdir(join(work, "src"), { recursive: true });
  await Deno.writeTextFile(join(work, "src", "config.js"), "");
  const seen = await startup(["--db", join(dir, "data", "h.db")], { INIT_CWD: work }, dir);
  await Deno.remove(dir, { recursive: true });
  const lines = seen.trimEnd().split("\n").map((l) => l.replace(/^.*\] hotpatch: /, ""));
  assert.match(
    lines[0] ?? "",
    /^Listening on http:\/\/127\.0\.0\.1:\d+ \(hotpatch \S+, mode correct\)$/,
  );
  assert.equal(lines[1], `Workspace: ${work} (2 paths indexed)`);
  assert.equal(lines[2], `Rules database: ${join(dir, "data", "h.db")}`);
  assert.equal(lines[3], `Corrections log: ${join(dir, "data", "corrections.log")}`);
  assert.match(seen, /\[WRN\] hotpatch: Upstream: http:\/\/127\.0\.0\.1:\d+ does not answer/);
  assert.doesNotMatch(seen, /own checkout/);
});

Deno.test("serve warns when the workspace is hotpatch's own checkout", async () => {
  const checkout = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const seen = await startup(["--db", ":memory:"], { INIT_CWD: "" }, checkout);
  assert.match(seen, new RegExp(`Workspace: ${checkout} `));
  assert.match(seen, /\[WRN\] hotpatch: The workspace is hotpatch's own checkout/);
});

Deno.test("--help and --version print and exit 0", async () => {
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(
    help.stdout,
    /^Commands:\n {2}serve .*\n {2}check /m,
    "the overview lists the commands",
  );
  assert.match(help.stdout, /--upstream URL/);
  assert.match(help.stdout, /--max-connections/);
  assert.match(
    help.stdout,
    /--tool-loop-limit N +identical tool calls .*tool_call_loop \(default 3\)/,
  );
  const version = await run(["--version"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^hotpatch \d+\.\d+\.\d+/);
});

Deno.test("config: guard lists and client timeouts (defaults 60 s, lists comma-separated)", () => {
  const d = parseConfig([], {}, () => true, "/work");
  assert.deepEqual([d.allowedHosts, d.allowedOrigins], [[], []]);
  assert.deepEqual([d.bodyTimeout, d.sendTimeout], [60_000, 60_000]);
  const c = parseConfig(
    ["--allowed-hosts", "devbox.lan, llm.internal", "--send-timeout", "5000"],
    { HOTPATCH_ALLOWED_ORIGINS: "http://localhost:3000", HOTPATCH_BODY_TIMEOUT: "1000" },
    () => true,
    "/work",
  );
  assert.deepEqual(c.allowedHosts, ["devbox.lan", "llm.internal"]);
  assert.deepEqual(c.allowedOrigins, ["http://localhost:3000"]);
  assert.deepEqual([c.bodyTimeout, c.sendTimeout], [1000, 5000]);
});

Deno.test("config: --tool-loop-limit (HOTPATCH_TOOL_LOOP_LIMIT) defaults to 3, from 1 to 1000", () => {
  assert.equal(parseConfig([], {}, () => true).toolLoopLimit, 3);
  assert.equal(parseConfig(["--tool-loop-limit", "5"], {}, () => true).toolLoopLimit, 5);
  const env = { HOTPATCH_TOOL_LOOP_LIMIT: "2" };
  assert.equal(parseConfig([], env, () => true).toolLoopLimit, 2);
  assert.equal(parseConfig(["--tool-loop-limit", "7"], env, () => true).toolLoopLimit, 7);
  for (const bad of ["0", "1001", "2.5", "many"]) {
    assert.throws(
      () => parseConfig(["--tool-loop-limit", bad], {}, () => true),
      new RegExp(`Invalid --tool-loop-limit "${bad}"`),
    );
  }
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
    while (!/Upstream: .* answers/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`hotpatch exited early: ${seen}`);
      seen += value;
    }
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

Deno.test("serve on a port in use exits 1 with one line saying so", async () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (busy.addr as Deno.NetAddr).port;
    const r = await run(["--port", String(port), "--db", ":memory:"], {
      env: { HOTPATCH_UPSTREAM: String(deadPort()) },
    });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`^hotpatch serve: Cannot start on 127\\.0\\.0\\.1:${port}: `),
    );
  } finally {
    busy.close();
  }
});
