/**
 * Model globs: `*` any run of characters, `?` one character, case-insensitive, whole name.
 * @module
 */

const cache = new Map<string, RegExp>();

/**
 * True when `model` matches `glob` (`qwen*`, `*coder*`, `llama3.?:8b`; `*` or empty matches all).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(modelMatches("qwen*", "Qwen2.5-Coder:7b"), true);
 * assert.deepEqual(modelMatches("*coder*", "llama3:8b"), false);
 * ```
 */
export function modelMatches(glob: string, model: string): boolean {
  if (glob === "" || glob === "*") return true;
  let regex = cache.get(glob);
  if (!regex) {
    const source = [...glob].map((c) =>
      c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")
    ).join("");
    regex = new RegExp(`^${source}$`, "is");
    if (cache.size > 1000) cache.clear();
    cache.set(glob, regex);
  }
  return regex.test(model);
}
