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

/** Most records one query returns. */
export const MAX_LIMIT = 10_000;

/**
 * The newest matching corrections, oldest first (newest last).
 * @example
 * listCorrections(db, { type: "template_leak", limit: 10 });
 */
export function listCorrections(db: DatabaseSync, query: CorrectionQuery): CorrectionRecord[] {
  const limit = Math.max(0, Math.min(MAX_LIMIT, Math.trunc(query.limit ?? 100)));
  const rows = db.prepare(
    `SELECT * FROM (
       SELECT id, request_id AS requestId, time, model, protocol, channel, type, found,
         replacement, confidence, action
       FROM corrections
       WHERE (:requestId IS NULL OR request_id = :requestId) AND (:type IS NULL OR type = :type)
       ORDER BY id DESC LIMIT :limit)
     ORDER BY id`,
  ).all({ requestId: query.requestId ?? null, type: query.type ?? null, limit });
  return rows.map(({ id: _id, ...rest }) => rest as unknown as CorrectionRecord);
}
