/**
 * Tool-call arguments: make them a JSON object (syntax repair) and fit them to the tool's schema
 * (safe coercions), reporting each step as detections.
 * @module
 */
import type { Detection } from "../detection.ts";
import { completeCutString } from "./complete.ts";
import { type CallEnd, type JsonRead, readJson } from "./json_text.ts";
import { checkSchema, type SchemaIssue } from "./schema.ts";

/** Repaired arguments: the new text (null when unchanged) and what was found on the way. */
export interface ArgumentsRepair {
  /** Compact JSON of the fixed arguments, or null when the original text stays. */
  text: string | null;
  /** The arguments as an object when they could be read as one. */
  value: Record<string, unknown> | null;
  detections: Detection[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function detection(
  type: string,
  found: string,
  replacement: string | null,
  confidence: number,
  reason: string,
): Detection {
  return { type, start: 0, end: 0, found, replacement, confidence, reason };
}

const describe = (issues: readonly SchemaIssue[]) =>
  issues.map((i) => `${i.path === "" ? "arguments" : `"${i.path}"`}: ${i.detail}`).join("; ");

/** Read arguments text; a text cut inside a string may be completed from the schema's enum. */
function readArguments(
  original: string,
  schema: Record<string, unknown> | undefined,
  end: CallEnd,
): JsonRead {
  if (original.trim() === "") {
    return { kind: "repaired", value: {}, confidence: 0.9, reason: "empty arguments" };
  }
  const read = readJson(original, 0, end);
  if (read.kind !== "broken" || read.cutInString !== true || schema === undefined) return read;
  const completed = completeCutString(original, schema);
  if (completed === null) return read;
  return {
    kind: "repaired",
    value: completed,
    confidence: 0.8,
    reason: "cut off inside a string: completed to the only allowed value",
  };
}

/**
 * The arguments inside a whole call sent as arguments (`{"name": "x", "arguments": {...}}`), when
 * the schema declares neither `arguments` nor `parameters`; else null.
 */
function envelopeArguments(value: Record<string, unknown>, schema: Record<string, unknown>) {
  const props = isRecord(schema.properties) ? schema.properties : {};
  const key = ["arguments", "parameters"].find((k) => Object.hasOwn(value, k));
  if (
    key === undefined || Object.hasOwn(props, "arguments") || Object.hasOwn(props, "parameters")
  ) {
    return null;
  }
  const rest = Object.keys(value).filter((k) => k !== key);
  if (!rest.every((k) => (k === "name" || k === "type") && !Object.hasOwn(props, k))) return null;
  const inner = value[key];
  const read = typeof inner === "string"
    ? readJson(inner)
    : { kind: "valid" as const, value: inner };
  return read.kind !== "broken" && isRecord(read.value) ? read.value : null;
}

/** Read arguments, unwrapping a whole call sent as arguments. */
function readUnwrapped(
  original: string,
  schema: Record<string, unknown> | undefined,
  end: CallEnd,
): JsonRead {
  const read = readArguments(original, schema, end);
  if (read.kind === "broken" || !isRecord(read.value) || schema === undefined) return read;
  const inner = envelopeArguments(read.value, schema);
  if (inner === null) return read;
  return {
    kind: "repaired",
    value: inner,
    confidence: 0.85,
    reason: "the whole call was sent as arguments",
  };
}

/**
 * Repair the syntax of arguments text and check it against `schema` (when given).
 * Valid arguments that fit the schema give `text: null` and no detections. `end` says whether
 * the upstream hit its token limit (`limit`: cut arguments are flagged, never completed) or the
 * model ended the call (`model`: a missing closing quote or bracket is completed).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const schema = { type: "object", properties: { n: { type: "integer" } } };
 * const repaired = repairArguments("{'n': '5'}", schema);
 * assert.equal(repaired.text, '{"n":5}');
 * assert.deepEqual(repaired.detections.map((d) => d.type), ["malformed_arguments", "schema_mismatch"]);
 * ```
 */
export function repairArguments(
  original: string,
  schema: Record<string, unknown> | undefined,
  end: CallEnd = "unknown",
): ArgumentsRepair {
  const detections: Detection[] = [];
  const read = readUnwrapped(original, schema, end);
  if (read.kind === "broken" || !isRecord(read.value)) {
    const why = read.kind === "broken" ? read.reason : "arguments are not a JSON object";
    detections.push(detection("malformed_arguments", original, null, 0.9, why));
    return { text: null, value: null, detections };
  }
  let value = read.value;
  let text: string | null = null;
  if (read.kind === "repaired") {
    text = JSON.stringify(value);
    detections.push(detection("malformed_arguments", original, text, read.confidence, read.reason));
  }
  if (schema === undefined) return { text, value, detections };
  const checked = checkSchema(value, schema);
  const before = text ?? original;
  if (checked.fixes.length > 0 && isRecord(checked.value)) {
    value = checked.value;
    text = JSON.stringify(value);
    detections.push(detection("schema_mismatch", before, text, 0.85, describe(checked.fixes)));
  }
  const missing = checked.problems.filter((p) => p.kind === "missing");
  const wrong = checked.problems.filter((p) => p.kind !== "missing");
  if (wrong.length > 0) {
    detections.push(detection("schema_mismatch", text ?? original, null, 0.8, describe(wrong)));
  }
  for (const m of missing) {
    detections.push(
      detection(
        "missing_required",
        text ?? original,
        null,
        0.9,
        `required parameter "${m.path}" is missing`,
      ),
    );
  }
  return { text, value, detections };
}
