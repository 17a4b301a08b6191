/**
 * Shared pieces of the admin CLI: errors, id arguments and opening the database.
 * @module
 */
import { existsSync } from "node:fs";
import { defaultDbPath } from "../store/db_path.ts";
import { openStore } from "../store/store.ts";
import type { Store } from "../store/types.ts";
import type { CommandIo } from "../command/io.ts";
import { UsageError } from "../command/flags.ts";

/** A request the database cannot satisfy (unknown id, no database yet): exit status 1. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/**
 * A positive integer id argument.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(idArg("7"), 7);
 * ```
 */
export function idArg(value: string | undefined): number {
  if (value === undefined) throw new UsageError("Missing ID argument");
  if (!/^[1-9][0-9]{0,15}$/.test(value)) {
    throw new UsageError(`Invalid ID "${value}": must be a positive integer`);
  }
  return Number(value);
}

/**
 * The database named by `--db`, else `HOTPATCH_DB`, else the platform default; `from` says
 * where the name came from (null: the default).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(dbPath(undefined, { HOTPATCH_DB: "/tmp/h.db" }), {
 *   path: "/tmp/h.db",
 *   from: "HOTPATCH_DB",
 * });
 * ```
 */
export function dbPath(
  db: string | undefined,
  env: CommandIo["env"],
): { path: string; from: "--db" | "HOTPATCH_DB" | null } {
  if (db !== undefined) return { path: db, from: "--db" };
  if (env.HOTPATCH_DB) return { path: env.HOTPATCH_DB, from: "HOTPATCH_DB" };
  return { path: defaultDbPath(env, Deno.build.os), from: null };
}

/**
 * Opens the store named by `--db`, else `HOTPATCH_DB`, else the platform default. Only commands
 * that add rules (`create`) may create the file: a read of a database that does not exist is
 * refused (exit 2 for a mistyped `--db`, 1 when the default one was never created).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NotFoundError } from "./args.ts";
 * const dir = Deno.makeTempDirSync();
 * assert.throws(() => openFromFlags(undefined, { HOME: dir }, { create: false }), NotFoundError);
 * const store = openFromFlags(`${dir}/h.db`, {}, { create: true });
 * store.close();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function openFromFlags(
  db: string | undefined,
  env: CommandIo["env"],
  { create }: { create: boolean },
): Store {
  const { path, from } = dbPath(db, env);
  if (!create && path !== ":memory:" && !existsSync(path)) {
    if (from) throw new UsageError(`Invalid ${from} "${path}": no such database`);
    throw new NotFoundError(
      `No database at "${path}" yet: hotpatch serve, or adding or importing rules, creates it`,
    );
  }
  return openStore(path, { flushDelayMs: 0 });
}
