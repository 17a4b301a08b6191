/**
 * Complete a JSON text cut off inside a string value when the schema leaves exactly one choice:
 * the value's property has an `enum` with a single member starting with what was written.
 * @module
 */
import { repairText, unfence } from "./json_text.ts";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The schema of a child: `properties[key]` for objects, `items` for arrays. */
function childSchema(schema: unknown, key: string | number): unknown {
  if (!isRecord(schema)) return undefined;
  if (typeof key === "number") return schema.items;
  return isRecord(schema.properties) ? schema.properties[key] : undefined;
}

/**
 * The value with its last string leaf completed from the enum, or null when there is no single
 * allowed completion.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(completeCutString('{"genre":"Electro', { properties: { genre: { enum: ["Electropop", "Rock"] } } }), { genre: "Electropop" });
 * ```
 */
export function completeCutString(text: string, schema: unknown): Record<string, unknown> | null {
  const repaired = repairText(unfence(text).trim());
  if (repaired === null) return null;
  const root: unknown = JSON.parse(repaired);
  if (!isRecord(root)) return null;
  let parent: Record<string, unknown> | unknown[] = root;
  let key: string | number = "";
  let sub: unknown = schema;
  for (;;) {
    const keys: (string | number)[] = Array.isArray(parent)
      ? parent.map((_, i) => i)
      : Object.keys(parent);
    const last = keys[keys.length - 1];
    if (last === undefined) return null;
    key = last;
    sub = childSchema(sub, key);
    const child: unknown = Array.isArray(parent) ? parent[key as number] : parent[key as string];
    if (typeof child === "string") {
      const options = isRecord(sub) && Array.isArray(sub.enum) ? sub.enum : [];
      const hits = options.filter((o): o is string => typeof o === "string" && o.startsWith(child));
      if (hits.length !== 1) return null;
      if (Array.isArray(parent)) parent[key as number] = hits[0];
      else parent[key as string] = hits[0];
      return root;
    }
    if (!Array.isArray(child) && !isRecord(child)) return null;
    parent = child;
  }
}
