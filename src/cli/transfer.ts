/**
 * `hotpatch export [FILE]` and `hotpatch import [--replace] FILE`: every rule as one JSON
 * document. Import merges by default; `--replace` first writes a timestamped backup of the
 * current rules next to the database, then replaces them (the rollback of an export).
 * @module
 */
import type { MergeCounts, RulesDocument, Store } from "../store/types.ts";
import { parseRulesDocument } from "../store/transfer.ts";
import type { CommandIo } from "../command/io.ts";
import { dbPath, openFromFlags } from "./args.ts";
import { type CommandSpec, dbFlag, type Flags, parseFlags, UsageError } from "../command/flags.ts";

const importFlags = {
  replace: {
    type: "boolean",
    help: "replace every rule with FILE's, after a backup next to the database",
  },
  ...dbFlag,
} as const satisfies Flags;

/** `--help` of export and import. */
export const transferSpecs: CommandSpec[] = [
  {
    name: "export",
    summary: "write every rule as one JSON document (stdout without FILE)",
    usage: "[FILE]",
    flags: dbFlag,
    positionals: 1,
    example: "hotpatch export rules.json",
  },
  {
    name: "import",
    summary: "merge a rules document into the database (--replace: replace them all)",
    usage: "[--replace] FILE",
    flags: importFlags,
    positionals: 1,
    example: "hotpatch import --replace rules.json",
  },
];

/**
 * The backup file of a database's rules, named by the time it was written.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(
 *   backupPath("/d/hotpatch.db", new Date(0)),
 *   "/d/hotpatch.db.backup-1970-01-01T00-00-00.000Z.json",
 * );
 * ```
 */
export function backupPath(db: string, time: Date): string {
  return `${db}.backup-${time.toISOString().replaceAll(":", "-")}.json`;
}

/** Reads and validates a rules document. */
async function readDocument(file: string): Promise<RulesDocument> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message;
    throw new UsageError(`Cannot read "${file}": ${why}`);
  }
  try {
    return parseRulesDocument(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`Invalid rules file "${file}": ${(error as Error).message}`);
  }
}

const documentText = (store: Store) => JSON.stringify(store.exportRules(), null, 2) + "\n";

/** The three rule lists' nouns, singular and plural, in the document's order. */
const NOUNS = [
  ["pattern", "patterns"],
  ["navigation fix", "navigation fixes"],
  ["behavior patch", "behavior patches"],
] as const;

/**
 * `n` rules of list `i` in words, e.g. `1 navigation fix`, `2 behavior patches`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(counted(1, 1), "1 navigation fix");
 * ```
 */
export function counted(n: number, i: 0 | 1 | 2): string {
  return `${n} ${NOUNS[i][n === 1 ? 0 : 1]}`;
}

/** How many rules of each list a document holds, in words. */
const ruleCounts = (doc: RulesDocument) =>
  [doc.patterns, doc.navigationFixes, doc.behaviorPatches]
    .map((l, i) => counted(l.length, i as 0 | 1 | 2)).join(", ");

/** One line per list: how many rules came in and what became of them. */
function mergeSummary(counts: MergeCounts): string {
  const lists = [counts.patterns, counts.navigationFixes, counts.behaviorPatches];
  return `Merged ${
    lists.map((n, i) =>
      `${counted(n.added + n.updated, i as 0 | 1 | 2)} (${n.added} added, ${n.updated} updated)`
    ).join(", ")
  }\n`;
}

/**
 * Runs `export` or `import`; returns the exit status.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../store/store.ts";
 * const dir = Deno.makeTempDirSync();
 * openStore(`${dir}/h.db`).close();
 * const io = { stdout: () => {}, stderr: () => {}, env: { HOTPATCH_DB: `${dir}/h.db` } };
 * assert.equal(await runTransfer("export", [`${dir}/rules.json`], io), 0);
 * assert.equal(await runTransfer("import", [`${dir}/rules.json`], io), 0); // merges
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export async function runTransfer(
  command: "export" | "import",
  args: string[],
  io: CommandIo,
): Promise<number> {
  const { values, positionals } = parseFlags(args, command === "import" ? importFlags : dbFlag, 1);
  const file = positionals[0];
  const db = values.db;
  if (command === "export") {
    const store = openFromFlags(db, io.env, { create: false });
    try {
      if (file === undefined) io.stdout(documentText(store));
      else {
        await Deno.writeTextFile(file, documentText(store));
        io.stdout(`Wrote ${ruleCounts(store.exportRules())} to ${file}\n`);
      }
    } finally {
      store.close();
    }
    return 0;
  }
  if (file === undefined) throw new UsageError("Missing FILE to import");
  const doc = await readDocument(file);
  const store = openFromFlags(db, io.env, { create: true });
  try {
    if (!("replace" in values && values.replace)) {
      io.stdout(mergeSummary(store.mergeRules(doc)));
      return 0;
    }
    const { path } = dbPath(db, io.env);
    if (path !== ":memory:") {
      const backup = backupPath(path, new Date());
      await Deno.writeTextFile(backup, documentText(store), { createNew: true });
      io.stdout(`Saved the current rules to ${backup}\n`);
    }
    store.importRules(doc);
    io.stdout(`Replaced all rules: ${ruleCounts(doc)}\n`);
    return 0;
  } finally {
    store.close();
  }
}
