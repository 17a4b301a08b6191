/**
 * The `behavior_patches` table: CRUD, every write validated (payload stored as JSON).
 * @module
 */
import type { TableContext } from "./patterns.ts";
import { parseBehaviorPatch } from "../rules/validate.ts";
import type { RuleTable } from "./types.ts";
import type { BehaviorPatch, BehaviorPatchInput, BehaviorSpec } from "../rules/types.ts";

const columns = `id, description, kind, model_glob AS model, payload, enabled,
  success_count AS successCount, created_at AS createdAt`;

/** Row → patch (payload parsed, 0/1 → boolean). */
function toPatch(row: Record<string, unknown>): BehaviorPatch {
  const payload = JSON.parse(String(row.payload)) as BehaviorSpec["payload"];
  return { ...row, payload, enabled: row.enabled === 1 } as BehaviorPatch;
}

/** The full input of a stored patch (for merging a change). */
function inputOf(p: BehaviorPatch): BehaviorPatchInput {
  const { description, model, enabled } = p;
  return { description, model, enabled, ...({ kind: p.kind, payload: p.payload } as BehaviorSpec) };
}

/**
 * CRUD over behavior patches.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openDatabase } from "./sqlite.ts";
 * const db = openDatabase(":memory:", Date.now);
 * const patches = behaviorTable({ db, now: Date.now, changed: () => {} });
 * const options = { temperature: 0.2 };
 * const id = patches.create({
 *   description: "cooler",
 *   kind: "prompt_modifier",
 *   payload: { options },
 * });
 * assert.equal(patches.get(id)?.model, "*");
 * db.close();
 * ```
 */
export function behaviorTable(ctx: TableContext): RuleTable<BehaviorPatch, BehaviorPatchInput> {
  const { db } = ctx;
  const all = db.prepare(`SELECT ${columns} FROM behavior_patches ORDER BY id`);
  const one = db.prepare(`SELECT ${columns} FROM behavior_patches WHERE id = ?`);
  const insert = db.prepare(
    `INSERT INTO behavior_patches (description, kind, model_glob, payload, enabled, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(
    `UPDATE behavior_patches SET description = ?, kind = ?, model_glob = ?, payload = ?,
       enabled = ? WHERE id = ?`,
  );
  const remove = db.prepare("DELETE FROM behavior_patches WHERE id = ?");
  const values = (input: unknown) => {
    const p = parseBehaviorPatch(input) as BehaviorPatchInput;
    const enabled = p.enabled === false ? 0 : 1;
    return [p.description, p.kind, p.model ?? "*", JSON.stringify(p.payload), enabled] as const;
  };
  const get = (id: number) => {
    const row = one.get(id) as Record<string, unknown> | undefined;
    return row ? toPatch(row) : null;
  };
  return {
    list: () => (all.all() as Record<string, unknown>[]).map(toPatch),
    get,
    create(input) {
      const id = Number(insert.run(...values(input), ctx.now()).lastInsertRowid);
      ctx.changed();
      return id;
    },
    update(id, change) {
      const current = get(id);
      if (!current) return false;
      update.run(...values({ ...inputOf(current), ...change }), id);
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
