/**
 * Grounded paths: path-like tokens the client has already shown the model (messages, tool results,
 * earlier assistant turns, prompts). The `invalid_path` detector never flags them.
 * @module
 */
import { extractPathTokens } from "./tokens.ts";

/** Keys whose string values are binary payloads (base64 images, audio), never scanned. */
const BINARY_KEYS = new Set(["images", "image_url", "input_audio", "audio", "data"]);

/** Upper bound on scanned request text, so a huge body cannot stall the request side. */
const MAX_SCAN_CHARS = 8 * 1024 * 1024;

/**
 * Path-like tokens in a request body, normalized like the detector normalizes model text, plus
 * their parent directories and trailing sub-paths (so `/abs/proj/src/a.ts` grounds `src/a.ts`
 * and `a.ts`). Scans every string in the body: chat messages (string or array-of-parts content),
 * tool results, previous tool calls, Ollama `prompt`/`system`, OpenAI `prompt`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const g = groundedPaths({ messages: [{ role: "user", content: "fix ./src/app.ts:3" }] });
 * assert.equal(g.has("src/app.ts"), true);
 * assert.equal(g.has("app.ts"), true);
 * ```
 */
export function groundedPaths(body: unknown): Set<string> {
  const out = new Set<string>();
  const budget = { left: MAX_SCAN_CHARS };
  visit(body, out, budget, 0);
  return out;
}

/**
 * True when `path` (a normalized token) or its form without a trailing slash is grounded.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isGrounded(new Set(["src/lib"]), "src/lib/"), true);
 * ```
 */
export function isGrounded(grounded: ReadonlySet<string>, path: string): boolean {
  if (grounded.size === 0) return false;
  return grounded.has(path) || (path.endsWith("/") && grounded.has(path.slice(0, -1)));
}

function visit(value: unknown, out: Set<string>, budget: { left: number }, depth: number): void {
  if (depth > 64 || budget.left <= 0) return;
  if (typeof value === "string") {
    const text = value.length > budget.left ? value.slice(0, budget.left) : value;
    budget.left -= text.length;
    for (const token of extractPathTokens(text)) addWithParts(token.path, out);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) visit(item, out, budget, depth + 1);
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (!BINARY_KEYS.has(key)) visit(item, out, budget, depth + 1);
    }
  }
}

/** Add a path, its parent directories and its trailing sub-paths. */
function addWithParts(path: string, out: Set<string>): void {
  const clean = path.endsWith("/") ? path.slice(0, -1) : path;
  out.add(clean);
  const segments = clean.split("/");
  for (let k = 1; k < segments.length; k++) {
    const suffix = segments.slice(k).join("/");
    const prefix = segments.slice(0, k).join("/");
    if (suffix !== "" && suffix !== "..") out.add(suffix);
    if (prefix !== "" && prefix !== "..") out.add(prefix);
  }
}
