/**
 * The admin subcommands (`patterns`, `fixes`, `behaviors`, `export`, `import`, `stats`, `log`),
 * working on the database directly — with the proxy running or not.
 * @module
 */
import { ValidationError } from "../rules/fields.ts";
import { StoreError } from "../store/sqlite.ts";
import type { CommandIo } from "../command/io.ts";
import { NotFoundError } from "./args.ts";
import { type CommandSpec, UsageError } from "../command/flags.ts";
import { runLogCommand } from "./log.ts";
import { runDemo } from "../demo/run.ts";
import { ruleCommands, runRuleCommand } from "./rules.ts";
import { runStats } from "./stats.ts";
import { runTransfer } from "./transfer.ts";
import { resolveCommand } from "./commands.ts";
import { commandHelp, groupHelp, HELP } from "./help.ts";
import { VERSION } from "../version.ts";

/** Runs one resolved admin command (`spec.name` like `patterns add`, `stats`). */
async function run(spec: CommandSpec, args: string[], io: CommandIo): Promise<number> {
  const [command, action] = spec.name.split(" ");
  if (command === "patterns" || command === "fixes" || command === "behaviors") {
    return runRuleCommand(command satisfies keyof typeof ruleCommands, action!, args, io);
  }
  if (command === "export" || command === "import") return await runTransfer(command, args, io);
  if (command === "stats") return runStats(args, io);
  if (command === "log") return await runLogCommand(args, io);
  if (command === "demo") return await runDemo(args, io);
  throw new UsageError(`hotpatch ${spec.name} is not an admin command`);
}

/**
 * Runs one admin subcommand; returns the exit status (0 ok, 1 failed, 2 bad command line).
 * Errors are one line on stderr, prefixed with the command.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * let out = "";
 * const io = { stdout: (s: string) => out += s, stderr: () => {}, env: {} };
 * assert.equal(await runAdminCommand(["patterns", "list", "--db", ":memory:", "--json"], io), 0);
 * assert.equal(JSON.parse(out).length, 5); // the default patterns
 * assert.equal(await runAdminCommand(["patterns", "lst"], io), 2); // a usage error
 * ```
 */
export async function runAdminCommand(argv: string[], io: CommandIo): Promise<number> {
  let name = "hotpatch";
  try {
    const { spec, group, args, help, version, implied } = resolveCommand(argv);
    if (version) {
      io.stdout(`hotpatch ${VERSION}\n`);
      return 0;
    }
    if (help) {
      const text = implied ? HELP : spec ? commandHelp(spec) : groupHelp(group ?? "");
      io.stdout(text + "\n");
      return 0;
    }
    if (spec === null) throw new UsageError("Missing command");
    name = `hotpatch ${spec.name}`;
    return await run(spec, args, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ValidationError) {
      io.stderr(`${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof NotFoundError || error instanceof StoreError) {
      io.stderr(`${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
