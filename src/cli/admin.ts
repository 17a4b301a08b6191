/**
 * The admin subcommands (`patterns`, `fixes`, `behaviors`, `export`, `import`, `stats`, `log`),
 * working on the database directly — with the proxy running or not.
 * @module
 */
import { ValidationError } from "../store/fields.ts";
import { StoreError } from "../store/sqlite.ts";
import { countsToJson } from "../store/stats.ts";
import { parseRulesDocument } from "../store/transfer.ts";
import {
  type AdminIo,
  commonOptions,
  NotFoundError,
  openFromFlags,
  parseFlags,
  UsageError,
} from "./args.ts";
import { runLogCommand } from "./log.ts";
import { ruleCommands, runRuleCommand } from "./rules.ts";
import { formatTable } from "./table.ts";

export type { AdminIo } from "./args.ts";

/** Subcommand names `runAdminCommand` handles (main.ts dispatches these here). */
export const ADMIN_COMMANDS = [
  "patterns",
  "fixes",
  "behaviors",
  "export",
  "import",
  "stats",
  "log",
] as const;

/** `--help` text of the admin subcommands. */
export const ADMIN_HELP =
  `Rules, history and statistics (on the database; the proxy may be running):
  hotpatch patterns list [--json]
  hotpatch patterns add --match TEXT --replace TEXT [--regex] [--model GLOB]
                        [--confidence N] [--type NAME] [--disabled]
  hotpatch patterns rm|enable|disable ID...
  hotpatch fixes list [--json]
  hotpatch fixes add --from PATH --to PATH [--workspace DIR] [--reason TEXT]
  hotpatch fixes rm ID...
  hotpatch behaviors list [--json]
  hotpatch behaviors add --description TEXT [--kind prompt_modifier|output_filter|validator]
                         [--payload JSON] [--system TEXT] [--model GLOB] [--disabled]
  hotpatch behaviors rm|enable|disable ID...
  hotpatch export [FILE]        all rules as one JSON document (stdout without FILE)
  hotpatch import FILE          replace all rules with FILE's (the rollback of an export)
  hotpatch stats [--json]       lifetime statistics
  hotpatch log [--follow] [--lines N] [--json] [--log-dir DIR] [--url URL] [--admin-token T]
                                corrections.log from DIR, else the corrections table; --follow
                                then prints new ones from the proxy's live feed at URL
                                (default http://127.0.0.1:$HOTPATCH_PORT or :11435), or the table when none answers
Every command takes --db FILE (else $HOTPATCH_DB, else the user data directory).
Model globs: * any run of characters, ? one character (qwen*, *coder*).`;

/** Runs export / import / stats. */
async function runTransfer(command: "export" | "import" | "stats", args: string[], io: AdminIo) {
  const options = command === "stats"
    ? { ...commonOptions, json: { type: "boolean" } } as const
    : commonOptions;
  const { values, positionals } = parseFlags(args, options, command === "stats" ? 0 : 1);
  const file = positionals[0];
  if (command === "import" && file === undefined) throw new UsageError("Missing FILE to import");
  let doc;
  if (command === "import") {
    let text: string;
    try {
      text = await Deno.readTextFile(file ?? "");
    } catch (error) {
      throw new UsageError(`Cannot read "${file}": ${(error as Error).message}`);
    }
    try {
      doc = parseRulesDocument(JSON.parse(text));
    } catch (error) {
      throw new UsageError(`Invalid rules file "${file}": ${(error as Error).message}`);
    }
  }
  const store = openFromFlags(values.db, io.env);
  try {
    if (doc) {
      store.importRules(doc);
      const n = [doc.patterns, doc.navigationFixes, doc.behaviorPatches].map((l) => l.length);
      io.stdout(`Imported ${n[0]} patterns, ${n[1]} navigation fixes, ${n[2]} behavior patches\n`);
    } else if (command === "export") {
      const text = JSON.stringify(store.exportRules(), null, 2) + "\n";
      if (file === undefined) io.stdout(text);
      else await Deno.writeTextFile(file, text);
    } else {
      const live = {
        activeConnections: 0,
        serverListening: false,
        listenPort: 0,
        upstream: "",
        mode: "",
      };
      const {
        activeConnections: _a,
        serverListening: _s,
        listenPort: _p,
        ggufEndpoint: _g,
        hotPatchingEnabled: _h,
        ...stats
      } = store.stats(live);
      if ("json" in values && values.json) io.stdout(countsToJson(stats) + "\n");
      else {
        const { hallucinationTypes, ...plain } = stats;
        const rows: unknown[][] = Object.entries(plain).map(([k, v]) => [k, String(v)]);
        for (const [type, n] of Object.entries(hallucinationTypes)) {
          rows.push([`  ${type}`, String(n)]);
        }
        io.stdout(formatTable(["STATISTIC", "VALUE"], rows));
      }
    }
    return 0;
  } finally {
    store.close();
  }
}

/**
 * Runs one admin subcommand; returns the exit status (0 ok, 1 failed, 2 bad command line).
 * @example
 * const code = await runAdminCommand(["patterns", "list", "--db", "/tmp/h.db"], {
 *   stdout: (s) => Deno.stdout.writeSync(new TextEncoder().encode(s)),
 *   stderr: (s) => Deno.stderr.writeSync(new TextEncoder().encode(s)),
 *   env: Deno.env.toObject(),
 * });
 */
export async function runAdminCommand(argv: string[], io: AdminIo): Promise<number> {
  const [command, ...args] = argv;
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(ADMIN_HELP + "\n");
    return 0;
  }
  try {
    if (command === "patterns" || command === "fixes" || command === "behaviors") {
      return runRuleCommand(command satisfies keyof typeof ruleCommands, args, io);
    }
    if (command === "export" || command === "import" || command === "stats") {
      return await runTransfer(command, args, io);
    }
    if (command === "log") return await runLogCommand(args, io);
    throw new UsageError(`Unknown command "${command ?? ""}": see hotpatch --help`);
  } catch (error) {
    const name = `hotpatch ${command ?? ""}${
      args[0] && !args[0].startsWith("-") && command !== "import" && command !== "export"
        ? " " + args[0]
        : ""
    }`;
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
