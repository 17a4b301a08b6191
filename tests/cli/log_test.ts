import assert from "node:assert/strict";
import { join } from "node:path";
import { runAdminCommand } from "../../src/cli/admin.ts";
import { showLogLine } from "../../src/cli/log.ts";
import { openStore } from "../../src/store/store.ts";
import { correction, runMain } from "../helpers.ts";

const entry = (i: number) => correction(`r${i}`, Date.UTC(2026, 0, 1, 0, 0, i));

/** A database and corrections.log holding r0 … r14. */
async function fifteen(): Promise<{ dir: string; db: string }> {
  const dir = await Deno.makeTempDir();
  const db = join(dir, "h.db");
  const store = openStore(db, { logDir: dir });
  for (let i = 0; i < 15; i++) store.record(entry(i));
  store.close();
  return { dir, db };
}

/** Request ids in printed lines, text or JSON. */
const ids = (out: string) => [...out.matchAll(/\b(r\d+)\b/g)].map((m) => m[1]);

Deno.test("log prints exactly the last N corrections, from the database and from corrections.log", async (t) => {
  const { dir, db } = await fifteen();
  try {
    for (const source of [["--db", db], ["--log-dir", dir]]) {
      for (const n of [0, 1, 5, 15, 16, 20, 100]) {
        await t.step(`${source[0]} --lines ${n}`, async () => {
          let out = "";
          const io = { stdout: (s: string) => void (out += s), stderr: () => {}, env: {} };
          assert.equal(await runAdminCommand(["log", "--lines", String(n), ...source], io), 0);
          const shown = Math.min(n, 15);
          const expected = Array.from({ length: shown }, (_, i) => `r${15 - shown + i}`);
          assert.deepEqual(ids(out), expected);
        });
      }
    }
    await t.step("main.ts, default 20 and -n 16", async () => {
      const all = await runMain(["log", "--db", db]);
      assert.equal(all.code, 0, all.stderr);
      assert.equal(all.stdout.trimEnd().split("\n").length, 15);
      const last = await runMain(["--log-dir", dir, "log", "-n", "16"]);
      assert.equal(last.stdout.trimEnd().split("\n").length, 15);
    });
    await t.step(
      "a --log-dir that does not exist is refused, not shown as an empty log",
      async () => {
        const r = await runMain(["log", "--log-dir", join(dir, "nope")]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /^hotpatch log: Invalid --log-dir ".*nope": no such directory\n$/);
        assert.equal(r.stdout, "");
      },
    );
    await t.step("--help says --json prints ISO times, as the JSON lines have", async () => {
      const r = await runMain(["log", "--help"]);
      assert.match(
        r.stdout,
        /--json\s+print the corrections.log lines \(every field, ISO 8601 times\)/,
      );
      const line = JSON.parse((await runMain(["log", "-n", "1", "--json", "--db", db])).stdout);
      assert.equal(line.timestamp, "2026-01-01T00:00:14.000Z");
    });
    await t.step("text lines start with an ISO 8601 time", async () => {
      const r = await runMain(["log", "-n", "1", "--db", db]);
      assert.match(r.stdout, /^2026-01-01T00:00:14\.000Z\s+corrected\s+think_leak\s+m\s+r14\s/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log --follow --lines 0 prints only corrections that arrive afterwards", async (t) => {
  const { dir, db } = await fifteen();
  const store = openStore(db, { logDir: dir, flushDelayMs: 0 });
  try {
    let next = 100;
    for (const source of [["--db", db], ["--log-dir", dir]]) {
      await t.step(source[0]!, async () => {
        const id = next++;
        const stop = new AbortController();
        let out = "";
        const io = {
          stdout: (s: string) => {
            out += s;
            if (out.includes(`r${id}`)) stop.abort();
          },
          stderr: () => {},
          env: {},
          signal: stop.signal,
        };
        const guard = setTimeout(() => stop.abort(), 10_000);
        const running = runAdminCommand(["log", "-f", "--lines", "0", ...source], io);
        await new Promise((r) => setTimeout(r, 100));
        store.record(entry(id));
        store.flush();
        assert.equal(await running, 0);
        clearTimeout(guard);
        assert.deepEqual(ids(out), [`r${id}`]);
      });
    }
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log shows a corrections.log line that is not an entry as it is", () => {
  assert.equal(showLogLine("not json", false), "not json\n");
  assert.equal(showLogLine('{"a":1}', false), '{"a":1}\n');
  const line = '{"timestamp":"2026-01-01T00:00:05.000Z","requestId":"r5","model":"m",' +
    '"type":"think_leak","confidence":1,"found":"<think>","replacement":"","action":"corrected"}';
  assert.equal(showLogLine(line, true), line + "\n");
  assert.match(
    showLogLine(line, false),
    /^2026-01-01T00:00:05\.000Z\s+corrected\s+think_leak\s+m\s+r5\s/,
  );
});
