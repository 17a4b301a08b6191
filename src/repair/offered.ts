/**
 * What a request body offers and asks for: the tools the model may call, and whether the answer
 * must be JSON (optionally matching a schema). Reads OpenAI, Ollama and llama.cpp request shapes.
 * @module
 */
import type { OfferedTool } from "../detection.ts";

/** The answer must be a JSON document; with a schema it must also match that schema. */
export interface JsonFormat {
  /** JSON Schema of the answer (any dialect), or null when any JSON value is accepted. */
  schema: Record<string, unknown> | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One entry of `tools` / `functions`: `{type, function: {...}}` or the bare function object. */
function toolOf(entry: unknown): OfferedTool | null {
  if (!isRecord(entry)) return null;
  const fn = isRecord(entry.function) ? entry.function : entry;
  if (typeof fn.name !== "string" || fn.name === "") return null;
  const tool: OfferedTool = { name: fn.name };
  if (typeof fn.description === "string") tool.description = fn.description;
  const parameters = isRecord(fn.parameters)
    ? fn.parameters
    : isRecord(fn.input_schema)
    ? fn.input_schema
    : null;
  if (parameters) tool.parameters = parameters;
  return tool;
}

/**
 * The tools a request offers: OpenAI/Ollama `tools` (`{type:"function", function:{...}}`) and the
 * legacy OpenAI `functions` list. Entries without a name are skipped; duplicates keep the first.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(offeredTools({ tools: [{ type: "function", function: { name: "read_file" } }] }), [{ name: "read_file" }]);
 * ```
 */
export function offeredTools(body: unknown): OfferedTool[] {
  if (!isRecord(body)) return [];
  const out: OfferedTool[] = [];
  const seen = new Set<string>();
  for (const list of [body.tools, body.functions]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const tool = toolOf(entry);
      if (tool && !seen.has(tool.name)) {
        seen.add(tool.name);
        out.push(tool);
      }
    }
  }
  return out;
}

/** `response_format` of OpenAI (and llama-server's `{type:"json_object", schema}` variant). */
function fromResponseFormat(format: Record<string, unknown>): JsonFormat | null {
  if (format.type === "json_object") {
    return { schema: isRecord(format.schema) ? format.schema : null };
  }
  if (format.type === "json_schema") {
    const spec = isRecord(format.json_schema) ? format.json_schema : {};
    const schema = isRecord(spec.schema)
      ? spec.schema
      : isRecord(format.schema)
      ? format.schema
      : null;
    return { schema };
  }
  return null;
}

/**
 * Whether the request asks for a JSON answer: Ollama `format: "json"` or a schema object, OpenAI
 * `response_format` `json_object` / `json_schema`, llama.cpp `json_schema`. Null when it does not.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(requestedJsonFormat({ format: "json" }), { schema: null });
 * assert.deepEqual(requestedJsonFormat({ response_format: { type: "json_schema", json_schema: { schema: { type: "object" } } } }), { schema: { type: "object" } });
 * ```
 */
export function requestedJsonFormat(body: unknown): JsonFormat | null {
  if (!isRecord(body)) return null;
  if (body.format === "json") return { schema: null };
  if (isRecord(body.format)) return { schema: body.format };
  if (isRecord(body.response_format)) {
    const format = fromResponseFormat(body.response_format);
    if (format) return format;
  }
  if (isRecord(body.json_schema)) return { schema: body.json_schema };
  return null;
}
