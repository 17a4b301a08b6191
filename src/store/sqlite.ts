/**
 * Opening the SQLite file: pragmas (WAL, foreign keys, busy timeout), migrations, default rules.
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import { mkdirSync } from "node:fs";
import { defaultPatterns, type Migration, migrations } from "./migrations.ts";

/** A store-level failure with a one-line reason (bad database file, newer schema, …). */
export class StoreError extends Error {
  override name = "StoreError";
}

/** How long a writer waits for another process's lock before failing (ms). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Runs `fn` inside `BEGIN IMMEDIATE … COMMIT` (rolled back when it throws). Immediate transactions
 * take the write lock up front, so the busy timeout applies instead of a mid-transaction failure.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const db = openDatabase(":memory:", () => 0);
 * assert.throws(() =>
 *   transaction(db, () => {
 *     db.exec("DELETE FROM correction_patterns");
 *     throw new Error("rolled back");
 *   })
 * );
 * assert.equal(db.prepare("SELECT count(*) AS n FROM correction_patterns").get()?.n, 5);
 * db.close();
 * ```
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

/** Current schema version (`PRAGMA user_version`). */
function userVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

/** Applies the pending migrations, each in its own transaction; seeds defaults on a fresh file. */
function migrate(db: DatabaseSync, steps: readonly Migration[], now: number): void {
  const latest = steps.at(-1)?.version ?? 0;
  for (const step of steps) {
    transaction(db, () => {
      const current = userVersion(db);
      if (current > latest) {
        throw new StoreError(
          `Cannot use database schema "${current}": this hotpatch knows up to ${latest}`,
        );
      }
      if (current >= step.version) return;
      db.exec(step.sql);
      if (step.version === 1) seedDefaults(db, now);
      db.exec(`PRAGMA user_version = ${step.version}`);
    });
  }
}

/** Inserts the default patterns into a fresh database. */
function seedDefaults(db: DatabaseSync, now: number): void {
  const insert = db.prepare(
    `INSERT INTO correction_patterns (match, is_regex, replacement, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  for (const p of defaultPatterns) insert.run(p.match, p.regex ? 1 : 0, p.replacement, now, now);
}

/**
 * Opens (creating when needed) and migrates the database at `path` (`:memory:` for tests).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const db = openDatabase(":memory:", Date.now);
 * assert.equal(db.prepare("SELECT count(*) AS n FROM correction_patterns").get()?.n, 5);
 * db.close();
 * ```
 */
export function openDatabase(path: string, now: () => number): DatabaseSync {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
  } catch (error) {
    throw new StoreError(`Cannot open database "${path}": ${(error as Error).message}`);
  }
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec("PRAGMA foreign_keys = ON");
    if (path !== ":memory:") {
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = NORMAL");
    }
    migrate(db, migrations, now());
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(`Cannot use database "${path}": ${(error as Error).message}`);
  }
}
