/**
 * Strict readers for untrusted JSON values: each throws `ValidationError` with a one-line reason.
 * @module
 */

/** Input that breaks a rule (wrong type, unknown field, too long, bad regex); HTTP 400, exit 2. */
export class ValidationError extends Error {
  override name = "ValidationError";
}

/** Size limits for stored text. */
export const limits = {
  match: 500,
  replacement: 10_000,
  label: 200,
  text: 20_000,
  path: 4_096,
  listItems: 100,
  rules: 10_000,
  /** Enabled correction patterns at once: each one is matched against every response. */
  enabledPatterns: 1_000,
} as const;

/**
 * The value as a plain object whose keys are all in `allowed` (unknown fields are an error).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(record({ a: 1 }, ["a", "b"], "pattern"), { a: 1 });
 * ```
 */
export function record(
  value: unknown,
  allowed: readonly string[],
  what: string,
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(`Invalid ${what}: must be a JSON object`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new ValidationError(`Invalid ${what}: unknown field "${key}"`);
    }
  }
  return value as Record<string, unknown>;
}

/**
 * A string of at most `max` characters (`min` at least, default 0).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(str("qwen*", "model", 200), "qwen*");
 * ```
 */
export function str(value: unknown, name: string, max: number, min = 0): string {
  if (typeof value !== "string") throw new ValidationError(`Invalid "${name}": must be a string`);
  if (value.length < min) throw new ValidationError(`Invalid "${name}": must not be empty`);
  if (value.length > max) {
    throw new ValidationError(`Invalid "${name}": longer than ${max} characters`);
  }
  if (value.includes("\0")) {
    throw new ValidationError(`Invalid "${name}": contains a NUL character`);
  }
  return value;
}

/**
 * A finite number in [min, max]; integers only when `integer` is set.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(num(0.8, "confidence", 0, 1), 0.8);
 * ```
 */
export function num(value: unknown, name: string, min: number, max: number, integer = false) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ValidationError(`Invalid "${name}": must be a number`);
  }
  if (integer && !Number.isSafeInteger(value)) {
    throw new ValidationError(`Invalid "${name}": must be an integer`);
  }
  if (value < min || value > max) {
    throw new ValidationError(`Invalid "${name}": must be between ${min} and ${max}`);
  }
  return value;
}

/**
 * A boolean.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(bool(true, "enabled"), true);
 * ```
 */
export function bool(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") throw new ValidationError(`Invalid "${name}": must be a boolean`);
  return value;
}

/**
 * An array of at most `max` items.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(list(["a"], "stop", 8), ["a"]);
 * ```
 */
export function list(value: unknown, name: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(`Invalid "${name}": must be an array`);
  if (value.length > max) throw new ValidationError(`Invalid "${name}": more than ${max} items`);
  return value;
}

/**
 * A model glob: printable, no spaces, at most 200 characters.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(glob("qwen*", "model"), "qwen*");
 * ```
 */
export function glob(value: unknown, name: string): string {
  const text = str(value, name, limits.label, 1);
  if (!/^[\x21-\x7e]+$/.test(text)) {
    throw new ValidationError(`Invalid "${name}": a model glob uses printable ASCII, no spaces`);
  }
  return text;
}

/**
 * Copies the keys of `source` that are present (not undefined) through `read`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(pick({ a: "x" }, { a: (v) => String(v) }), { a: "x" });
 * ```
 */
export function pick<T extends object>(
  source: Record<string, unknown>,
  readers: { [K in keyof T]: (value: unknown, name: string) => T[K] },
): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(readers) as (keyof T & string)[]) {
    if (source[key] !== undefined) out[key] = readers[key](source[key], key);
  }
  return out;
}
