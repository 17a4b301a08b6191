/**
 * The repository as a newcomer runs it: `deno task start` fetches only what serving needs, and
 * the tests stay quiet.
 * @module
 */
import assert from "node:assert/strict";
import meta from "../../deno.json" with { type: "json" };

const root = new URL("../../", import.meta.url);

/** Runs deno with `args` in the repository root; stdout and stderr together. */
async function deno(args: string[]): Promise<{ code: number; out: string }> {
  const proc = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => proc.kill(), 60_000);
  const out = await proc.output();
  clearTimeout(timer);
  const dec = new TextDecoder();
  return { code: out.code, out: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

/** `name@version` of each npm package in a lockfile. */
async function locked(file: string): Promise<string[]> {
  const lock = JSON.parse(await Deno.readTextFile(new URL(file, root)));
  return Object.keys(lock.npm ?? {}).sort();
}

Deno.test("deno task start fetches only the npm packages main.ts imports (deno.lock holds no test-only package)", async () => {
  // `deno task` downloads every package in deno.lock before it runs a task; test-only packages
  // (openai, ollama) live in tests/deno.lock, which only the test and check tasks use.
  const info = await deno(["info", "--json", "main.ts"]);
  assert.equal(info.code, 0, info.out);
  const graph = JSON.parse(info.out) as { modules: { specifier: string }[] };
  // `npm:/hono@4.13.19/factory` is the package `hono@4.13.19` (a subpath import).
  const served = [
    ...new Set(
      graph.modules.map((m) => /^npm:\/((?:@[^/]+\/)?[^/]+)/.exec(m.specifier)?.[1])
        .filter((s): s is string => s !== undefined),
    ),
  ].sort();
  assert.deepEqual(
    await locked("deno.lock"),
    served,
    "deno.lock must hold exactly the packages main.ts imports; was a test run without " +
      "--lock=tests/deno.lock? (git checkout deno.lock)",
  );
  for (const [name, spec] of Object.entries(meta.imports)) {
    const pkg = spec.replace(/^npm:\/?/, "");
    if (spec.startsWith("npm:") && !served.some((p) => pkg.startsWith(p))) {
      assert.fail(`deno.json imports ${name} (${spec}), which serving does not use`);
    }
  }
  assert.doesNotMatch(meta.tasks.start, /tests\/deno\.lock/);
  assert.match(meta.tasks.test, /--lock=tests\/deno\.lock/);
  const tests = await locked("tests/deno.lock");
  assert.ok(tests.some((p) => p.startsWith("openai@")), "tests/deno.lock pins the test clients");
});

Deno.test("a test of a dying upstream passes without printing a stack trace", async () => {
  const run = await deno([
    "test",
    "-A",
    "--no-check",
    "--lock=tests/deno.lock",
    "tests/proxy/failures_test.ts",
    "--filter",
    "dies mid-stream",
  ]);
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /ok \| 1 passed/);
  assert.doesNotMatch(run.out, /^\s+at /m);
  assert.doesNotMatch(run.out, /upstream died/);
});
