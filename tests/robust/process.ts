/**
 * The real `hotpatch serve` as a child process on a free loopback port, for tests that measure
 * the process itself (its resident memory), not the test runner's.
 * @module
 */

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A running `hotpatch serve` child. */
export interface HotpatchProcess {
  url: string;
  pid: number;
  /** Peak resident memory so far in bytes (VmHWM in /proc/<pid>/status). */
  peakRss(): number;
  /** Current resident memory in bytes (VmRSS). */
  rss(): number;
  /** SIGTERM, then what it wrote to stderr. */
  stop(): Promise<string>;
}

/** A free loopback port (bound, then released). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function statusKb(pid: number, field: string): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const m = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/**
 * Starts `hotpatch serve --upstream <upstream> ...args` with a temporary workspace and database
 * and waits (up to 20 s) until it answers; killed after `limitMs`.
 * @example
 * const hp = await startHotpatch("http://127.0.0.1:9", ["--mode", "off"]);
 * await hp.stop();
 */
export async function startHotpatch(
  upstream: string,
  args: string[] = [],
  limitMs = 60_000,
): Promise<HotpatchProcess> {
  const dir = Deno.makeTempDirSync();
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "serve",
      "--port",
      String(port),
      "--upstream",
      upstream,
      "--workspace",
      dir,
      "--db",
      `${dir}/rules.db`,
      "--log-dir",
      `${dir}/log`,
      "--log-level",
      "error",
      ...args,
    ],
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(limitMs),
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${url}/hotpatch/api/stats`, { signal: AbortSignal.timeout(1000) })
      .then(async (r) => (await r.body?.cancel(), r.ok), () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid,
    peakRss: () => statusKb(child.pid, "VmHWM"),
    rss: () => statusKb(child.pid, "VmRSS"),
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const out = await child.output();
      Deno.removeSync(dir, { recursive: true });
      return new TextDecoder().decode(out.stderr);
    },
  };
}
