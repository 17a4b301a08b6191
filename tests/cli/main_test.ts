/**
 * The command line as a user meets it: the real main.ts in a subprocess.
 * @module
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runAdminCommand } from "../../src/cli/admin.ts";
import { commands } from "../../src/cli/commands.ts";
import { openStore } from "../../src/store/store.ts";
import { type MainResult, runMain, withDir } from "../helpers.ts";

/** Exit 2 with exactly one line on stderr matching `reason`, nothing on stdout. */
function usageError(r: MainResult, reason: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, reason);
}

Deno.test("--db and --json work before, between and after the command words", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    const added = await runMain(["--db", db, "patterns", "add", "--match", "a", "--replace", "b"]);
    assert.equal(added.code, 0, added.stderr);
    const outputs = [];
    for (
      const argv of [
        ["--db", db, "--json", "patterns", "list"],
        ["patterns", "--db", db, "list", "--json"],
        ["patterns", "list", "--json", `--db=${db}`],
      ]
    ) {
      const r = await runMain(argv);
      assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
      outputs.push(r.stdout);
    }
    assert.equal(JSON.parse(outputs[0]!).length, 6);
    assert.equal(outputs[1], outputs[0]);
    assert.equal(outputs[2], outputs[0]);
  });
});

Deno.test("every command's --help shows its own usage line, all its flags and an example", async (t) => {
  const seen = new Set<string>();
  for (const spec of commands) {
    await t.step(spec.name, async () => {
      let out = "";
      const code = await runAdminCommand([...spec.name.split(" "), "--help"], {
        stdout: (s) => void (out += s),
        stderr: (s) => void (out += s),
        env: {},
      });
      assert.equal(code, 0);
      assert.match(out, new RegExp(`^Usage: hotpatch ${spec.name} `, "m"));
      assert.match(out, /^Example:\n {2}\S/m);
      for (const flag of Object.keys(spec.flags)) assert.match(out, new RegExp(`--${flag}\\b`));
      assert.ok(!seen.has(out), "each command has its own help");
      seen.add(out);
    });
  }
  await t.step("through main.ts, flags first", async () => {
    const r = await runMain(["--db", "x.db", "patterns", "add", "-h"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: hotpatch patterns add --match TEXT --replace TEXT/m);
    const serve = await runMain(["serve", "--help"]);
    assert.match(serve.stdout, /^Usage: hotpatch serve /m);
    assert.match(serve.stdout, /--upstream URL/);
    const group = await runMain(["fixes", "--help"]);
    assert.match(group.stdout, /fixes add\s+add a navigation fix/);
    assert.match(
      group.stdout,
      /^hotpatch fixes — navigation fixes: /,
      "a title line as commands have",
    );
  });
});

Deno.test("--version works with every command and prints one line", async (t) => {
  for (const argv of [["serve", "--version"], ["check", "-V"], ["patterns", "list", "--version"]]) {
    await t.step(argv.join(" "), async () => {
      const r = await runMain(argv);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^hotpatch \d+\.\d+\.\d+\n$/);
    });
  }
});

Deno.test("a mistyped command, action or flag exits 2 with one line and a did-you-mean", async (t) => {
  for (
    const [argv, reason] of [
      [["patern", "list"], /Unknown command "patern": did you mean patterns\?/],
      [["patterns", "lst"], /Unknown action "lst" for hotpatch patterns: did you mean list\?/],
      [["--upstrem", "11434"], /Unknown flag --upstrem: did you mean --upstream\?/],
      [["patterns", "list", "--jsn"], /Unknown flag --jsn: did you mean --json\?/],
      [["log", "--line", "3"], /Unknown flag --line: did you mean --lines\?/],
      [["serve", "--workspce", "."], /Unknown flag --workspce: did you mean --workspace\?/],
    ] as const
  ) {
    await t.step(argv.join(" "), async () => usageError(await runMain([...argv]), reason));
  }
});

Deno.test("numeric flags are checked: one line naming the value and the range, exit 2", async (t) => {
  for (
    const [argv, reason] of [
      [["--port", "-1"], /Invalid --port "-1": must be an integer from 0 to 65535/],
      [["--port", "65536"], /Invalid --port "65536"/],
      [["--holdback", "x"], /Invalid --holdback "x"/],
      [["--upstream-timeout", "0"], /Invalid --upstream-timeout "0"/],
      [["--max-connections", "-5"], /Invalid --max-connections "-5"/],
      [["--upstream", "70000"], /Invalid --upstream "70000"/],
      [["log", "--lines", "-1"], /Invalid --lines "-1": must be an integer from 0 to 10000/],
      [["log", "-n", "1.5"], /Invalid --lines "1.5"/],
      [
        ["patterns", "add", "--match", "a", "--replace", "b", "--confidence", "2"],
        /Invalid --confidence "2": must be a number from 0 to 1/,
      ],
      [["--port"], /Missing value for --port N/],
    ] as const
  ) {
    await t.step(argv.join(" "), async () => {
      const r = await runMain([...argv]);
      usageError(r, reason);
      assert.doesNotMatch(r.stderr, /ambiguous|ERR_PARSE_ARGS|parseArgs/);
    });
  }
});

Deno.test("check exits 1 when it detects something, 0 when clean or with --exit-zero", async () => {
  const leak = "Done.<|im_end|>\n<|im_start|>user\nmore";
  const detected = await runMain(["check"], { stdin: leak });
  assert.equal(detected.code, 1);
  assert.match(detected.stdout, /template_leak/);
  assert.equal((await runMain(["check", "--exit-zero"], { stdin: leak })).code, 0);
  const clean = await runMain(["check", "--json"], { stdin: "All good.\n" });
  assert.equal(clean.code, 0, clean.stderr);
  assert.deepEqual(JSON.parse(clean.stdout).detections, []);
});

Deno.test("read commands refuse a database that does not exist and create nothing", async (t) => {
  await withDir(async (dir) => {
    const db = join(dir, "typo", "h.db");
    for (
      const argv of [
        ["stats"],
        ["patterns", "list"],
        ["fixes", "list"],
        ["behaviors", "list"],
        ["export"],
        ["log"],
        ["patterns", "rm", "1"],
        ["check"],
      ]
    ) {
      await t.step(`${argv.join(" ")} --db`, async () => {
        const r = await runMain([...argv, "--db", db]);
        usageError(r, new RegExp(`Invalid --db ".*typo/h\\.db": no such database`));
        assert.equal(existsSync(db), false);
      });
    }
    await t.step("HOTPATCH_DB", async () => {
      const r = await runMain(["stats"], { env: { HOTPATCH_DB: db } });
      usageError(r, /Invalid HOTPATCH_DB ".*": no such database/);
      assert.equal(existsSync(db), false);
    });
    await t.step("the default database, never created", async () => {
      const r = await runMain(["stats"], { env: { XDG_DATA_HOME: dir } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /No database at ".*hotpatch\.db" yet/);
      assert.equal(existsSync(join(dir, "hotpatch")), false);
    });
  });
});

Deno.test("import merges by default: an empty document removes nothing", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    await runMain(["patterns", "add", "--match", "a", "--replace", "b", "--db", db]);
    const before = (await runMain(["export", "--db", db])).stdout;
    const file = join(dir, "empty.json");
    await Deno.writeTextFile(file, '{"format":"hotpatch-rules","version":1}');
    const r = await runMain(["import", file, "--db", db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Merged 0 patterns \(0 added, 0 updated\)/);
    assert.equal((await runMain(["export", "--db", db])).stdout, before);
  });
});

Deno.test("import merges a document: new rules are added, a rule with the same key is updated in place", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    const store = openStore(db);
    store.patterns.create({ match: "colour", replacement: "color" });
    store.navigationFixes.create({ incorrectPath: "src/a.ts", correctPath: "src/b.ts" });
    store.close();
    const doc = {
      format: "hotpatch-rules",
      version: 1,
      patterns: [
        { id: 1, match: "colour", replacement: "COLOR", confidence: 0.5 },
        { id: 2, match: "grey", replacement: "gray" },
      ],
      navigationFixes: [{ id: 9, incorrectPath: "src/a.ts", correctPath: "src/c.ts" }],
      behaviorPatches: [
        { id: 1, description: "terse", kind: "prompt_modifier", payload: { system: "Be terse." } },
      ],
    };
    const file = join(dir, "rules.json");
    await Deno.writeTextFile(file, JSON.stringify(doc));
    const r = await runMain(["import", "--db", db, file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "Merged 2 patterns (1 added, 1 updated), 1 navigation fix (0 added, 1 updated), " +
        "1 behavior patch (1 added, 0 updated)\n",
    );
    const after = openStore(db);
    const patterns = after.patterns.list();
    assert.equal(patterns.length, 7, "5 starters + colour + grey");
    const colour = patterns.find((p) => p.match === "colour")!;
    assert.deepEqual([colour.id, colour.replacement, colour.confidence], [6, "COLOR", 0.5]);
    assert.equal(patterns.find((p) => p.match === "grey")?.id, 7);
    assert.deepEqual(
      after.navigationFixes.list().map((f) => [f.id, f.correctPath]),
      [[1, "src/c.ts"]],
    );
    after.close();
  });
});

Deno.test("import --replace writes a timestamped backup next to the database, then replaces", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    await runMain(["patterns", "add", "--match", "a", "--replace", "b", "--db", db]);
    const before = (await runMain(["export", "--db", db])).stdout;
    const file = join(dir, "none.json");
    await Deno.writeTextFile(file, '{"format":"hotpatch-rules","version":1}');
    const r = await runMain(["import", "--replace", file, "--db", db]);
    assert.equal(r.code, 0, r.stderr);
    const backups = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
      n.includes("backup")
    );
    assert.equal(backups.length, 1);
    assert.match(backups[0]!, /^h\.db\.backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.json$/);
    assert.equal(await Deno.readTextFile(join(dir, backups[0]!)), before);
    assert.match(r.stdout, /^Saved the current rules to .*\nReplaced all rules: 0 patterns/);
    const list = await runMain(["patterns", "list", "--json", "--db", db]);
    assert.deepEqual(JSON.parse(list.stdout), []);
    const back = await runMain(["import", "--replace", join(dir, backups[0]!), "--db", db]);
    assert.equal(back.code, 0, back.stderr);
    assert.equal((await runMain(["export", "--db", db])).stdout, before);
  });
});

Deno.test("stats text keeps lifetime counts apart from the rules now, which agree with the list commands", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "h.db");
    await runMain(["fixes", "add", "--from", "a.ts", "--to", "b.ts", "--db", db]);
    await runMain(["patterns", "rm", "1", "--db", db]);
    const r = await runMain(["stats", "--db", db]);
    assert.equal(r.code, 0, r.stderr);
    const row = (label: string) => new RegExp(`^ {2}${label}\\s+(\\S+)`, "m").exec(r.stdout)?.[1];
    const count = async (kind: string) =>
      String(JSON.parse((await runMain([kind, "list", "--json", "--db", db])).stdout).length);
    assert.equal(row("patterns"), await count("patterns"));
    assert.equal(row("navigation fixes"), await count("fixes"));
    assert.equal(row("behavior patches"), await count("behaviors"));
    assert.match(r.stdout, /^lifetime \(kept when rules change\):$/m);
    assert.match(r.stdout, /^rules now \(as the list commands show them\):$/m);
  });
});
