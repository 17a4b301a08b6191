/**
 * Test helpers: a real hotpatch app served on an ephemeral loopback port.
 * @module
 */
import { type Config, parseConfig } from "../src/config.ts";
import { createApp, type HotpatchApp } from "../src/app.ts";
import { openStore } from "../src/store/mod.ts";
import type { CorrectionEntry, Store } from "../src/store/types.ts";
import type { CorrectionRecord } from "../src/types.ts";
import type { WorkspaceIndex } from "../src/workspace/types.ts";
import type { Detector } from "../src/detect/types.ts";

/** A running proxy under test. */
export interface TestProxy extends HotpatchApp {
  url: string;
  config: Config;
  store: Store;
  close(): Promise<void>;
}

/** A config for tests: port 0, the given upstream, overrides applied. */
export function testConfig(upstream: string, overrides: Partial<Config> = {}): Config {
  const base = parseConfig(["--port", "0", "--upstream", upstream], {}, () => true, Deno.cwd());
  return { ...base, logLevel: "error", ...overrides };
}

/**
 * Serve a fresh app on 127.0.0.1:0.
 * @example
 * const proxy = await startProxy("http://127.0.0.1:9");
 * await proxy.close();
 */
export function startProxy(
  upstream: string,
  overrides: Partial<Config> = {},
  deps: { store?: Store; workspace?: WorkspaceIndex | null; detectors?: readonly Detector[] } = {},
): Promise<TestProxy> {
  const config = testConfig(upstream, overrides);
  const store = deps.store ?? openStore(":memory:");
  const built = createApp({
    config,
    store,
    workspace: deps.workspace ?? null,
    ...(deps.detectors ? { detectors: deps.detectors } : {}),
  });
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: (addr) =>
        resolve({
          ...built,
          config,
          store,
          url: `http://127.0.0.1:${addr.port}`,
          close: async () => {
            await server.shutdown();
            if (!deps.store) store.close();
          },
        }),
    }, built.app.fetch);
  });
}

/** Read a whole body as the list of chunks in which it arrived. */
export async function chunksOf(res: Response): Promise<string[]> {
  const out: string[] = [];
  const dec = new TextDecoder();
  for await (const c of res.body!) out.push(dec.decode(c, { stream: true }));
  return out;
}

/** The variables a child Deno needs to find its cache and tools. */
function passed(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"]) {
    const v = Deno.env.get(name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** What a finished `main.ts` process printed. */
export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `main.ts` as a subprocess (killed after 20 s), with only `env` as its
 * environment (plus what Deno needs to find its cache), optional stdin text and working directory.
 * The default database directory points nowhere, so a test can never touch the user's.
 * @example
 * const r = await runMain(["--version"]);
 * r.stdout; // "hotpatch 0.1.0\n"
 */
export async function runMain(
  args: string[],
  opts: { env?: Record<string, string>; stdin?: string; cwd?: string } = {},
): Promise<MainResult> {
  const main = new URL("../main.ts", import.meta.url).pathname;
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, ...args],
    env: { ...passed(), NO_COLOR: "1", XDG_DATA_HOME: "/nonexistent/hotpatch-tests", ...opts.env },
    clearEnv: true,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => proc.kill(), 20_000);
  if (opts.stdin !== undefined) {
    const writer = proc.stdin.getWriter();
    await writer.write(new TextEncoder().encode(opts.stdin));
    await writer.close();
  }
  const out = await proc.output();
  clearTimeout(timer);
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * A think_leak correction record for request `requestId` at `time` (ms).
 * @example
 * store.record(correction("r1"));
 */
export function correction(requestId: string, time = 0): CorrectionEntry {
  return {
    requestId,
    time,
    model: "m",
    protocol: "ollama",
    channel: "content",
    type: "think_leak",
    found: "<think>",
    replacement: "",
    confidence: 1,
    action: "corrected",
  };
}

/** An explained `invalid_path` correction with every field set, as the proxy records one. */
export const pathRecord: CorrectionRecord = {
  requestId: "req-9",
  time: Date.UTC(2026, 0, 1),
  model: "qwen3",
  protocol: "ollama",
  channel: "content",
  type: "invalid_path",
  found: "src/App.TS",
  replacement: "src/App.tsx",
  confidence: 0.9,
  action: "corrected",
  reason: '"src/App.TS" does not exist; "src/App.tsx" is the one path close to it (extension)',
  rule: "invalid_path",
  contextBefore: "see ",
  contextAfter: " now",
};

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
