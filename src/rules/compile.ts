/**
 * Stored rules → the compiled patterns detectors use (through `src/rules/pattern.ts`).
 * @module
 */
import { compilePattern, PatternError } from "./pattern.ts";
import type { CompiledPattern } from "../detection.ts";
import type { BehaviorPatch, PatternRule } from "./types.ts";

/**
 * Why a pattern cannot be used (invalid or catastrophic regex, empty, too long), or null.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(patternProblem("(a+)+$", true), "nested quantifiers such as (a+)+");
 * assert.deepEqual(patternProblem("colour", false), null);
 * ```
 */
export function patternProblem(match: string, regex: boolean): string | null {
  try {
    compilePattern({ id: 0, match, regex, replacement: "", confidence: 1 });
    return null;
  } catch (error) {
    if (error instanceof PatternError) return error.reason;
    throw error;
  }
}

/**
 * Compiles a stored pattern; null when it no longer compiles (stored before a stricter check).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const rule = {
 *   id: 1, match: "colour", regex: false, replacement: "color", confidence: 0.9,
 *   type: "pattern_match", model: "*", enabled: true, hitCount: 0, createdAt: 0, updatedAt: 0,
 * };
 * assert.equal(compileRule(rule)?.maxLength, 6);
 * ```
 */
export function compileRule(rule: PatternRule): CompiledPattern | null {
  try {
    return compilePattern(rule);
  } catch (error) {
    if (error instanceof PatternError) return null;
    throw error;
  }
}

/**
 * The patterns of a validator patch, with id `-patch.id` (so a hit counts for the patch).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { BehaviorPatch } from "./types.ts";
 * const patch: BehaviorPatch = {
 *   id: 3, kind: "validator", description: "", model: "*", enabled: true, successCount: 0,
 *   createdAt: 0, payload: { patterns: [{ match: "a", replacement: "b" }, { match: "c", replacement: "d" }] },
 * };
 * assert.deepEqual(compileValidator(patch).map((p) => p.id), [-3, -3]);
 * ```
 */
export function compileValidator(patch: BehaviorPatch): CompiledPattern[] {
  if (patch.kind !== "validator") return [];
  const out: CompiledPattern[] = [];
  for (const p of patch.payload.patterns) {
    const compiled = compileRule({
      id: -patch.id,
      type: "pattern_match",
      match: p.match,
      regex: p.regex ?? false,
      replacement: p.replacement,
      confidence: p.confidence ?? 0.9,
      model: patch.model,
      enabled: true,
      hitCount: 0,
      createdAt: 0,
      updatedAt: 0,
    });
    if (compiled) out.push(compiled);
  }
  return out;
}
