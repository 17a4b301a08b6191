/**
 * A correction record in a few readable words: the short before → after shown by the proxy's
 * log line, `hotpatch log` and `hotpatch demo`.
 * @module
 */
import type { CorrectionRecord } from "../types.ts";

/**
 * `text` as a quoted one-line string of at most `max` characters (the middle elided).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(quoteShort("a\nb", 10), '"a\\nb"');
 * ```
 */
export function quoteShort(text: string, max = 60): string {
  const one = JSON.stringify(text).slice(1, -1);
  if (one.length <= max) return `"${one}"`;
  const half = Math.floor((max - 1) / 2);
  return `"${one.slice(0, half)}…${one.slice(one.length - half)}"`;
}

/**
 * What a record changed, in one line: `"found" → "replacement"`, or what happened instead
 * (moved to reasoning, became a tool call, answer ended with what was cut, only recorded).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   describeChange({ found: "src/App.TS", replacement: "src/App.tsx", action: "corrected" }),
 *   '"src/App.TS" → "src/App.tsx"',
 * );
 * ```
 */
export function describeChange(
  r: Pick<CorrectionRecord, "found" | "replacement" | "action" | "contextAfter">,
  max = 60,
): string {
  const found = quoteShort(r.found, max);
  switch (r.action) {
    case "moved":
      return `${found} → moved to the reasoning channel`;
    case "converted":
      return `${found} → a real tool call`;
    case "ended": {
      const cut = r.contextAfter ? `, cut ${quoteShort(r.contextAfter, max)}` : "";
      return `${found} → answer ended here${cut}`;
    }
    case "detected":
      return r.replacement === null || r.replacement === r.found
        ? `${found} (recorded only)`
        : `${found} (recorded only; fix would be ${quoteShort(r.replacement, max)})`;
    default:
      return r.replacement === null ? found : `${found} → ${quoteShort(r.replacement, max)}`;
  }
}
