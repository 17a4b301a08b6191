/**
 * Repair a whole answer that the request asked to be JSON (`format: "json"`, a schema, or
 * `response_format`): fences and surrounding prose stripped, syntax repaired, schema checked with
 * the same safe coercions as tool arguments. Valid JSON that fits comes out unchanged.
 * @module
 */
import type { Detection } from "../detection.ts";
import type { JsonFormat } from "./offered.ts";
import { type JsonRead, jsonValueEnd, readJson, unfence } from "./json_text.ts";
import { checkSchema, type SchemaIssue } from "./schema.ts";

/** The answer to send and what was found. */
export interface JsonOutputRepair {
  text: string;
  detections: Detection[];
}

/** The JSON document inside prose: from the first `{` or `[` to its matching closer (or the end). */
function extract(text: string): string {
  const body = unfence(text);
  const start = body.search(/[{[]/);
  if (start < 0) return body;
  const end = jsonValueEnd(body, start);
  return body.slice(start, end === -1 ? body.length : end);
}

const isContainer = (v: unknown) => typeof v === "object" && v !== null;

/** Valid JSON as is; otherwise a repaired object or array (prose is never turned into a string). */
function read(text: string): JsonRead {
  const direct = readJson(text);
  if (direct.kind === "valid" || (direct.kind === "repaired" && isContainer(direct.value))) {
    return direct;
  }
  const inner = extract(text);
  const again = inner === text ? direct : readJson(inner);
  if (again.kind === "broken") return again;
  if (!isContainer(again.value)) return { kind: "broken", reason: "no JSON object or array found" };
  return again.kind === "valid"
    ? { kind: "repaired", value: again.value, confidence: 0.85, reason: "JSON wrapped in prose" }
    : again;
}

const describe = (issues: readonly SchemaIssue[]) =>
  issues.map((i) => `${i.path === "" ? "document" : `"${i.path}"`}: ${i.detail}`).join("; ");

function detection(
  text: string,
  replacement: string | null,
  confidence: number,
  reason: string,
): Detection {
  return {
    type: "invalid_json_output",
    start: 0,
    end: text.length,
    found: text,
    replacement,
    confidence,
    reason,
  };
}

/**
 * Repair a JSON answer. A fix is a detection with the new text as replacement; what cannot be
 * fixed (unrepairable syntax, content lost to truncation, schema problems such as a missing
 * required field) is a detection with replacement null.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const fence = "`".repeat(3);
 * const answer = `${fence}json\n{"a": 1,}\n${fence}`;
 * assert.equal(repairJsonOutput(answer, { schema: null }).text, '{\n  "a": 1\n}');
 * assert.deepEqual(repairJsonOutput('{"a":1}', { schema: null }).detections, []);
 * ```
 */
export function repairJsonOutput(text: string, format: JsonFormat): JsonOutputRepair {
  const r = read(text);
  if (r.kind === "broken") {
    return { text, detections: [detection(text, null, 0.9, `not valid JSON: ${r.reason}`)] };
  }
  const detections: Detection[] = [];
  let value = r.value;
  const reasons = r.kind === "repaired" ? [r.reason] : [];
  let confidence = r.kind === "repaired" ? r.confidence : 0.85;
  if (format.schema !== null) {
    const checked = checkSchema(value, format.schema);
    if (checked.fixes.length > 0) {
      value = checked.value;
      reasons.push(describe(checked.fixes));
      confidence = Math.min(confidence, 0.85);
    }
    if (checked.problems.length > 0) {
      detections.push(
        detection(text, null, 0.8, `does not match the schema: ${describe(checked.problems)}`),
      );
    }
  }
  if (reasons.length === 0) return { text, detections };
  const fixed = text.trim().includes("\n") ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  return {
    text: fixed,
    detections: [detection(text, fixed, confidence, reasons.join("; ")), ...detections],
  };
}
