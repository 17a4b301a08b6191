/**
 * Command-line flags, one definition for parsing and for `--help`: strict parsing on top of
 * `node:util` `parseArgs` with one-line errors ("did you mean" for a mistyped flag), numeric
 * values checked, flags allowed anywhere among the positionals.
 * @module
 */
import { parseArgs } from "node:util";
import { editDistance } from "../text/edit_distance.ts";

/** A bad command line: exit status 2, `message` is the one line shown. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** One flag: how it parses and how `--help` shows it. */
export interface Flag {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** The value's placeholder in help (`N`, `FILE`). */
  arg?: string;
  help: string;
}

/** Flags by long name (without `--`). */
export type Flags = Record<string, Flag>;

type ValueOf<F extends Flag> = F["type"] extends "boolean" ? boolean
  : F["multiple"] extends true ? string[]
  : string;

/** Parsed values, by flag name; absent flags are undefined. */
export type Values<F extends Flags> = { [K in keyof F]?: ValueOf<F[K]> };

/**
 * The closest candidate within two edits (or one for short words), for "did you mean".
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(closest("upstrem", ["upstream", "port"]), "upstream");
 * ```
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  const limit = word.length <= 4 ? 1 : 2;
  let best: string | null = null;
  let bestDist = limit + 1;
  for (const c of candidates) {
    const d = c.startsWith(word) && word.length >= 3 ? 0.5 : editDistance(word, c, limit);
    if (d < bestDist) [best, bestDist] = [c, d];
  }
  return best;
}

/**
 * `: did you mean X?` when a candidate is close, else "".
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(didYouMean("--upstrem", ["--upstream"]), ': did you mean --upstream?');
 * ```
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hit = closest(word, candidates);
  return hit === null ? "" : `: did you mean ${hit}?`;
}

/**
 * Parses `args` against `flags` (unknown flags, missing values, values given to switches and
 * extra positionals are `UsageError`s). `positionals` is the most positionals allowed.
 * A value starting with `-` is taken as the value (`--port -1` is then rejected by the port check).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const flags = { db: { type: "string", help: "" } } as const;
 * const { values, positionals } = parseFlags(["--db", "x.db", "list"], flags, 1);
 * assert.equal(values.db, "x.db");
 * assert.deepEqual(positionals, ["list"]);
 * assert.throws(() => parseFlags(["--dbb", "x.db"], flags, 1), /did you mean --db\?/);
 * ```
 */
export function parseFlags<F extends Flags>(
  args: readonly string[],
  flags: F,
  positionals: number,
): { values: Values<F>; positionals: string[] } {
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {};
  for (const [name, f] of Object.entries(flags)) {
    options[name] = {
      type: f.type,
      ...(f.short ? { short: f.short } : {}),
      ...(f.multiple ? { multiple: true } : {}),
    };
  }
  const parsed = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const known = Object.keys(flags).map((n) => `--${n}`);
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    const flag = flags[token.name];
    if (flag === undefined) {
      throw new UsageError(`Unknown flag ${token.rawName}${didYouMean(token.rawName, known)}`);
    }
    if (flag.type === "string" && token.value === undefined) {
      throw new UsageError(`Missing value for --${token.name} ${flag.arg ?? "VALUE"}`);
    }
    if (flag.type === "boolean" && token.inlineValue) {
      throw new UsageError(`Flag --${token.name} takes no value`);
    }
  }
  const extra = parsed.positionals[positionals];
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}"`);
  return { values: parsed.values as Values<F>, positionals: parsed.positionals };
}

/**
 * An integer flag value within [min, max].
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(intFlag("--lines", "20", 0, 10000), 20);
 * ```
 */
export function intFlag(name: string, raw: string, min: number, max: number): number {
  const n = /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`Invalid ${name} "${raw}": must be an integer from ${min} to ${max}`);
  }
  return n;
}

/**
 * A number flag value within [min, max].
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(numberFlag("0.8", "--confidence", 0, 1), 0.8);
 * ```
 */
export function numberFlag(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`Invalid ${name} "${value}": must be a number from ${min} to ${max}`);
  }
  return n;
}

/**
 * The flags as `--help` lines, aligned.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(
 *   flagHelp({ db: { type: "string", arg: "FILE", help: "rules database" } }),
 *   "  --db FILE  rules database",
 * );
 * ```
 */
export function flagHelp(flags: Flags): string {
  const left = Object.entries(flags).map(([name, f]) =>
    `${f.short ? `-${f.short}, ` : ""}--${name}${f.type === "string" ? ` ${f.arg ?? "VALUE"}` : ""}`
  );
  const width = Math.max(...left.map((l) => l.length));
  return Object.values(flags).map((f, i) => `  ${left[i]!.padEnd(width)}  ${f.help}`).join("\n");
}

/** One command (or `group action`) as `--help` shows it and the parser reads it. */
export interface CommandSpec {
  /** `serve`, `patterns add`. */
  name: string;
  summary: string;
  /** What follows the name on the usage line, e.g. `--match TEXT --replace TEXT [flags]`. */
  usage: string;
  flags: Flags;
  /** Most positional arguments (default 0). */
  positionals?: number;
  example: string;
}

/** `--db`, taken by every command that reads or writes rules. */
export const dbFlag = {
  db: {
    type: "string",
    arg: "FILE",
    help: "rules database (default: $HOTPATCH_DB, else the user data directory)",
  },
} as const satisfies Flags;

/** `--json` of the read commands. */
export const jsonFlag = {
  json: { type: "boolean", help: "print JSON (times in it are epoch milliseconds)" },
} as const satisfies Flags;
