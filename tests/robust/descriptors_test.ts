import assert from "node:assert/strict";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A free loopback port (bound, then released). */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function answers(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

Deno.test({
  name:
    "descriptors: 400 idle connections over a 256-descriptor limit do not kill hotpatch; it answers once they close",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const dir = Deno.makeTempDirSync();
    const port = freePort();
    const child = new Deno.Command("bash", {
      args: [
        "-c",
        `ulimit -n 256 && exec "${Deno.execPath()}" run -A "${MAIN}" serve --port ${port} ` +
        `--upstream 127.0.0.1:9 --workspace "${dir}" --db "${dir}/rules.db" --log-level warning`,
      ],
      stdout: "null",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).spawn();
    const stats = `http://127.0.0.1:${port}/hotpatch/api/stats`;
    try {
      for (let i = 0; i < 100 && await answers(stats) !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(await answers(stats), 200);
      const conns: Deno.Conn[] = [];
      for (let i = 0; i < 400; i++) {
        try {
          conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      await new Promise((r) => setTimeout(r, 500));
      for (const c of conns) c.close();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await answers(stats);
      }
      assert.equal(status, 200, "hotpatch answers again once the idle connections closed");
    } finally {
      child.kill("SIGTERM");
      const out = await child.output();
      const log = new TextDecoder().decode(out.stderr);
      assert.doesNotMatch(log, /Uncaught/);
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
