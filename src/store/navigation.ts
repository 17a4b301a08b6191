/**
 * The `navigation_fixes` table: CRUD, and learning fixes from repeated path corrections.
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { TableContext } from "./patterns.ts";
import { parseNavigationFix } from "../rules/validate.ts";
import type { RuleTable } from "./types.ts";
import type { NavigationFix, NavigationFixInput } from "../rules/types.ts";

const columns = `id, incorrect_path AS incorrectPath, correct_path AS correctPath, workspace,
  reasoning, effectiveness, times_corrected AS timesCorrected, times_seen AS timesSeen,
  last_applied AS lastApplied, created_at AS createdAt`;

/** A correction pair is learned as a fix once it was seen this many times. */
export const LEARN_AFTER = 2;

/**
 * CRUD over navigation fixes.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openDatabase } from "./sqlite.ts";
 * const db = openDatabase(":memory:", Date.now);
 * const fixes = navigationTable({ db, now: Date.now, changed: () => {} });
 * const id = fixes.create({ incorrectPath: "src/util.ts", correctPath: "src/utils.ts" });
 * assert.equal(fixes.get(id)?.correctPath, "src/utils.ts");
 * db.close();
 * ```
 */
export function navigationTable(ctx: TableContext): RuleTable<NavigationFix, NavigationFixInput> {
  const { db } = ctx;
  const all = db.prepare(`SELECT ${columns} FROM navigation_fixes ORDER BY id`);
  const one = db.prepare(`SELECT ${columns} FROM navigation_fixes WHERE id = ?`);
  const insert = db.prepare(
    `INSERT INTO navigation_fixes
       (incorrect_path, correct_path, workspace, reasoning, effectiveness, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(
    `UPDATE navigation_fixes SET incorrect_path = ?, correct_path = ?, workspace = ?,
       reasoning = ?, effectiveness = ? WHERE id = ?`,
  );
  const remove = db.prepare("DELETE FROM navigation_fixes WHERE id = ?");
  const values = (
    f: NavigationFixInput,
  ) => [f.incorrectPath, f.correctPath, f.workspace ?? "", f.reasoning ?? "", f.effectiveness ?? 1];
  const get = (id: number) => (one.get(id) as NavigationFix | undefined) ?? null;
  return {
    list: () => all.all() as unknown as NavigationFix[],
    get,
    create(input) {
      const id = Number(
        insert.run(...values(parseNavigationFix(input)), ctx.now()).lastInsertRowid,
      );
      ctx.changed();
      return id;
    },
    update(id, change) {
      const f = get(id);
      if (!f) return false;
      const { incorrectPath, correctPath, workspace, reasoning, effectiveness } = f;
      const base = { incorrectPath, correctPath, workspace, reasoning, effectiveness };
      update.run(...values(parseNavigationFix({ ...base, ...change })), id);
      ctx.changed();
      return true;
    },
    remove(id) {
      const gone = remove.run(id).changes > 0;
      if (gone) ctx.changed();
      return gone;
    },
  };
}

/** Result of observing one path correction. */
export interface PathObservation {
  /** True when a new fix was learned (the rules changed). */
  learned: boolean;
  /** True when an existing fix's correct path was applied. */
  applied: boolean;
}

/** Records one path correction (`corrected`: the action was `corrected`) at `time`. */
export type ObservePath = (
  found: string,
  replacement: string,
  corrected: boolean,
  time: number,
) => PathObservation;

/**
 * Path learning, to run inside the caller's transaction: a sighting of `found` updates an existing
 * fix for it (times seen/corrected, effectiveness, last applied); otherwise the pair is counted and
 * learned as a new fix when seen the `LEARN_AFTER`th time.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openDatabase } from "./sqlite.ts";
 * const db = openDatabase(":memory:", Date.now);
 * const observe = pathLearner(db);
 * const seen = observe("src/util.ts", "src/utils.ts", true, Date.now());
 * assert.deepEqual(seen, { learned: false, applied: false });
 * db.close();
 * ```
 */
export function pathLearner(db: DatabaseSync): ObservePath {
  const hit = "(correct_path = :replacement AND :corrected = 1)";
  const sighting = db.prepare(
    `UPDATE navigation_fixes SET times_seen = times_seen + 1,
       times_corrected = times_corrected + ${hit},
       last_applied = CASE WHEN ${hit} THEN :time ELSE last_applied END,
       effectiveness = CAST(times_corrected + ${hit} AS REAL) / (times_seen + 1)
     WHERE incorrect_path = :found RETURNING ${hit} AS hit`,
  );
  const count = db.prepare(
    `INSERT INTO path_observations (found, replacement, count) VALUES (?, ?, 1)
     ON CONFLICT (found, replacement) DO UPDATE SET count = count + 1 RETURNING count`,
  );
  // A learned fix starts unused: its counters count the times the stored fix was applied, as
  // `stats` does ("stored navigation fixes used"); the sightings that taught it are in `reasoning`.
  const learn = db.prepare(
    `INSERT INTO navigation_fixes (incorrect_path, correct_path, reasoning, effectiveness,
       created_at)
     VALUES (:found, :replacement, :reasoning, 1, :time)`,
  );
  return (found, replacement, corrected, time) => {
    const params = { found, replacement, time, corrected: corrected ? 1 : 0 };
    const fixes = sighting.all(params) as { hit: number }[];
    if (fixes.length > 0) return { learned: false, applied: fixes.some((f) => f.hit === 1) };
    const { count: n } = count.get(found, replacement) as { count: number };
    // Learned once; a learned fix the user deleted is not learned again.
    if (n !== LEARN_AFTER) return { learned: false, applied: false };
    learn.run({ found, replacement, time, reasoning: `learned: corrected ${n} times` });
    return { learned: true, applied: false };
  };
}
