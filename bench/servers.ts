/**
 * Benchmark fixtures: the fake upstream and hotpatch, each in its own process on loopback.
 * @module
 */

/** A child process serving HTTP on a loopback port. */
export interface Served {
  url: string;
  stop(): Promise<void>;
}

async function firstMatch(stream: ReadableStream<Uint8Array>, re: RegExp): Promise<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`process ended before printing ${re}: ${seen}`);
    seen += value;
    const m = re.exec(seen);
    if (m) {
      reader.releaseLock();
      return m[1]!;
    }
  }
}

function spawn(args: string[], from: "stdout" | "stderr", re: RegExp): Promise<Served> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdout: from === "stdout" ? "piped" : "null",
    stderr: from === "stderr" ? "piped" : "null",
  }).spawn();
  const out = from === "stdout" ? child.stdout : child.stderr;
  return firstMatch(out, re).then((port) => ({
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGKILL");
      await child.status;
      await out.cancel().catch(() => {});
    },
  }));
}

/** Start the fake upstream (bench/upstream_server.ts). */
export function startUpstream(): Promise<Served> {
  const script = new URL("./upstream_server.ts", import.meta.url).pathname;
  return spawn(["run", "-A", script], "stdout", /^(\d+)\n/);
}

/** Start hotpatch (`main.ts serve`) in front of `upstream`, rules in memory. */
export function startHotpatch(upstream: string, mode = "correct"): Promise<Served> {
  const main = new URL("../main.ts", import.meta.url).pathname;
  return spawn(
    [
      "run",
      "-A",
      main,
      "serve",
      "--port",
      "0",
      "--upstream",
      upstream,
      "--db",
      ":memory:",
      "--mode",
      mode,
      "--log-level",
      "info",
    ],
    "stderr",
    /listening on http:\/\/[^\s]+:(\d+)/,
  );
}

/** One request: time to first body chunk and total time, in milliseconds. */
export async function timed(
  url: string,
  body: Record<string, unknown>,
): Promise<{ first: number; total: number }> {
  const t0 = performance.now();
  const res = await fetch(url + "/api/chat", { method: "POST", body: JSON.stringify(body) });
  const reader = res.body!.getReader();
  let first = -1;
  while (true) {
    const { done } = await reader.read();
    if (first < 0) first = performance.now() - t0;
    if (done) break;
  }
  return { first, total: performance.now() - t0 };
}
