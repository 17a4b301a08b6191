/**
 * Every command of the `hotpatch` CLI and how a command line picks one: the command words are
 * the first positionals (flags may come before, between and after them), `--help`/`-h` and
 * `--version`/`-V` work anywhere, a mistyped command gets a "did you mean".
 * @module
 */
import { serveFlags } from "../config.ts";
import { checkSpec } from "./check.ts";
import { type CommandSpec, didYouMean, UsageError } from "../command/flags.ts";
import { logSpec } from "./log.ts";
import { ruleSpecs } from "./rules.ts";
import { statsSpec } from "./stats.ts";
import { transferSpecs } from "./transfer.ts";
import { demoSpec } from "../demo/run.ts";

/** `hotpatch serve`. */
export const serveSpec: CommandSpec = {
  name: "serve",
  summary: "run the proxy (the default command)",
  usage: "[flags]   (each flag also reads HOTPATCH_<NAME>, e.g. HOTPATCH_UPSTREAM)",
  flags: serveFlags,
  example: "hotpatch serve --upstream 11434 --workspace ~/code/app",
};

/** Every command, in the order `--help` lists them. */
export const commands: readonly CommandSpec[] = [
  serveSpec,
  checkSpec,
  ...ruleSpecs(),
  ...transferSpecs,
  statsSpec,
  logSpec,
  demoSpec,
];

/** Command groups whose second word is an action (`patterns add`). */
export const groups = ["patterns", "fixes", "behaviors"] as const;

/** What a command line asks for. */
export interface Resolved {
  /** The command; for `hotpatch patterns --help`, null with `group` set. */
  spec: CommandSpec | null;
  group: string | null;
  /** The arguments without the command words and without `--help`/`--version`. */
  args: string[];
  help: boolean;
  version: boolean;
  /** No command word was given (`serve` is then implied; `--help` shows the overview). */
  implied: boolean;
}

/** Every flag of every command as typed (`--db`, `-n`), and whether it takes a value in any. */
const allFlags = new Map<string, boolean>([
  ["--help", false],
  ["-h", false],
  ["--version", false],
  ["-V", false],
]);
for (const c of commands) {
  for (const [name, f] of Object.entries(c.flags)) {
    for (const typed of [`--${name}`, ...(f.short ? [`-${f.short}`] : [])]) {
      allFlags.set(typed, allFlags.get(typed) === true || f.type === "string");
    }
  }
}

/** Throws for the first flag no command knows (it explains a stray word better than the word). */
function checkFlags(argv: readonly string[]): void {
  const end = argv.indexOf("--");
  for (const a of end === -1 ? argv : argv.slice(0, end)) {
    const flag = a.split("=")[0]!;
    if (a.startsWith("-") && a !== "-" && !allFlags.has(flag) && !/^-\d/.test(a)) {
      throw new UsageError(`Unknown flag ${flag}${didYouMean(flag, [...allFlags.keys()])}`);
    }
  }
}

/**
 * Indices of the positional words of `argv` (the values of flags that take one are skipped) and
 * of `--help`/`--version`.
 */
function words(argv: readonly string[]) {
  const at: number[] = [];
  /** Where `--help` and `--version` are. */
  const meta: number[] = [];
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      for (let j = i + 1; j < argv.length; j++) at.push(j);
      break;
    }
    const isHelp = a === "--help" || a === "-h";
    const isVersion = a === "--version" || a === "-V";
    if (isHelp || isVersion) {
      meta.push(i);
      help ||= isHelp;
      version ||= isVersion;
    } else if (allFlags.get(a) === true) i++;
    else if (!a.startsWith("-") || a === "-") at.push(i);
  }
  return { at, meta, help, version };
}

/**
 * Picks the command of a command line (`serve` when there is none).
 * Throws `UsageError` for an unknown command or action.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(resolveCommand(["patterns", "--db", "x.db", "list"]).spec?.name, "patterns list");
 * assert.equal(resolveCommand(["--port", "8080"]).spec?.name, "serve");
 * ```
 */
export function resolveCommand(argv: readonly string[]): Resolved {
  const { at, meta, help, version } = words(argv);
  let taken = at.slice(0, 1);
  const first = at[0] === undefined ? "serve" : argv[at[0]]!;
  const top = [...new Set(commands.map((c) => c.name.split(" ")[0]!))];
  let spec: CommandSpec | null = null;
  let group: string | null = null;
  if ((groups as readonly string[]).includes(first)) {
    group = first;
    const actionAt = at[1];
    const action = actionAt === undefined ? undefined : argv[actionAt];
    const actions = commands.filter((c) => c.name.startsWith(`${first} `))
      .map((c) => c.name.slice(first.length + 1));
    if (action === undefined) {
      if (!help && !version) {
        checkFlags(argv);
        throw new UsageError(`Missing action: hotpatch ${first} ${actions.join("|")}`);
      }
    } else if (!actions.includes(action)) {
      checkFlags(argv);
      throw new UsageError(
        `Unknown action "${action}" for hotpatch ${first}${didYouMean(action, actions)} (one of ${
          actions.join(", ")
        })`,
      );
    } else {
      spec = commands.find((c) => c.name === `${first} ${action}`)!;
      taken = at.slice(0, 2);
    }
  } else if (first === "help") {
    const rest = resolveCommand(argv.filter((_, i) => i !== at[0]));
    return { ...rest, help: true };
  } else {
    spec = commands.find((c) => c.name === first) ?? null;
    if (spec === null) {
      checkFlags(argv);
      throw new UsageError(
        `Unknown command "${first}"${didYouMean(first, top)} (see hotpatch --help)`,
      );
    }
  }
  const skip = new Set([...taken, ...meta]);
  const args = argv.filter((_, i) => !skip.has(i));
  return { spec, group, args, help, version, implied: at.length === 0 };
}
