import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { openStore } from "../../src/store/store.ts";
import { defaultPatterns, migrations } from "../../src/store/migrations.ts";
import { ValidationError } from "../../src/rules/fields.ts";
import type { CorrectionEntry } from "../../src/store/types.ts";

const entry = (over: Partial<CorrectionEntry> = {}): CorrectionEntry => ({
  requestId: "r1",
  time: 1_700_000_000_000,
  model: "qwen3:8b",
  protocol: "ollama",
  channel: "content",
  type: "template_leak",
  found: "<|im_end|>",
  replacement: "",
  confidence: 0.95,
  action: "ended",
  reason: 'end-of-turn token "<|im_end|>" leaked into the answer: it ends here',
  rule: "template_leak",
  contextBefore: "Done.",
  contextAfter: "\n<|im_start|>user\nthanks",
  ...over,
});

Deno.test("a fresh database is migrated to the latest version and seeded with defaults", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "nested", "hotpatch.db");
  const store = openStore(path);
  assert.equal(store.patterns.list().length, defaultPatterns.length);
  store.close();
  const db = new DatabaseSync(path);
  const version = db.prepare("PRAGMA user_version").get() as { user_version: number };
  assert.equal(version.user_version, migrations.at(-1)?.version);
  const mode = db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
  assert.equal(mode.journal_mode, "wal");
  db.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("reopening an existing database keeps its rules and does not seed again", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "hotpatch.db");
  const first = openStore(path);
  const id = first.patterns.create({ match: "colour", replacement: "color" });
  first.patterns.remove(1);
  first.close();
  const second = openStore(path);
  const matches = second.patterns.list().map((p) => p.match);
  assert.equal(matches.length, defaultPatterns.length);
  assert.equal(second.patterns.get(id)?.replacement, "color");
  second.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a database from a newer hotpatch is refused with a clear reason", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "hotpatch.db");
  const db = new DatabaseSync(path);
  db.exec("PRAGMA user_version = 99");
  db.close();
  assert.throws(() => openStore(path), /schema "99"/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("records are queued and visible to list once flushed, newest last", () => {
  const store = openStore(":memory:");
  store.record(entry({ requestId: "a" }));
  store.record(entry({ requestId: "b", type: "think_leak" }));
  store.record(entry({ requestId: "c" }));
  assert.deepEqual(store.list({}).map((r) => r.requestId), ["a", "b", "c"]);
  assert.deepEqual(store.list({ type: "think_leak" }).map((r) => r.requestId), ["b"]);
  assert.deepEqual(store.list({ limit: 2 }).map((r) => r.requestId), ["b", "c"]);
  assert.deepEqual(store.list({ requestId: "c" })[0], entry({ requestId: "c" }));
  store.close();
});

Deno.test("injection strings are stored and returned verbatim", () => {
  const store = openStore(":memory:");
  const hostile = `'); DROP TABLE correction_patterns; -- " %_ \\ $1 $&`;
  const id = store.patterns.create({ match: hostile, replacement: hostile, model: "x';--" });
  store.record(entry({ requestId: hostile, found: hostile }));
  assert.equal(store.patterns.get(id)?.match, hostile);
  assert.equal(store.patterns.get(id)?.model, "x';--");
  assert.equal(store.list({ requestId: hostile })[0]?.found, hostile);
  assert.equal(store.patterns.list().length, defaultPatterns.length + 1);
  assert.throws(() => store.patterns.create({ match: "a\0b", replacement: "" }), /NUL/);
  store.close();
});

Deno.test("hostile regexes are rejected by every write path", () => {
  const store = openStore(":memory:");
  for (const match of ["(a+)+$", "(", "(x|x)*y", "a*"]) {
    assert.throws(
      () => store.patterns.create({ match, replacement: "", regex: true }),
      ValidationError,
    );
  }
  const id = store.patterns.create({ match: "a+b", replacement: "c", regex: true });
  assert.throws(() => store.patterns.update(id, { match: "(a*)*" }), ValidationError);
  assert.equal(store.patterns.get(id)?.match, "a+b");
  assert.throws(
    () =>
      store.behaviorPatches.create({
        description: "bad",
        kind: "validator",
        payload: { patterns: [{ match: "(.*)*", replacement: "", regex: true }] },
      }),
    ValidationError,
  );
  store.close();
});

Deno.test("a rule change in this process shows in the next snapshot; old snapshots stay", () => {
  const store = openStore(":memory:");
  const before = store.rules();
  const id = store.patterns.create({ match: "colour", replacement: "color" });
  const after = store.rules();
  assert.ok(after.version > before.version);
  assert.equal(after.patterns.length, before.patterns.length + 1);
  assert.ok(after.patterns.some((p) => p.id === id));
  assert.ok(!before.patterns.some((p) => p.id === id));
  store.patterns.update(id, { enabled: false });
  assert.ok(!store.rules().patterns.some((p) => p.id === id));
  assert.equal(store.rules(), store.rules());
  store.close();
});

Deno.test("close flushes queued records and later records are ignored", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "hotpatch.db");
  const store = openStore(path, { flushDelayMs: 60_000 });
  store.record(entry());
  store.countRequest();
  store.close();
  store.record(entry());
  const again = openStore(path);
  assert.equal(again.list({}).length, 1);
  again.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the history keeps the newest corrections; lifetime counters keep counting", () => {
  const store = openStore(":memory:", { keepCorrections: 3 });
  for (let i = 0; i < 5; i++) store.record(entry({ requestId: `r${i}` }));
  store.flush();
  store.record(entry({ requestId: "r5" }));
  assert.deepEqual(store.list({}).map((r) => r.requestId), ["r3", "r4", "r5"]);
  const live = {
    activeConnections: 0,
    serverListening: false,
    listenPort: 0,
    upstream: "",
    mode: "",
  };
  assert.equal(store.stats(live).totalHallucinationsDetected, 6);
  store.close();
});

Deno.test("migration 2 keeps a version-1 history: old records read back with their type as the rule and no reason", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "v1.db");
  const old = new DatabaseSync(path);
  old.exec(migrations[0]!.sql);
  old.exec("PRAGMA user_version = 1");
  old.prepare(
    `INSERT INTO corrections (request_id, time, model, protocol, channel, type, found, replacement,
       confidence, action) VALUES ('old', 1, 'm', 'ollama', 'content', 'think_leak', '<think>', '', 0.9,
       'corrected')`,
  ).run();
  old.close();
  const store = openStore(path);
  const [record] = store.list({ requestId: "old" });
  assert.equal(record?.rule, "think_leak");
  assert.equal(record?.reason, "");
  assert.equal(record?.contextBefore, "");
  store.record(entry({ requestId: "new" }));
  assert.equal(store.list({ requestId: "new" })[0]?.reason, entry().reason);
  store.close();
  await Deno.remove(dir, { recursive: true });
});
