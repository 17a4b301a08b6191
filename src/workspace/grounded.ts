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
/** Most parent directories and most trailing sub-paths grounded per path. */
const MAX_PARTS = 16;
/** Most grounded entries per request (a bound on memory for bodies full of distinct paths). */
const MAX_GROUNDED = 200_000;

/** The state of one request's scan. */
interface Scan {
  out: Set<string>;
  /** Paths already added with their parts. */
  done: Set<string>;
  /** Characters still to scan. */
  left: number;
}

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
  const scan: Scan = { out: new Set(), done: new Set(), left: MAX_SCAN_CHARS };
  visit(body, scan, 0);
  return scan.out;
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

function visit(value: unknown, scan: Scan, depth: number): void {
  if (depth > 64 || scan.left <= 0) return;
  if (typeof value === "string") {
    const text = value.length > scan.left ? value.slice(0, scan.left) : value;
    scan.left -= text.length;
    for (const token of extractPathTokens(text)) addWithParts(token.path, scan);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) visit(item, scan, depth + 1);
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (!BINARY_KEYS.has(key)) visit(item, scan, depth + 1);
    }
  }
}

/**
 * Add a path, its parent directories and its trailing sub-paths: the first and last
 * {@link MAX_PARTS} of each, so a path of many segments costs no more than one of 16, and nothing
 * once the set holds {@link MAX_GROUNDED} entries.
 */
function addWithParts(path: string, scan: Scan): void {
  const { out, done } = scan;
  if (out.size >= MAX_GROUNDED || done.has(path)) return;
  done.add(path);
  const clean = path.endsWith("/") ? path.slice(0, -1) : path;
  out.add(clean);
  let slash = clean.length;
  for (let n = 0; n < MAX_PARTS && (slash = clean.lastIndexOf("/", slash - 1)) >= 0; n++) {
    const suffix = clean.slice(slash + 1);
    if (suffix !== "" && suffix !== "..") out.add(suffix);
    if (slash === 0) break;
  }
  slash = -1;
  for (let n = 0; n < MAX_PARTS && (slash = clean.indexOf("/", slash + 1)) >= 0; n++) {
    const prefix = clean.slice(0, slash);
    if (prefix !== "" && prefix !== "..") out.add(prefix);
  }
}
