import assert from "node:assert/strict";
import { resolveCommand } from "../../src/cli/commands.ts";
import { UsageError } from "../../src/command/flags.ts";

Deno.test("resolveCommand: the command words are the first positionals, wherever the flags are", async (t) => {
  for (
    const [argv, name, args] of [
      [[], "serve", []],
      [["--port", "8080"], "serve", ["--port", "8080"]],
      [["--db", "x.db", "stats"], "stats", ["--db", "x.db"]],
      [["patterns", "--db", "x.db", "rm", "3"], "patterns rm", ["--db", "x.db", "3"]],
      [["import", "--replace", "f.json"], "import", ["--replace", "f.json"]],
      [["patterns", "add", "--match", "-h", "--replace", "x"], "patterns add", [
        "--match",
        "-h",
        "--replace",
        "x",
      ]],
      [["log", "--lines", "-1"], "log", ["--lines", "-1"]],
    ] as const
  ) {
    await t.step(argv.join(" ") || "(nothing)", () => {
      const r = resolveCommand(argv);
      assert.equal(r.spec?.name, name);
      assert.deepEqual(r.args, args);
      assert.equal(r.help, false, "a flag's value -h is not --help");
    });
  }
  await t.step("help and version anywhere", () => {
    const r = resolveCommand(["help", "patterns", "add"]);
    assert.deepEqual([r.spec?.name, r.help], ["patterns add", true]);
    assert.equal(resolveCommand(["fixes", "--help"]).group, "fixes");
    assert.equal(resolveCommand(["--help"]).implied, true);
    assert.equal(resolveCommand(["stats", "-V"]).version, true);
  });
  await t.step("errors", () => {
    assert.throws(() => resolveCommand(["fixes"]), /Missing action: hotpatch fixes list\|add\|rm/);
    assert.throws(() => resolveCommand(["stat"]), UsageError);
    assert.throws(
      () => resolveCommand(["--porr", "1"]),
      /Unknown flag --porr: did you mean --port\?/,
    );
  });
});
