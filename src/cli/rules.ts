/**
 * `hotpatch patterns|fixes|behaviors …`: list, add, rm (and enable/disable) rules.
 * @module
 */
import type { RuleTable, Store } from "../store/types.ts";
import type {
  BehaviorPatch,
  BehaviorPatchInput,
  NavigationFix,
  PatternInput,
  PatternRule,
} from "../rules/types.ts";
import { parseBehaviorPatch, parseNavigationFix, parsePattern } from "../rules/validate.ts";
import type { CommandIo } from "../command/io.ts";
import { idArg, NotFoundError, openFromFlags } from "./args.ts";
import {
  type CommandSpec,
  dbFlag,
  type Flags,
  jsonFlag,
  numberFlag,
  parseFlags,
  UsageError,
} from "../command/flags.ts";
import { formatTable } from "./table.ts";

/** One rule kind as the CLI shows it. */
interface Kind<Row, Input> {
  noun: string;
  table: (store: Store) => RuleTable<Row, Input>;
  header: string[];
  row: (r: Row) => unknown[];
  /** Flags of `add`, its usage line and example, and how the flags become an input. */
  addFlags: Flags;
  addUsage: string;
  addExample: string;
  toInput: (values: Record<string, string | boolean | undefined>) => Input;
  toggles: boolean;
}

const yes = (b: boolean) => b ? "yes" : "no";

const patterns: Kind<PatternRule, PatternInput> = {
  noun: "pattern",
  table: (s) => s.patterns,
  header: ["ID", "ON", "TYPE", "MATCH", "REPLACEMENT", "REGEX", "MODEL", "CONF", "HITS"],
  row: (
    p,
  ) => [
    p.id,
    yes(p.enabled),
    p.type,
    p.match,
    p.replacement,
    yes(p.regex),
    p.model,
    p.confidence,
    p.hitCount,
  ],
  addFlags: {
    match: { type: "string", arg: "TEXT", help: "text to find (a regex with --regex)" },
    replace: { type: "string", arg: "TEXT", help: "what replaces it ($1 refers to a group)" },
    regex: { type: "boolean", help: "--match is a regular expression" },
    model: { type: "string", arg: "GLOB", help: "models it applies to (default *)" },
    confidence: { type: "string", arg: "N", help: "0 to 1 (default 0.9)" },
    type: { type: "string", arg: "NAME", help: "detection type recorded (default pattern_match)" },
    disabled: { type: "boolean", help: "add it switched off" },
  },
  addUsage: "--match TEXT --replace TEXT [flags]",
  addExample: 'hotpatch patterns add --match "colour" --replace "color" --model "qwen*"',
  toInput: (v) => {
    if (typeof v.match !== "string") throw new UsageError("Missing --match TEXT");
    if (typeof v.replace !== "string") throw new UsageError("Missing --replace TEXT");
    const input: Record<string, unknown> = { match: v.match, replacement: v.replace };
    if (v.regex) input.regex = true;
    if (typeof v.model === "string") input.model = v.model;
    if (typeof v.type === "string") input.type = v.type;
    if (typeof v.confidence === "string") {
      input.confidence = numberFlag(v.confidence, "--confidence", 0, 1);
    }
    if (v.disabled) input.enabled = false;
    return parsePattern(input);
  },
  toggles: true,
};

const fixes: Kind<
  NavigationFix,
  ReturnType<typeof parseNavigationFix>
> = {
  noun: "navigation fix",
  table: (s) => s.navigationFixes,
  header: ["ID", "INCORRECT", "CORRECT", "WORKSPACE", "USED", "EFFECTIVENESS", "REASONING"],
  row: (
    f,
  ) => [
    f.id,
    f.incorrectPath,
    f.correctPath,
    f.workspace,
    f.timesCorrected,
    f.effectiveness.toFixed(2),
    f.reasoning,
  ],
  addFlags: {
    from: { type: "string", arg: "PATH", help: "the wrong path models write" },
    to: { type: "string", arg: "PATH", help: "the real path it means" },
    workspace: { type: "string", arg: "DIR", help: "only under this workspace root" },
    reason: { type: "string", arg: "TEXT", help: "why (shown in fixes list)" },
  },
  addUsage: "--from PATH --to PATH [flags]",
  addExample: "hotpatch fixes add --from src/util.ts --to src/utils.ts",
  toInput: (v) => {
    if (typeof v.from !== "string" || typeof v.to !== "string") {
      throw new UsageError("Missing --from PATH and --to PATH");
    }
    const input: Record<string, unknown> = { incorrectPath: v.from, correctPath: v.to };
    if (typeof v.workspace === "string") input.workspace = v.workspace;
    if (typeof v.reason === "string") input.reasoning = v.reason;
    return parseNavigationFix(input);
  },
  toggles: false,
};

const behaviors: Kind<BehaviorPatch, BehaviorPatchInput> = {
  noun: "behavior patch",
  table: (s) => s.behaviorPatches,
  header: ["ID", "ON", "KIND", "MODEL", "USED", "DESCRIPTION", "PAYLOAD"],
  row: (
    b,
  ) => [
    b.id,
    yes(b.enabled),
    b.kind,
    b.model,
    b.successCount,
    b.description,
    JSON.stringify(b.payload),
  ],
  addFlags: {
    description: { type: "string", arg: "TEXT", help: "what it is for" },
    kind: {
      type: "string",
      arg: "KIND",
      help: "prompt_modifier, output_filter or validator (prompt_modifier with --system)",
    },
    payload: { type: "string", arg: "JSON", help: "the patch itself (see the README)" },
    system: { type: "string", arg: "TEXT", help: "a system instruction to add (prompt_modifier)" },
    model: { type: "string", arg: "GLOB", help: "models it applies to (default *)" },
    disabled: { type: "boolean", help: "add it switched off" },
  },
  addUsage: "--description TEXT [--kind KIND] [--payload JSON] [--system TEXT] [flags]",
  addExample:
    'hotpatch behaviors add --description "terse" --model "qwen*" --system "Only cite files that exist."',
  toInput: (v) => {
    if (typeof v.description !== "string") throw new UsageError("Missing --description TEXT");
    let payload: unknown = {};
    if (typeof v.payload === "string") {
      try {
        payload = JSON.parse(v.payload);
      } catch (error) {
        throw new UsageError(`Invalid --payload: ${(error as Error).message}`);
      }
    }
    if (typeof v.system === "string") payload = { ...(payload as object), system: v.system };
    const kind = v.kind ?? (typeof v.system === "string" ? "prompt_modifier" : undefined);
    const input: Record<string, unknown> = { description: v.description, kind, payload };
    if (typeof v.model === "string") input.model = v.model;
    if (v.disabled) input.enabled = false;
    return parseBehaviorPatch(input) as BehaviorPatchInput;
  },
  toggles: true,
};

/** The rule kinds by command name. */
export const ruleCommands = { patterns, fixes, behaviors } as const;

/** The actions of a rule kind. */
function actionsOf(kind: Kind<unknown, unknown>): string[] {
  return kind.toggles ? ["list", "add", "rm", "enable", "disable"] : ["list", "add", "rm"];
}

/** Flags of one action. */
function flagsOf(kind: Kind<unknown, unknown>, action: string): Flags {
  if (action === "list") return { ...dbFlag, ...jsonFlag };
  if (action === "add") return { ...kind.addFlags, ...dbFlag };
  return dbFlag;
}

/**
 * The `--help` specs of every `patterns|fixes|behaviors ACTION`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(ruleSpecs().map((s) => s.name).slice(0, 2), ["patterns list", "patterns add"]);
 * ```
 */
export function ruleSpecs(): CommandSpec[] {
  return Object.entries(ruleCommands).flatMap(([command, k]) => {
    const kind = k as Kind<unknown, unknown>;
    const plural = /(ch|x)$/.test(kind.noun) ? `${kind.noun}es` : `${kind.noun}s`;
    return actionsOf(kind).map((action): CommandSpec => {
      const flags = flagsOf(kind, action);
      const name = `${command} ${action}`;
      if (action === "list") {
        return {
          name,
          summary: `list the ${plural}`,
          usage: "[--json]",
          flags,
          example: `hotpatch ${name}`,
        };
      }
      if (action === "add") {
        return {
          name,
          summary: `add a ${kind.noun}`,
          usage: kind.addUsage,
          flags,
          example: kind.addExample,
        };
      }
      const verb = action === "rm" ? "remove" : action;
      return {
        name,
        summary: `${verb} ${plural} by id`,
        usage: "ID...",
        flags,
        positionals: 100,
        example: `hotpatch ${name} 3 4`,
      };
    });
  });
}

/**
 * Runs `<command> <action> …` for one rule kind; returns the exit status.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * let out = "";
 * const io = { stdout: (s: string) => out += s, stderr: () => {}, env: {} };
 * assert.equal(await runRuleCommand("fixes", "list", ["--db", ":memory:", "--json"], io), 0);
 * assert.deepEqual(JSON.parse(out), []);
 * ```
 */
export function runRuleCommand(
  command: keyof typeof ruleCommands,
  action: string,
  args: string[],
  io: CommandIo,
): number {
  const kind = ruleCommands[command] as Kind<unknown, unknown>;
  const many = action !== "list" && action !== "add";
  const parsed = parseFlags(args, flagsOf(kind, action), many ? 100 : 0);
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const input = action === "add" ? kind.toInput(values) : null;
  const ids = many ? parsed.positionals.map(idArg) : [];
  if (many && ids.length === 0) idArg(undefined);
  const store = openFromFlags(values.db as string | undefined, io.env, {
    create: action === "add",
  });
  try {
    const table = kind.table(store);
    if (action === "list") {
      const rows = table.list();
      io.stdout(
        values.json
          ? JSON.stringify(rows, null, 2) + "\n"
          : formatTable(kind.header, rows.map(kind.row)),
      );
    } else if (action === "add") {
      io.stdout(`Added ${kind.noun} ${table.create(input)}\n`);
    } else {
      for (const id of ids) {
        const done = action === "rm"
          ? table.remove(id)
          : table.update(id, { enabled: action === "enable" });
        if (!done) throw new NotFoundError(`No ${kind.noun} with id ${id}`);
        const verb = action === "rm" ? "Removed" : action === "enable" ? "Enabled" : "Disabled";
        io.stdout(`${verb} ${kind.noun} ${id}\n`);
      }
    }
    return 0;
  } finally {
    store.close();
  }
}
