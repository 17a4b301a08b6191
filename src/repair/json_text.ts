/**
 * Turn the JSON-ish text a model wrote (single quotes, trailing commas, unquoted keys, Python
 * literals and repr, a fence around it, a JSON document inside a string, cut-off closers) into a
 * value, refusing when the text was cut where content may have been lost.
 * @module
 */
import { jsonrepair } from "jsonrepair";
import { endingOf } from "./truncation.ts";

/** The outcome of reading a JSON-ish text. */
export type JsonRead =
  /** Valid JSON as written. */
  | { kind: "valid"; value: unknown }
  /** Not valid JSON, but repaired safely. */
  | { kind: "repaired"; value: unknown; confidence: number; reason: string }
  /** Not valid JSON and no safe repair; `cutInString` when it was cut off inside a string. */
  | { kind: "broken"; reason: string; cutInString?: boolean };

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Python tuples `(1, 2)` as lists, outside strings. */
function tuplesToLists(text: string): string {
  let out = "";
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== "") {
      if (c === "\\") {
        out += c + (text[i + 1] ?? "");
        i++;
        continue;
      }
      if (c === quote) quote = "";
      out += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else out += c === "(" ? "[" : c === ")" ? "]" : c;
  }
  return out;
}

/**
 * Escape apostrophes inside single-quoted strings (`'McDonald's'`): a `'` that is not followed by
 * optional spaces and `,` `:` `}` `]` or the end does not close the string.
 */
function escapeApostrophes(text: string): string {
  if (!text.includes("'")) return text;
  let out = "";
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "") {
      if (c === '"' || c === "'") quote = c;
    } else if (c === "\\") {
      out += c + (text[i + 1] ?? "");
      i++;
      continue;
    } else if (c === quote) {
      if (quote === "'" && !/^\s*(?:[,:}\]]|$)/.test(text.slice(i + 1, i + 40))) {
        out += "\\'";
        continue;
      }
      quote = "";
    }
    out += c;
  }
  return out;
}

/**
 * Offset just past the JSON value opening at `from` (`{` or `[`), or -1 while it is unclosed.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(jsonValueEnd('x {"a":"}"} y', 2), 11);
 * ```
 */
export function jsonValueEnd(text: string, from: number): number {
  let depth = 0;
  let quote = "";
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== "") {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"') quote = c;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The body of a Markdown code fence wrapping the whole text, else the text. */
export function unfence(text: string): string {
  const m = /^\s*(`{3,}|~{3,})[\w-]*[^\S\n]*\n([\s\S]*?)\n?[^\S\n]*\1\s*$/.exec(text);
  return m ? m[2]! : text;
}

/**
 * Repair with jsonrepair (then with tuples as lists); null when both fail.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(repairText("{'a': (1, 2)}"), '{"a": [1, 2]}');
 * ```
 */
export function repairText(text: string): string | null {
  for (const candidate of [text, tuplesToLists(text)]) {
    try {
      const repaired = jsonrepair(candidate);
      if (tryParse(repaired).ok) return repaired;
    } catch {
      // try the next candidate
    }
  }
  return null;
}

/** A parsed string that itself holds a JSON object or array is read once more. */
function unwrapString(read: JsonRead): JsonRead {
  if ((read.kind !== "valid" && read.kind !== "repaired") || typeof read.value !== "string") {
    return read;
  }
  const inner = read.value.trim();
  if (!/^[[{]/.test(inner)) return read;
  const again = readJson(inner, 1);
  if (again.kind === "broken") return read;
  return {
    kind: "repaired",
    value: again.value,
    confidence: 0.85,
    reason: "a JSON document was sent inside a JSON string",
  };
}

/**
 * Read a JSON-ish text. Valid JSON is returned as `valid`; a safe repair as `repaired`; a text cut
 * where content may be lost, or one nothing can repair, as `broken`. A JSON document wrapped in a
 * JSON string is unwrapped (one level). `end` says how the text ended (see {@link CallEnd}).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const read = readJson("{'a': True}");
 * assert.equal(read.kind, "repaired");
 * assert.deepEqual(read.kind === "repaired" && read.value, { a: true });
 * assert.deepEqual(readJson('{"a":30'), {
 *   kind: "broken",
 *   reason: "cut off: ends inside a number or word",
 *   cutInString: false,
 * });
 * ```
 */
/**
 * How the end of a call's arguments is to be read: `limit` when the upstream said the generation
 * hit its token limit (cut arguments are never completed), `model` when the model ended the call
 * itself (a missing closing quote or bracket is completed, after a number too), `unknown` else
 * (only closers after a complete value are added).
 */
export type CallEnd = "limit" | "model" | "unknown";

/** A JSON text cut inside a string or right after a number or a comma: closable by the model's own end. */
function completable(body: string, why: string): boolean {
  if (why === "ends inside a string" || why === "ends after a comma") return true;
  return why === "ends inside a number or word" &&
    /(?:^|[\s,:[{])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/.test(body);
}

export function readJson(text: string, depth = 0, end: CallEnd = "unknown"): JsonRead {
  const direct = tryParse(text);
  if (direct.ok) {
    const read: JsonRead = { kind: "valid", value: direct.value };
    return depth > 0 ? read : unwrapString(read);
  }
  const body = escapeApostrophes(unfence(text).trim());
  if (!/^[[{]/.test(body)) return { kind: "broken", reason: "not a JSON object or array" };
  const ending = endingOf(body);
  if (end === "limit" && ending.kind !== "complete") {
    const why = ending.kind === "lost" ? ending.why : "closing brackets missing";
    return {
      kind: "broken",
      reason: `cut off by the token limit (${why}): not completed`,
      cutInString: false,
    };
  }
  if (ending.kind === "lost" && !(end === "model" && completable(body, ending.why))) {
    return { kind: "broken", reason: `cut off: ${ending.why}`, cutInString: ending.inString };
  }
  const repaired = repairText(body);
  if (repaired === null) return { kind: "broken", reason: "not JSON and not repairable" };
  const value = JSON.parse(repaired) as unknown;
  const read: JsonRead = {
    kind: "repaired",
    value,
    confidence: ending.kind === "closable" ? 0.8 : ending.kind === "lost" ? 0.75 : 0.9,
    reason: ending.kind === "closable"
      ? "cut off after a complete value: closed the open brackets"
      : ending.kind === "lost"
      ? `the model ended the call ${ending.why.replace("ends ", "")}: closed it`
      : "not valid JSON: repaired the syntax",
  };
  return depth > 0 ? read : unwrapString(read);
}
