/**
 * Shared pieces of the admin CLI: strict flag parsing, usage errors, opening the database.
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { defaultDbPath } from "../store/paths.ts";
import { openStore } from "../store/store.ts";
import type { Store } from "../store/types.ts";

/** Where the CLI writes, and its environment. */
export interface AdminIo {
  stdout(s: string): void;
  stderr(s: string): void;
  env: Record<string, string | undefined>;
  /** Ends `log --follow` (Ctrl-C ends the process otherwise). */
  signal?: AbortSignal;
}

/** A bad command line: exit status 2, one line saying what and why. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A request the database cannot satisfy (unknown id): exit status 1. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** Flag definitions for `node:util` parseArgs. */
export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Flags every admin command takes. */
export const commonOptions = {
  db: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

/**
 * Parses flags strictly (unknown flags, missing values and stray arguments are usage errors).
 * @example
 * parseFlags(["--db", "x.db"], commonOptions, 0).values.db; // "x.db"
 */
export function parseFlags<O extends Options>(args: string[], options: O, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals > 0 });
  } catch (error) {
    throw new UsageError((error as Error).message.split(". ")[0] ?? "invalid arguments");
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[positionals]}"`);
  }
  return parsed;
}

/**
 * A number flag within [min, max].
 * @example
 * numberFlag("0.8", "--confidence", 0, 1); // 0.8
 */
export function numberFlag(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`Invalid ${name} "${value}": must be a number from ${min} to ${max}`);
  }
  return n;
}

/**
 * A positive integer id argument.
 * @example
 * idArg("7"); // 7
 */
export function idArg(value: string | undefined): number {
  if (value === undefined) throw new UsageError("Missing ID argument");
  if (!/^[1-9][0-9]{0,15}$/.test(value)) {
    throw new UsageError(`Invalid ID "${value}": must be a positive integer`);
  }
  return Number(value);
}

/**
 * Opens the store named by `--db`, else `HOTPATCH_DB`, else the platform default.
 * @example
 * const store = openFromFlags(undefined, { HOTPATCH_DB: "/tmp/h.db" });
 */
export function openFromFlags(db: string | undefined, env: AdminIo["env"]): Store {
  const path = db ?? env.HOTPATCH_DB ?? defaultDbPath(env, Deno.build.os);
  return openStore(path, { flushDelayMs: 0 });
}
