/**
 * Export and import of every rule as one JSON document — the rollback procedure: export before a
 * change, import to go back. Import replaces the rules exactly (ids, counts and times included).
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { limits, list, num, record, ValidationError } from "./fields.ts";
import { transaction } from "./sqlite.ts";
import { parseBehaviorPatch, parseNavigationFix, parsePattern } from "./validate.ts";
import type {
  BehaviorPatch,
  BehaviorPatchInput,
  NavigationFix,
  PatternRule,
  RulesDocument,
} from "./types.ts";

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
 * parseRulesDocument({ format: "hotpatch-rules", version: 1, patterns: [], navigationFixes: [],
 *   behaviorPatches: [] });
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
 * replaceRules(db, parseRulesDocument(JSON.parse(text)));
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
