/**
 * Reading the correction history.
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { CorrectionRecord } from "../types.ts";

/** Filters of a history query. */
export interface CorrectionQuery {
  requestId?: string;
  type?: string;
  /** Newest N (default 100, at most 10 000). */
  limit?: number;
}

/** The columns of a listed record, named as `CorrectionRecord` fields. */
const COLUMNS = `id, request_id AS requestId, time, model, protocol, channel, type, found,
  replacement, confidence, action, reason, rule, context_before AS contextBefore,
  context_after AS contextAfter`;

/** Most records one query returns. */
export const MAX_LIMIT = 10_000;

/**
 * The newest matching corrections, oldest first (newest last).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openDatabase } from "./sqlite.ts";
 * const db = openDatabase(":memory:", Date.now);
 * assert.deepEqual(listCorrections(db, { type: "template_leak", limit: 10 }), []);
 * db.close();
 * ```
 */
export function listCorrections(db: DatabaseSync, query: CorrectionQuery): CorrectionRecord[] {
  const limit = Math.max(0, Math.min(MAX_LIMIT, Math.trunc(query.limit ?? 100)));
  const rows = db.prepare(
    `SELECT * FROM (
       SELECT ${COLUMNS}
       FROM corrections
       WHERE (:requestId IS NULL OR request_id = :requestId) AND (:type IS NULL OR type = :type)
       ORDER BY id DESC LIMIT :limit)
     ORDER BY id`,
  ).all({ requestId: query.requestId ?? null, type: query.type ?? null, limit });
  return rows.map(({ id: _id, ...rest }) => rest as unknown as CorrectionRecord);
}

/**
 * Corrections with their row ids, oldest first: those above `afterId`, or with `afterId` null the
 * newest `limit` (for showing and then following the history).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openDatabase } from "./sqlite.ts";
 * const db = openDatabase(":memory:", Date.now);
 * assert.deepEqual(correctionsSince(db, null, 20), []); // the last 20, oldest first
 * db.close();
 * ```
 */
export function correctionsSince(
  db: DatabaseSync,
  afterId: number | null,
  limit: number,
): { id: number; record: CorrectionRecord }[] {
  const columns = COLUMNS;
  const n = Math.max(0, Math.min(MAX_LIMIT, limit));
  const rows = afterId === null
    ? db.prepare(
      `SELECT * FROM (SELECT ${columns} FROM corrections ORDER BY id DESC LIMIT ?) ORDER BY id`,
    ).all(n)
    : db.prepare(`SELECT ${columns} FROM corrections WHERE id > ? ORDER BY id LIMIT ?`)
      .all(afterId, n);
  return rows.map(({ id, ...record }) => ({
    id: Number(id),
    record: record as unknown as CorrectionRecord,
  }));
}
