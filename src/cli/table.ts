/**
 * Readable aligned tables for the admin CLI.
 * @module
 */

/** Longest cell shown; longer text is cut with an ellipsis. */
const MAX_CELL = 60;

/**
 * One cell as a single line: control characters escaped, long text cut.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(cell("a\nb"), "a\\nb");
 * ```
 */
export function cell(value: unknown): string {
  const text = value === null || value === undefined ? "-" : String(value);
  const line = text.replace(
    /\p{Cc}/gu,
    (c) =>
      c === "\n"
        ? "\\n"
        : c === "\t"
        ? "\\t"
        : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return line.length > MAX_CELL ? `${line.slice(0, MAX_CELL - 1)}…` : line;
}

/**
 * Rows under a header, columns padded to their widest cell, two spaces apart.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(formatTable(["ID", "MATCH"], [[1, "colour"]]), "ID  MATCH\n1   colour\n");
 * ```
 */
export function formatTable(header: readonly string[], rows: readonly unknown[][]): string {
  const lines = [header.map(cell), ...rows.map((r) => r.map(cell))];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => [...(l[i] ?? "")].length)));
  return lines.map((l) =>
    l.map((c, i) => i === l.length - 1 ? c : c.padEnd(widths[i] ?? 0)).join("  ").trimEnd() + "\n"
  ).join("");
}
