/**
 * Export and import of every rule as one JSON document — the rollback procedure: export before a
 * change, replace to go back (ids, counts and times included). Merging adds a document's rules to
 * the ones there (a rule with the same key is updated in place).
 * @module
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { limits, list, num, record, ValidationError } from "../rules/fields.ts";
import { transaction } from "./sqlite.ts";
import { parseBehaviorPatch, parseNavigationFix, parsePattern } from "../rules/validate.ts";
import type { MergeCounts, RulesDocument } from "./types.ts";
import type {
  BehaviorPatch,
  BehaviorPatchInput,
  NavigationFix,
  PatternRule,
} from "../rules/types.ts";

const count = (v: unknown, n: string) => num(v, n, 0, Number.MAX_SAFE_INTEGER, true);
const id = (v: unknown, n: string) => num(v, n, 1, Number.MAX_SAFE_INTEGER, true);

/** Splits the stored-only fields off an item and checks them; the rest is a rule input. */
function split(value: unknown, what: string, extra: Record<string, "count" | "id" | "nullable">) {
  const source = { ...record(value, Object.keys(value ?? {}), what) };
  const fields: Record<string, number | null> = {};
  for (const [key, kind] of Object.entries(extra)) {
    const v = source[key];
    delete source[key];
    if (kind === "nullable" && (v === null || v === undefined)) fields[key] = null;
    else if (kind === "id") fields[key] = id(v, `${what}.${key}`);
    else fields[key] = v === undefined ? 0 : count(v, `${what}.${key}`);
  }
  return { fields, input: source };
}

/** Throws when two items share an id. */
function uniqueIds(items: readonly { id: number }[], what: string): void {
  const ids = new Set(items.map((i) => i.id));
  if (ids.size !== items.length) throw new ValidationError(`Invalid ${what}: duplicate "id"`);
}

/**
 * Validates a rules document (as `exportRules` writes it).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const doc = parseRulesDocument({ format: "hotpatch-rules", version: 1, patterns: [],
 *   navigationFixes: [], behaviorPatches: [] });
 * assert.deepEqual(doc.patterns, []);
 * assert.throws(() => parseRulesDocument({ format: "other" }));
 * ```
 */
export function parseRulesDocument(value: unknown): RulesDocument {
  const doc = record(
    value,
    ["format", "version", "exportedAt", "patterns", "navigationFixes", "behaviorPatches"],
    "rules document",
  );
  if (doc.format !== "hotpatch-rules" || doc.version !== 1) {
    throw new ValidationError(`Invalid rules document: expected format "hotpatch-rules" version 1`);
  }
  const items = (key: string) => list(doc[key] ?? [], key, limits.rules);
  const patterns = items("patterns").map((v, i) => {
    const { fields, input } = split(v, `patterns[${i}]`, {
      id: "id",
      hitCount: "count",
      createdAt: "count",
      updatedAt: "count",
    });
    const p = parsePattern(input);
    return {
      ...fields,
      type: p.type ?? "pattern_match",
      match: p.match,
      regex: p.regex ?? false,
      replacement: p.replacement,
      confidence: p.confidence ?? 0.9,
      model: p.model ?? "*",
      enabled: p.enabled ?? true,
    } as PatternRule;
  });
  const navigationFixes = items("navigationFixes").map((v, i) => {
    const { fields, input } = split(v, `navigationFixes[${i}]`, {
      id: "id",
      timesCorrected: "count",
      timesSeen: "count",
      lastApplied: "nullable",
      createdAt: "count",
    });
    const f = parseNavigationFix(input);
    const base = { workspace: "", reasoning: "", effectiveness: 1 };
    return { ...fields, ...base, ...f } as NavigationFix;
  });
  const behaviorPatches = items("behaviorPatches").map((v, i) => {
    const { fields, input } = split(v, `behaviorPatches[${i}]`, {
      id: "id",
      successCount: "count",
      createdAt: "count",
    });
    const p = parseBehaviorPatch(input) as BehaviorPatchInput;
    return { ...fields, model: "*", enabled: true, ...p } as BehaviorPatch;
  });
  if (patterns.filter((p) => p.enabled).length > limits.enabledPatterns) {
    throw new ValidationError(
      `Invalid "patterns": at most ${limits.enabledPatterns} may be enabled`,
    );
  }
  uniqueIds(patterns, "patterns");
  uniqueIds(navigationFixes, "navigationFixes");
  uniqueIds(behaviorPatches, "behaviorPatches");
  return { format: "hotpatch-rules", version: 1, patterns, navigationFixes, behaviorPatches };
}

/**
 * Replaces every rule with the document's in one transaction (a validated document).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openDatabase } from "./sqlite.ts";
 * const db = openDatabase(":memory:", Date.now);
 * replaceRules(db, parseRulesDocument({ format: "hotpatch-rules", version: 1, patterns: [],
 *   navigationFixes: [], behaviorPatches: [] }));
 * assert.equal(db.prepare("SELECT count(*) AS n FROM correction_patterns").get()?.n, 0);
 * db.close();
 * ```
 */
export function replaceRules(db: DatabaseSync, doc: RulesDocument): void {
  transaction(db, () => {
    db.exec("DELETE FROM correction_patterns; DELETE FROM navigation_fixes;");
    db.exec("DELETE FROM behavior_patches");
    const pattern = db.prepare(
      `INSERT INTO correction_patterns (id, type, match, is_regex, replacement, confidence,
         model_glob, enabled, hit_count, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const p of doc.patterns) {
      pattern.run(
        p.id,
        p.type,
        p.match,
        p.regex ? 1 : 0,
        p.replacement,
        p.confidence,
        p.model,
        p.enabled ? 1 : 0,
        p.hitCount,
        p.createdAt,
        p.updatedAt,
      );
    }
    const fix = db.prepare(
      `INSERT INTO navigation_fixes (id, incorrect_path, correct_path, workspace, reasoning,
         effectiveness, times_corrected, times_seen, last_applied, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const f of doc.navigationFixes) {
      try {
        fix.run(
          f.id,
          f.incorrectPath,
          f.correctPath,
          f.workspace,
          f.reasoning,
          f.effectiveness,
          f.timesCorrected,
          f.timesSeen,
          f.lastApplied,
          f.createdAt,
        );
      } catch {
        throw new ValidationError(
          `Invalid navigationFixes: "${f.incorrectPath}" appears twice for one workspace`,
        );
      }
    }
    const patch = db.prepare(
      `INSERT INTO behavior_patches (id, description, kind, model_glob, payload, enabled,
         success_count, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const b of doc.behaviorPatches) {
      patch.run(
        b.id,
        b.description,
        b.kind,
        b.model,
        JSON.stringify(b.payload),
        b.enabled ? 1 : 0,
        b.successCount,
        b.createdAt,
      );
    }
  });
}

/**
 * Adds the document's rules to the ones there, in one transaction. A rule with the same key is
 * updated in place, keeping its id and counters: a pattern's type, text, regex flag and model glob;
 * a navigation fix's wrong path and workspace; a behavior patch's kind, model glob and
 * description. New rules get new ids and keep the document's counters and times.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openDatabase } from "./sqlite.ts";
 * import { openStore } from "./store.ts";
 * const other = openStore(":memory:");
 * other.patterns.create({ match: "colour", replacement: "color" });
 * const doc = parseRulesDocument(other.exportRules());
 * other.close();
 * const db = openDatabase(":memory:", Date.now);
 * const counts = mergeRules(db, doc, Date.now());
 * assert.equal(counts.patterns.added, 1); // the 5 defaults are already there
 * db.close();
 * ```
 */
export function mergeRules(db: DatabaseSync, doc: RulesDocument, now: number): MergeCounts {
  const upsert = (
    counts: { added: number; updated: number },
    sql: { find: string; update: string; insert: string },
    key: SQLInputValue[],
    change: SQLInputValue[],
    row: SQLInputValue[],
  ) => {
    const found = db.prepare(sql.find).get(...key) as { id: number } | undefined;
    if (found) {
      db.prepare(sql.update).run(...change, found.id);
      counts.updated++;
    } else {
      db.prepare(sql.insert).run(...row);
      counts.added++;
    }
  };
  const counts: MergeCounts = {
    patterns: { added: 0, updated: 0 },
    navigationFixes: { added: 0, updated: 0 },
    behaviorPatches: { added: 0, updated: 0 },
  };
  transaction(db, () => {
    const pattern = {
      find: `SELECT id FROM correction_patterns
        WHERE type = ? AND match = ? AND is_regex = ? AND model_glob = ?`,
      update: `UPDATE correction_patterns
        SET replacement = ?, confidence = ?, enabled = ?, updated_at = ? WHERE id = ?`,
      insert: `INSERT INTO correction_patterns (type, match, is_regex, model_glob, replacement,
        confidence, enabled, updated_at, hit_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    };
    for (const p of doc.patterns) {
      const key = [p.type, p.match, p.regex ? 1 : 0, p.model];
      const change = [p.replacement, p.confidence, p.enabled ? 1 : 0, now];
      upsert(counts.patterns, pattern, key, change, [...key, ...change, p.hitCount, p.createdAt]);
    }
    const fix = {
      find: "SELECT id FROM navigation_fixes WHERE incorrect_path = ? AND workspace = ?",
      update: `UPDATE navigation_fixes SET correct_path = ?, reasoning = ?, effectiveness = ?
        WHERE id = ?`,
      insert: `INSERT INTO navigation_fixes (incorrect_path, workspace, correct_path, reasoning,
        effectiveness, times_corrected, times_seen, last_applied, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    };
    for (const f of doc.navigationFixes) {
      const key = [f.incorrectPath, f.workspace];
      const change = [f.correctPath, f.reasoning, f.effectiveness];
      const counters = [f.timesCorrected, f.timesSeen, f.lastApplied, f.createdAt];
      upsert(counts.navigationFixes, fix, key, change, [...key, ...change, ...counters]);
    }
    const patch = {
      find: `SELECT id FROM behavior_patches
        WHERE kind = ? AND model_glob = ? AND description = ?`,
      update: "UPDATE behavior_patches SET payload = ?, enabled = ? WHERE id = ?",
      insert: `INSERT INTO behavior_patches (kind, model_glob, description, payload, enabled,
        success_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    };
    for (const b of doc.behaviorPatches) {
      const key = [b.kind, b.model, b.description];
      const change = [JSON.stringify(b.payload), b.enabled ? 1 : 0];
      upsert(counts.behaviorPatches, patch, key, change, [
        ...key,
        ...change,
        b.successCount,
        b.createdAt,
      ]);
    }
  });
  return counts;
}
