/**
 * A liberal JSON Schema check with safe coercions, for tool arguments and JSON answers.
 * Understood: `type` (also lists, `nullable`, and Python-ish names such as `int`, `dict`),
 * `properties`, `required`, `items`, `enum`, `additionalProperties: false`, `anyOf`/`oneOf`/`allOf`.
 * Every other keyword is ignored. Coercions that cannot change meaning are applied as fixes;
 * everything else is reported as a problem and left as it was.
 * @module
 */
import { matchName } from "./names.ts";

/** One finding of the check. `path` is like `location.city` or `items[2]` ("" = the root). */
export interface SchemaIssue {
  kind: "coerced" | "renamed" | "dropped_null" | "mismatch" | "missing" | "unknown_property";
  path: string;
  detail: string;
}

/** The checked value (with fixes applied) and what was fixed or found wrong. */
export interface SchemaResult {
  value: unknown;
  fixes: SchemaIssue[];
  problems: SchemaIssue[];
}

type Schema = Record<string, unknown>;

const aliases: Record<string, string | null> = {
  string: "string",
  str: "string",
  integer: "integer",
  int: "integer",
  number: "number",
  float: "number",
  double: "number",
  boolean: "boolean",
  bool: "boolean",
  array: "array",
  list: "array",
  tuple: "array",
  object: "object",
  dict: "object",
  map: "object",
  null: "null",
  any: null,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The JSON types a schema allows, or null when it does not restrict the type. */
function typesOf(schema: Schema): string[] | null {
  const raw = Array.isArray(schema.type) ? schema.type : [schema.type];
  const types: string[] = [];
  for (const t of raw) {
    if (typeof t !== "string") continue;
    const known = aliases[t.toLowerCase()];
    if (known === null || known === undefined) return null;
    types.push(known);
  }
  if (types.length === 0) return null;
  if (schema.nullable === true) types.push("null");
  return types;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    default:
      return isRecord(value);
  }
}

/** A value of `type` that means the same as `value`, or undefined when there is none. */
function coerce(value: unknown, type: string): unknown {
  if (typeof value === "string") {
    const s = value.trim();
    if (type === "integer" && /^-?\d+(?:\.0+)?$/.test(s)) return Number(s);
    if (type === "number" && /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(s)) {
      return Number(s);
    }
    if (type === "boolean" && /^(?:true|false)$/i.test(s)) return s.toLowerCase() === "true";
    if ((type === "array" && s.startsWith("[")) || (type === "object" && s.startsWith("{"))) {
      try {
        const parsed: unknown = JSON.parse(s);
        if (hasType(parsed, type)) return parsed;
      } catch {
        return undefined;
      }
    }
  }
  if (type === "string" && typeof value === "number" && Number.isFinite(value)) {
    return String(value);
  }
  if (type === "array" && value !== null && !Array.isArray(value)) return [value];
  return undefined;
}

const show = (value: unknown) => JSON.stringify(value) ?? String(value);
const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

/** Check an object's properties: nested values, nulls for optional ones, unknown and missing keys. */
function checkObject(
  value: Record<string, unknown>,
  schema: Schema,
  path: string,
  out: SchemaResult,
) {
  const props = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required)
    ? schema.required.filter((r): r is string => typeof r === "string")
    : [];
  const result: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const prop = props[key];
    if (!Object.hasOwn(props, key)) unknown.push(key);
    else if (v === null && isRecord(prop) && !required.includes(key) && !allowsNull(prop)) {
      out.fixes.push({
        kind: "dropped_null",
        path: join(path, key),
        detail: "null for an optional argument",
      });
    } else result[key] = walk(v, prop, join(path, key), out);
  }
  for (const key of unknown) {
    const absent = Object.keys(props).filter((p) =>
      !Object.hasOwn(result, p) && !Object.hasOwn(value, p)
    );
    const match = matchName(key, absent);
    if (match.kind === "fixed") {
      out.fixes.push({
        kind: "renamed",
        path: join(path, key),
        detail: `renamed to "${match.name}"`,
      });
      result[match.name] = walk(value[key], props[match.name], join(path, match.name), out);
      continue;
    }
    if (schema.additionalProperties === false) {
      out.problems.push({
        kind: "unknown_property",
        path: join(path, key),
        detail: "not a declared argument",
      });
    }
    result[key] = value[key];
  }
  for (const key of required) {
    if (!Object.hasOwn(result, key)) {
      out.problems.push({ kind: "missing", path: join(path, key), detail: "required but missing" });
    }
  }
  return result;
}

function allowsNull(schema: Schema): boolean {
  const types = typesOf(schema);
  return types === null || types.includes("null") || Array.isArray(schema.anyOf) ||
    Array.isArray(schema.oneOf);
}

/** The first alternative of anyOf/oneOf that fits without problems (fixes allowed). */
function walkBranches(
  value: unknown,
  branches: unknown[],
  path: string,
  out: SchemaResult,
): unknown {
  const tries = branches.map((b) => {
    const r: SchemaResult = { value, fixes: [], problems: [] };
    r.value = walk(value, b, path, r);
    return r;
  }).filter((r) => r.problems.length === 0).sort((a, b) => a.fixes.length - b.fixes.length);
  const best = tries[0];
  if (!best) return value;
  out.fixes.push(...best.fixes);
  return best.value;
}

function checkEnum(value: unknown, options: unknown[], path: string, out: SchemaResult): unknown {
  if (options.some((o) => o === value || show(o) === show(value))) return value;
  const loose = (x: unknown) => (typeof x === "string" ? x.toLowerCase() : show(x));
  const hits = options.filter((o) => loose(o) === loose(value) || String(o) === String(value));
  if (hits.length === 1 && typeof value !== "object") {
    out.fixes.push({ kind: "coerced", path, detail: `${show(value)} → ${show(hits[0])} (enum)` });
    return hits[0];
  }
  out.problems.push({
    kind: "mismatch",
    path,
    detail: `${show(value)} is not one of the allowed values`,
  });
  return value;
}

/** Deepest schema level checked; deeper values are left as they are. */
const MAX_DEPTH = 64;
/** Most schema nodes checked per {@link checkSchema} call (a schema × arguments bound). */
const MAX_STEPS = 100_000;
/** The walk in progress (checkSchema is synchronous, one walk at a time). */
const budget = { depth: 0, steps: 0 };

function walk(value: unknown, schema: unknown, path: string, out: SchemaResult): unknown {
  if (!isRecord(schema) || budget.depth >= MAX_DEPTH || budget.steps >= MAX_STEPS) return value;
  budget.depth++;
  budget.steps++;
  try {
    return walkNode(value, schema, path, out);
  } finally {
    budget.depth--;
  }
}

function walkNode(value: unknown, schema: Schema, path: string, out: SchemaResult): unknown {
  let v = value;
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : schema.oneOf;
  if (Array.isArray(branches) && branches.length > 0) v = walkBranches(v, branches, path, out);
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) {
      v = walk(v, part, path, out);
    }
  }
  const types = typesOf(schema);
  if (types && !types.some((t) => hasType(v, t))) {
    const fixed = types.map((t) => coerce(v, t)).find((c) => c !== undefined);
    if (fixed === undefined) {
      out.problems.push({
        kind: "mismatch",
        path,
        detail: `${show(v)} is not ${types.join(" or ")}`,
      });
      return v;
    }
    out.fixes.push({ kind: "coerced", path, detail: `${show(v)} → ${show(fixed)}` });
    v = fixed;
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    v = checkEnum(v, schema.enum, path, out);
  }
  if (isRecord(v) && (types === null || types.includes("object"))) {
    return checkObject(v, schema, path, out);
  }
  if (Array.isArray(v) && isRecord(schema.items)) {
    return v.map((item, i) => walk(item, schema.items, `${path}[${i}]`, out));
  }
  return v;
}

/**
 * Check `value` against a JSON Schema, applying safe coercions (`"5"` → 5 for an integer, `"true"`
 * → true, one value where an array is asked, a JSON text where an object/array is asked, a number
 * where a string is asked, an enum value in other case, null for an optional argument dropped,
 * a misspelled argument name when exactly one absent property is meant). Bounded for hostile
 * schemas and values: levels below 64, and schema nodes past 100,000 per call, are not checked.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const schema = { type: "object", properties: { n: { type: "integer" } }, required: ["n", "m"] };
 * const checked = checkSchema({ n: "5" }, schema);
 * assert.deepEqual(checked.value, { n: 5 });
 * assert.deepEqual(checked.fixes.map((f) => [f.kind, f.path]), [["coerced", "n"]]);
 * assert.deepEqual(checked.problems.map((p) => [p.kind, p.path]), [["missing", "m"]]);
 * ```
 */
export function checkSchema(value: unknown, schema: unknown): SchemaResult {
  const out: SchemaResult = { value, fixes: [], problems: [] };
  budget.steps = 0;
  out.value = walk(value, schema, "", out);
  return out;
}
