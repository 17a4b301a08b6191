/**
 * Validation of rule inputs (admin API, CLI, import, and every store write): unknown fields, wrong
 * types, oversized values, invalid or catastrophic regular expressions.
 * @module
 */
import { bool, glob, limits, list, num, pick, record, str, ValidationError } from "./fields.ts";
import { patternProblem } from "./compile.ts";
import type {
  BehaviorPatchInput,
  BehaviorSpec,
  NavigationFixInput,
  PatternInput,
  PromptOptions,
  ValidatorPattern,
} from "./types.ts";

const label = (v: unknown, n: string) => str(v, n, limits.label, 1);
const confidence = (v: unknown, n: string) => num(v, n, 0, 1);

/** Throws when `match` is not a usable pattern (empty, too long, or a rejected regex). */
function checkMatch(match: string, regex: boolean, name: string): void {
  const problem = patternProblem(match, regex);
  if (problem) throw new ValidationError(`Invalid "${name}": ${problem}`);
}

/**
 * A pattern to create (`partial`: a change to merge; checked again whole by the store).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(parsePattern({ match: "foo", replacement: "bar" }), { match: "foo", replacement: "bar" });
 * ```
 */
export function parsePattern(value: unknown, partial = false): PatternInput {
  const fields = ["match", "replacement", "type", "regex", "confidence", "model", "enabled"];
  const source = record(value, fields, "pattern");
  const out = pick<PatternInput>(source, {
    match: (v, n) => str(v, n, limits.match, 1),
    replacement: (v, n) => str(v, n, limits.replacement),
    type: label,
    regex: bool,
    confidence,
    model: glob,
    enabled: bool,
  });
  if (!partial) {
    if (out.match === undefined) throw new ValidationError(`Invalid pattern: "match" is required`);
    if (out.replacement === undefined) {
      throw new ValidationError(`Invalid pattern: "replacement" is required`);
    }
    checkMatch(out.match, out.regex ?? false, "match");
  }
  return out as PatternInput;
}

/**
 * A navigation fix to create (`partial`: a change).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const fix = parseNavigationFix({ incorrectPath: "src/a.ts", correctPath: "src/b.ts" });
 * assert.equal(fix.correctPath, "src/b.ts");
 * ```
 */
export function parseNavigationFix(value: unknown, partial = false): NavigationFixInput {
  const fields = ["incorrectPath", "correctPath", "workspace", "reasoning", "effectiveness"];
  const source = record(value, fields, "navigation fix");
  const path = (v: unknown, n: string) => str(v, n, limits.path, 1);
  const out = pick<NavigationFixInput>(source, {
    incorrectPath: path,
    correctPath: path,
    workspace: (v, n) => str(v, n, limits.path),
    reasoning: (v, n) => str(v, n, limits.text),
    effectiveness: (v, n) => num(v, n, 0, 1),
  });
  if (!partial && (out.incorrectPath === undefined || out.correctPath === undefined)) {
    throw new ValidationError(`Invalid navigation fix: "incorrectPath" and "correctPath" required`);
  }
  return out as NavigationFixInput;
}

/** Request options of a prompt modifier. */
function parseOptions(value: unknown): PromptOptions {
  const source = record(value, [
    "temperature",
    "top_p",
    "top_k",
    "seed",
    "repeat_penalty",
    "max_tokens",
    "num_ctx",
    "stop",
  ], "options");
  const int = (max: number) => (v: unknown, n: string) => num(v, n, 0, max, true);
  return pick<PromptOptions>(source, {
    temperature: (v, n) => num(v, n, 0, 5),
    top_p: (v, n) => num(v, n, 0, 1),
    top_k: int(100_000),
    seed: (v, n) => num(v, n, -(2 ** 31), 2 ** 32, true),
    repeat_penalty: (v, n) => num(v, n, 0, 10),
    max_tokens: int(10_000_000),
    num_ctx: int(10_000_000),
    stop: (v, n) => list(v, n, 16).map((s, i) => str(s, `${n}[${i}]`, limits.label, 1)),
  });
}

/** One pattern of a validator patch. */
function parseValidatorPattern(value: unknown, i: number): ValidatorPattern {
  const source = record(value, ["match", "replacement", "regex", "confidence"], `patterns[${i}]`);
  const p = pick<ValidatorPattern>(source, {
    match: (v, n) => str(v, n, limits.match, 1),
    replacement: (v, n) => str(v, n, limits.replacement),
    regex: bool,
    confidence,
  });
  if (p.match === undefined || p.replacement === undefined) {
    throw new ValidationError(`Invalid "patterns[${i}]": "match" and "replacement" required`);
  }
  checkMatch(p.match, p.regex ?? false, `patterns[${i}].match`);
  return p as ValidatorPattern;
}

/** A detector setting override of an output filter. */
function parseSetting(value: unknown, type: string) {
  const source = record(value, ["enabled", "threshold", "action"], `detectors.${type}`);
  return pick<{ enabled: boolean; threshold: number; action: "correct" | "annotate" | "detect" }>(
    source,
    {
      enabled: bool,
      threshold: confidence,
      action: (v, n) => {
        if (v === "correct" || v === "annotate" || v === "detect") return v;
        throw new ValidationError(`Invalid "${n}": must be correct, annotate or detect`);
      },
    },
  );
}

/**
 * A behavior patch's kind and payload, checked against each other.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseSpec("prompt_modifier", { system: "Answer briefly." }), {
 *   kind: "prompt_modifier",
 *   payload: { system: "Answer briefly." },
 * });
 * ```
 */
export function parseSpec(kind: unknown, payload: unknown): BehaviorSpec {
  if (kind === "prompt_modifier") {
    const source = record(payload, ["system", "options"], "payload");
    const p = pick<{ system: string; options: PromptOptions }>(source, {
      system: (v, n) => str(v, n, limits.text, 1),
      options: parseOptions,
    });
    if (p.system === undefined && p.options === undefined) {
      throw new ValidationError(`Invalid payload: a prompt modifier needs "system" or "options"`);
    }
    return { kind, payload: p };
  }
  if (kind === "output_filter") {
    const source = record(payload, ["detectors"], "payload");
    const detectors = record(source.detectors, Object.keys(source.detectors ?? {}), "detectors");
    const entries = Object.entries(detectors);
    if (entries.length === 0 || entries.length > limits.listItems) {
      throw new ValidationError(`Invalid "detectors": needs 1 to ${limits.listItems} entries`);
    }
    const out = entries.map(([type, s]) => [label(type, "detector"), parseSetting(s, type)]);
    return { kind, payload: { detectors: Object.fromEntries(out) } };
  }
  if (kind === "validator") {
    const source = record(payload, ["patterns"], "payload");
    const items = list(source.patterns, "patterns", limits.listItems);
    if (items.length === 0) throw new ValidationError(`Invalid "patterns": must not be empty`);
    return { kind, payload: { patterns: items.map(parseValidatorPattern) } };
  }
  throw new ValidationError(`Invalid "kind": must be prompt_modifier, output_filter or validator`);
}

/**
 * A behavior patch to create (`partial`: a change; `kind` and `payload` go together).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const empty = { description: "d", kind: "validator", payload: { patterns: [] } };
 * assert.throws(() => parseBehaviorPatch(empty), /Invalid "patterns": must not be empty/);
 * ```
 */
export function parseBehaviorPatch(value: unknown, partial = false): Partial<BehaviorPatchInput> {
  const fields = ["description", "kind", "model", "payload", "enabled"];
  const source = record(value, fields, "behavior patch");
  const out: Record<string, unknown> = pick<
    { description: string; model: string; enabled: boolean }
  >(
    source,
    { description: (v, n) => str(v, n, limits.text, 1), model: glob, enabled: bool },
  );
  if (!partial && out.description === undefined) {
    throw new ValidationError(`Invalid behavior patch: "description" is required`);
  }
  if (!partial) Object.assign(out, parseSpec(source.kind, source.payload));
  else {
    // Checked whole by the store once merged with the stored patch.
    if (source.kind !== undefined) out.kind = source.kind;
    if (source.payload !== undefined) out.payload = source.payload;
  }
  return out as Partial<BehaviorPatchInput>;
}
