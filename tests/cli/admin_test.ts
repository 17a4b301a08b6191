import assert from "node:assert/strict";
import { join } from "node:path";
import { runAdminCommand } from "../../src/cli/admin.ts";
import { openStore } from "../../src/store/store.ts";
import { withDir } from "../helpers.ts";

/** Runs the CLI in-process against `db`, capturing output. */
async function cli(db: string, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runAdminCommand([...argv, "--db", db], {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    env: {},
  });
  return { code, stdout, stderr };
}

Deno.test("patterns add, list as table and JSON, disable, enable, rm", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    const added = await cli(
      db,
      "patterns",
      "add",
      "--match",
      "colour",
      "--replace",
      "color",
      "--model",
      "qwen*",
      "--confidence",
      "0.8",
    );
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^Added pattern 6\n$/);
    const table = (await cli(db, "patterns", "list")).stdout.split("\n");
    assert.match(table[0] ?? "", /^ID\s+ON\s+TYPE\s+MATCH\s+REPLACEMENT/);
    const row = table.find((l) => l.startsWith("6 "));
    assert.match(row ?? "", /^6\s+yes\s+pattern_match\s+colour\s+color\s+no\s+qwen\*\s+0\.8\s+0$/);
    const header = table[0] ?? "";
    assert.equal(row?.indexOf("colour"), header.indexOf("MATCH"), "columns are aligned");
    assert.equal((await cli(db, "patterns", "disable", "6")).code, 0);
    const json = JSON.parse((await cli(db, "patterns", "list", "--json")).stdout);
    assert.equal(json.find((p: { id: number }) => p.id === 6).enabled, false);
    assert.equal((await cli(db, "patterns", "enable", "6")).stdout, "Enabled pattern 6\n");
    assert.equal(
      (await cli(db, "patterns", "rm", "6", "5")).stdout,
      "Removed pattern 6\nRemoved pattern 5\n",
    );
    const missing = await cli(db, "patterns", "rm", "6");
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, "hotpatch patterns rm: No pattern with id 6\n");
  });
});

Deno.test("bad command lines exit 2 with one line saying what and why", async (t) => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    const cases: [string[], RegExp][] = [
      [
        ["patterns", "add", "--match", "a", "--replace", "b", "--bogus"],
        /Unknown flag --bogus/,
      ],
      [
        ["patterns", "add", "--match", "a", "--replace", "b", "--confidence", "2"],
        /--confidence "2"/,
      ],
      [["patterns", "add", "--match", "(a+)+$", "--replace", "", "--regex"], /nested quantifiers/],
      [["patterns", "add", "--replace", "b"], /Missing --match/],
      [["patterns", "frobnicate"], /Unknown action "frobnicate"/],
      [["patterns", "rm"], /Missing ID/],
      [["patterns", "rm", "x1"], /Invalid ID "x1"/],
      [["patterns", "list", "extra"], /Unexpected argument .extra./],
      [["behaviors", "add", "--description", "d", "--payload", "{"], /Invalid --payload/],
      [["behaviors", "add", "--description", "d", "--kind", "nope", "--payload", "{}"], /"kind"/],
      [["import"], /Missing FILE/],
      [["import", join(dir, "none.json")], /Cannot read ".*none\.json": no such file\n$/],
      [["log", "--lines", "many"], /--lines "many"/],
      [["frob"], /Unknown command "frob"/],
    ];
    for (const [argv, reason] of cases) {
      await t.step(argv.join(" "), async () => {
        const r = await cli(db, ...argv);
        assert.equal(r.code, 2);
        assert.match(r.stderr, reason);
        assert.equal(r.stderr.trimEnd().split("\n").length, 1);
        assert.equal(r.stdout, "");
      });
    }
  });
});

Deno.test("fixes and behaviors add, list, rm", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    assert.equal(
      (await cli(db, "fixes", "add", "--from", "src/a.ts", "--to", "src/b.ts", "--reason", "moved"))
        .code,
      0,
    );
    assert.match(
      (await cli(db, "fixes", "list")).stdout,
      /1\s+src\/a\.ts\s+src\/b\.ts\s+-?\s*0\s+1\.00\s+moved/,
    );
    const b = await cli(
      db,
      "behaviors",
      "add",
      "--description",
      "be terse",
      "--system",
      "Be terse.",
      "--model",
      "*coder*",
    );
    assert.equal(b.code, 0, b.stderr);
    const [patch] = JSON.parse((await cli(db, "behaviors", "list", "--json")).stdout);
    assert.deepEqual(
      { kind: patch.kind, model: patch.model, payload: patch.payload },
      { kind: "prompt_modifier", model: "*coder*", payload: { system: "Be terse." } },
    );
    const filter = await cli(
      db,
      "behaviors",
      "add",
      "--description",
      "no loops",
      "--kind",
      "output_filter",
      "--payload",
      '{"detectors":{"repetition_loop":{"enabled":false}}}',
    );
    assert.equal(filter.code, 0, filter.stderr);
    assert.equal((await cli(db, "behaviors", "rm", "1")).code, 0);
    assert.equal((await cli(db, "fixes", "rm", "1")).code, 0);
    assert.equal(JSON.parse((await cli(db, "fixes", "list", "--json")).stdout).length, 0);
  });
});

Deno.test("export to a file, change, import --replace backs the rules up and restores the export exactly", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    const file = join(dir, "rules.json");
    await cli(db, "fixes", "add", "--from", "a", "--to", "b");
    const before = (await cli(db, "export")).stdout;
    const exported = await cli(db, "export", file);
    assert.equal(exported.code, 0);
    assert.equal(
      exported.stdout,
      `Wrote 5 patterns, 1 navigation fix, 0 behavior patches to ${file}\n`,
    );
    await cli(db, "patterns", "rm", "1", "2");
    await cli(db, "patterns", "add", "--match", "x", "--replace", "y");
    assert.notEqual((await cli(db, "export")).stdout, before);
    const changed = (await cli(db, "export")).stdout;
    const imported = await cli(db, "import", "--replace", file);
    assert.equal(imported.code, 0, imported.stderr);
    const [saved, replaced] = imported.stdout.trimEnd().split("\n");
    assert.equal(
      replaced,
      "Replaced all rules: 5 patterns, 1 navigation fix, 0 behavior patches",
    );
    const backup = /^Saved the current rules to (.+)$/.exec(saved ?? "")?.[1] ?? "";
    assert.match(backup, /h\.db\.backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.json$/);
    assert.equal(await Deno.readTextFile(backup), changed, "the backup holds the rules replaced");
    assert.equal((await cli(db, "export")).stdout, before);
  });
});

Deno.test("stats and log read the history written by the proxy's store; log text is the same from the table and from corrections.log", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    const store = openStore(db, { logDir: dir });
    store.countRequest();
    store.record({
      requestId: "req-1",
      time: Date.UTC(2026, 0, 1),
      model: "qwen3",
      protocol: "ollama",
      channel: "content",
      type: "template_leak",
      found: "<|im_end|>",
      replacement: "",
      confidence: 0.9,
      action: "corrected",
    });
    store.close();
    const stats = JSON.parse((await cli(db, "stats", "--json")).stdout);
    assert.equal(stats.requestsProcessed, 1);
    assert.deepEqual(stats.hallucinationTypes, { template_leak: 1 });
    const text = (await cli(db, "stats")).stdout;
    assert.match(text, /^lifetime .*\n {2}requests processed\s+1\n {2}detections\s+1\n/m);
    assert.match(text, /^ {4}template_leak\s+1$/m);
    const fromTable = (await cli(db, "log")).stdout;
    assert.match(
      fromTable,
      /^2026-01-01T00:00:00\.000Z\s+corrected\s+template_leak\s+qwen3\s+req-1\s+"<\|im_end\|>" → ""\n$/,
    );
    assert.equal(
      (await cli(db, "log", "--log-dir", dir)).stdout,
      fromTable,
      "corrections.log shows as the same text lines",
    );
    const fromFile = JSON.parse((await cli(db, "log", "--log-dir", dir, "--json")).stdout);
    assert.equal(fromFile.requestId, "req-1");
    const asJson = JSON.parse((await cli(db, "log", "--json")).stdout);
    assert.deepEqual(asJson, fromFile);
  });
});

Deno.test("HOTPATCH_DB names the database when --db is absent", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "env.db");
    let out = "";
    const io = {
      stdout: (s: string) => void (out += s),
      stderr: () => {},
      env: { HOTPATCH_DB: db },
    };
    assert.equal(await runAdminCommand(["fixes", "add", "--from", "a", "--to", "b"], io), 0);
    const store = openStore(db);
    assert.equal(store.navigationFixes.list().length, 1);
    store.close();
    assert.equal(out, "Added navigation fix 1\n");
  });
});
