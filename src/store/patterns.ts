/**
 * The `correction_patterns` table: CRUD, every write validated.
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { limits, ValidationError } from "../rules/fields.ts";
import { parsePattern } from "../rules/validate.ts";
import type { RuleTable } from "./types.ts";
import type { PatternInput, PatternRule } from "../rules/types.ts";

/** What every rule table needs: the database, a clock, and a hook run after a rule write. */
export interface TableContext {
  db: DatabaseSync;
  now: () => number;
  changed: () => void;
}

const columns = `id, type, match, is_regex AS regex, replacement, confidence, model_glob AS model,
  enabled, hit_count AS hitCount, created_at AS createdAt, updated_at AS updatedAt`;

/** Row → rule (SQLite booleans are 0/1). */
function toRule(row: Record<string, unknown>): PatternRule {
  return { ...row, regex: row.regex === 1, enabled: row.enabled === 1 } as PatternRule;
}

/** The full input of a stored rule (for merging a change). */
function inputOf(rule: PatternRule): PatternInput {
  const { type, match, regex, replacement, confidence, model, enabled } = rule;
  return { type, match, regex, replacement, confidence, model, enabled };
}

/**
 * CRUD over correction patterns.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openDatabase } from "./sqlite.ts";
 * const db = openDatabase(":memory:", Date.now);
 * const table = patternTable({ db, now: Date.now, changed: () => {} });
 * const id = table.create({ match: "foo", replacement: "bar" });
 * assert.equal(table.get(id)?.replacement, "bar");
 * db.close();
 * ```
 */
export function patternTable(ctx: TableContext): RuleTable<PatternRule, PatternInput> {
  const { db } = ctx;
  const all = db.prepare(`SELECT ${columns} FROM correction_patterns ORDER BY id`);
  const one = db.prepare(`SELECT ${columns} FROM correction_patterns WHERE id = ?`);
  const insert = db.prepare(
    `INSERT INTO correction_patterns
       (type, match, is_regex, replacement, confidence, model_glob, enabled, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(
    `UPDATE correction_patterns SET type = ?, match = ?, is_regex = ?, replacement = ?,
       confidence = ?, model_glob = ?, enabled = ?, updated_at = ? WHERE id = ?`,
  );
  const remove = db.prepare("DELETE FROM correction_patterns WHERE id = ?");
  const enabledOthers = db.prepare(
    "SELECT count(*) AS n FROM correction_patterns WHERE enabled = 1 AND id != ?",
  );
  /** Refuses a write that would leave more than `limits.enabledPatterns` enabled. */
  const checkCap = (p: PatternInput, id: number) => {
    if (p.enabled === false) return;
    const { n } = enabledOthers.get(id) as { n: number };
    if (n >= limits.enabledPatterns) {
      throw new ValidationError(
        `Too many enabled patterns: at most ${limits.enabledPatterns}; disable or delete one first`,
      );
    }
  };
  const values = (p: PatternInput) =>
    [
      p.type ?? "pattern_match",
      p.match,
      p.regex ? 1 : 0,
      p.replacement,
      p.confidence ?? 0.9,
      p.model ?? "*",
      p.enabled === false ? 0 : 1,
    ] as const;
  const get = (id: number) => {
    const row = one.get(id) as Record<string, unknown> | undefined;
    return row ? toRule(row) : null;
  };
  return {
    list: () => (all.all() as Record<string, unknown>[]).map(toRule),
    get,
    create(input) {
      const p = parsePattern(input);
      checkCap(p, 0);
      const t = ctx.now();
      const id = Number(insert.run(...values(p), t, t).lastInsertRowid);
      ctx.changed();
      return id;
    },
    update(id, change) {
      const current = get(id);
      if (!current) return false;
      const p = parsePattern({ ...inputOf(current), ...change });
      if (!current.enabled) checkCap(p, id);
      update.run(...values(p), ctx.now(), id);
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
