/**
 * `hotpatch patterns|fixes|behaviors …`: list, add, rm (and enable/disable) rules.
 * @module
 */
import type {
  BehaviorPatch,
  BehaviorPatchInput,
  NavigationFix,
  PatternInput,
  PatternRule,
  RuleTable,
  Store,
} from "../store/types.ts";
import { parseBehaviorPatch, parseNavigationFix, parsePattern } from "../store/validate.ts";
import {
  type AdminIo,
  commonOptions,
  idArg,
  NotFoundError,
  numberFlag,
  openFromFlags,
  parseFlags,
  UsageError,
} from "./args.ts";
import { formatTable } from "./table.ts";

/** One rule kind as the CLI shows it. */
interface Kind<Row, Input> {
  noun: string;
  table: (store: Store) => RuleTable<Row, Input>;
  header: string[];
  row: (r: Row) => unknown[];
  /** Flags of `add`, and how they become an input. */
  addOptions: Parameters<typeof parseFlags>[1];
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
  addOptions: {
    match: { type: "string" },
    replace: { type: "string" },
    regex: { type: "boolean" },
    model: { type: "string" },
    confidence: { type: "string" },
    type: { type: "string" },
    disabled: { type: "boolean" },
  },
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
  header: ["ID", "INCORRECT", "CORRECT", "WORKSPACE", "CORRECTED", "EFFECTIVENESS", "REASONING"],
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
  addOptions: {
    from: { type: "string" },
    to: { type: "string" },
    workspace: { type: "string" },
    reason: { type: "string" },
  },
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
  addOptions: {
    kind: { type: "string" },
    description: { type: "string" },
    model: { type: "string" },
    payload: { type: "string" },
    system: { type: "string" },
    disabled: { type: "boolean" },
  },
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

/**
 * Runs `<command> <action> …` for one rule kind; returns the exit status.
 * @example
 * await runRuleCommand("patterns", ["list", "--json"], io);
 */
export function runRuleCommand(
  command: keyof typeof ruleCommands,
  args: string[],
  io: AdminIo,
): number {
  const kind = ruleCommands[command] as Kind<unknown, unknown>;
  const [action, ...rest] = args;
  const actions = kind.toggles ? "list|add|rm|enable|disable" : "list|add|rm";
  if (action === undefined || !actions.split("|").includes(action)) {
    throw new UsageError(`Unknown action "${action ?? ""}": use ${command} ${actions}`);
  }
  const options = action === "list"
    ? { ...commonOptions, json: { type: "boolean" } } as const
    : action === "add"
    ? { ...commonOptions, ...kind.addOptions }
    : commonOptions;
  const parsed = parseFlags(rest, options, action === "list" || action === "add" ? 0 : 100);
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const positionals = parsed.positionals;
  const input = action === "add" ? kind.toInput(values) : null;
  const ids = action === "list" || action === "add" ? [] : positionals.map(idArg);
  if (action !== "list" && action !== "add" && ids.length === 0) idArg(undefined);
  const store = openFromFlags(values.db as string | undefined, io.env);
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
        io.stdout(
          `${
            action === "rm" ? "Removed" : action === "enable" ? "Enabled" : "Disabled"
          } ${kind.noun} ${id}\n`,
        );
      }
    }
    return 0;
  } finally {
    store.close();
  }
}
