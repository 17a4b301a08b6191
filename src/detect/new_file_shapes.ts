/**
 * Shapes that introduce a file as new whatever the words around it: a diff that creates it, a
 * git status or commit line that adds it, a label followed by the file's content (a heading, a
 * comment header, a fence title), a table column of new files, and a name derived from a real
 * sibling's name. Used by `path_intent.ts` next to its prose cues.
 * @module
 */
import type { WorkspaceIndex } from "../workspace/types.ts";
import type { Occurrence } from "./path_intent.ts";
import { lineEndNear, lineStartNear } from "../text/lines.ts";

/** The line holding `at`, and where it starts and ends. */
function lineAt(text: string, at: number): { start: number; end: number; line: string } {
  const start = lineStartNear(text, at);
  const end = lineEndNear(text, at);
  return { start, end, line: text.slice(start, end) };
}

/** Up to `n` lines before (`dir` -1) or after (`dir` 1) the line `[start, end)`. */
function neighbours(text: string, start: number, end: number, dir: 1 | -1, n: number): string[] {
  const out: string[] = [];
  let s = start;
  let e = end;
  for (let k = 0; k < n; k++) {
    if (dir === -1) {
      if (s === 0) break;
      e = s - 1;
      s = lineStartNear(text, e);
    } else {
      if (e >= text.length) break;
      s = e + 1;
      e = lineEndNear(text, s);
    }
    out.push(text.slice(s, e));
  }
  return out;
}

/** A header line of a diff (git, unified, SVN). */
const DIFF_HEADER = /^\s*(?:\+\+\+|---|diff --git|Index:)\s/;
/** A header line saying the file did not exist before. */
const CREATED =
  /^\s*(?:---\s+(?:\/dev\/null\b|\S+\s+\((?:nonexistent|revision 0)\))|new file mode\b|@@ -0,0 )/;

/**
 * The path sits in the header of a diff that creates the file: a header line (`+++ b/x`,
 * `diff --git a/x b/x`, `Index: x`) in a header whose old side is `/dev/null` or
 * `(nonexistent)`, that says `new file mode`, or whose first hunk starts at `-0,0`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = "--- /dev/null\n+++ b/src/x.ts\n";
 * const at = text.indexOf("b/src/x.ts");
 * assert.equal(diffCreates(text, { runStart: at, runEnd: at + 10 }), true);
 * ```
 */
export function diffCreates(text: string, o: Occurrence): boolean {
  const { start, end, line } = lineAt(text, o.runStart);
  if (!DIFF_HEADER.test(line)) return false;
  if (CREATED.test(line)) return true;
  for (const dir of [-1, 1] as const) {
    for (const other of neighbours(text, start, end, dir, 4)) {
      if (CREATED.test(other)) return true;
      // Another file's header, or the hunk body: this header ends there.
      if (/^\s*(?:diff --git|Index:)\s/.test(other) || /^\s*@@ /.test(other)) break;
      if (
        !DIFF_HEADER.test(other) &&
        !/^\s*(?:index |new file|deleted file|old mode|new mode|similarity|rename|={5,})/.test(
          other,
        )
      ) break;
    }
  }
  return false;
}

/**
 * The path is listed as added by git: `A  x`, `?? x`, `new file:   x` (status) or
 * `create mode 100644 x` (commit), alone on its line.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = "?? src/x.ts";
 * const at = text.indexOf("src/x.ts");
 * assert.equal(gitAdds(text, { runStart: at, runEnd: at + 8 }), true);
 * ```
 */
export function gitAdds(text: string, o: Occurrence): boolean {
  const { start, line } = lineAt(text, o.runStart);
  const before = line.slice(0, o.runStart - start);
  const after = text.slice(o.runEnd, start + line.length);
  return /^\s*(?:A[ MD]?|\?\?|new file:|create mode \d+)\s+["']?$/.test(before) &&
    /^["']?\s*$/.test(after);
}

/** What may be appended to a real file's stem to name a sibling: `_v2`, `.spec`, `2`, `Service`. */
const SUFFIX = /^(?:[_.-][A-Za-z0-9][\w.-]*|\d+|[A-Z][A-Za-z0-9]+)$/;

/**
 * A name derived from a real file in the same directory: the real stem plus a suffix (`x_v2.ts`,
 * `x.spec.ts`, `x2.ts`, `userService.ts` next to `user.ts`). Such a name is a new sibling, not a
 * misspelling: a typo changes letters inside a name, it does not append a word. Returns the real
 * file it is derived from (the longest such stem), or null.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Snapshot } from "../workspace/snapshot.ts";
 * const index = new Snapshot(["/w"], {
 *   files: [["src/app.ts"]],
 *   dirs: [["src"]],
 *   opaque: [[]],
 *   truncated: false,
 * });
 * assert.equal(derivedName("src/app_v2.ts", index), "src/app.ts");
 * assert.equal(derivedName("src/aap.ts", index), null);
 * ```
 */
export function derivedName(path: string, index: WorkspaceIndex): string | null {
  const slash = path.lastIndexOf("/");
  const dir = path.slice(0, slash + 1);
  if (slash > 0 && !index.exists(path.slice(0, slash))) return null;
  const base = path.slice(slash + 1);
  const last = base.lastIndexOf(".");
  if (last <= 0) return null;
  const ext = base.slice(last);
  const stem = base.slice(0, last);
  for (let k = stem.length - 1; k >= 2; k--) {
    const real = dir + stem.slice(0, k) + ext;
    if (SUFFIX.test(stem.slice(k)) && index.exists(real)) return real;
  }
  return null;
}

/** A short "Key: value" line between a label and its block (`Status: new`). */
const META_LINE = /^[ \t>]*[*_]*[A-Za-z][\w -]{0,20}[*_]*:[ \t]*\S[^\n]{0,40}$/;

/**
 * The path ends its line (perhaps with a remark, closing markup such as `-->` or `</summary>`, or
 * a sentence ending in `:`) and a code fence comes next (in a quote too; up to two short
 * `Key: value` lines between): the block is its content.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = "## src/x.ts\n\n~~~ts\nexport {};\n~~~";
 * const at = text.indexOf("src/x.ts");
 * assert.equal(labelsBlock(text, { runStart: at, runEnd: at + 8 }), true);
 * ```
 */
export function labelsBlock(text: string, o: Occurrence): boolean {
  return blockAfterLabel(text, o, true) === "block";
}

/**
 * While streaming: the path may still turn out to label a block (or head a diff) because the
 * lines that decide it have not all arrived.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = "## src/x.ts\n";
 * const at = text.indexOf("src/x.ts");
 * assert.equal(labelPending(text, { runStart: at, runEnd: at + 8 }), true);
 * ```
 */
export function labelPending(text: string, o: Occurrence): boolean {
  const { start, end } = lineAt(text, o.runStart);
  if (end === text.length) return false;
  if (DIFF_HEADER.test(text.slice(start, o.runStart))) {
    return neighbours(text, start, end, 1, 4).length < 4;
  }
  return blockAfterLabel(text, o, false) === "undecided";
}

/** After a path: only closing marks, a remark or a sentence ending in ":", naming no other path. */
const LABEL_REST =
  /^[`"'*_\])]*(?:<\/\w+>)*[^\w\n(]{0,8}\s*(?:\([^)\n]{0,30}\))?\s*(?:[^\n]{0,100}[:：])?\s*$/;

/**
 * What follows a path that ends its line (see {@link LABEL_REST}): a fence ("block"), something
 * else ("none"), or not known yet ("undecided": the text ends first; only when `final` is false).
 */
function blockAfterLabel(text: string, o: Occurrence, final: boolean) {
  // A label's line is short: a line end not found nearby means no label.
  const lineEnd = lineEndNear(text, o.runEnd);
  if (lineEnd === text.length) return final ? "none" : "undecided";
  if (text.charCodeAt(lineEnd) !== 10) return "none";
  const rest = text.slice(o.runEnd, lineEnd);
  if (!LABEL_REST.test(rest) || /\w[\/\\]\w|\w\.[a-z]{1,4}\b/i.test(rest)) return "none";
  const lines = text.slice(lineEnd + 1, lineEnd + 400).split("\n");
  // The last piece has no line end yet: while streaming it may still become anything.
  const complete = final ? lines : lines.slice(0, -1);
  let meta = 0;
  for (const line of complete) {
    if (/^[ \t>]*(`{3,}|~{3,})/.test(line)) return "block";
    if (/^[ \t>]*$/.test(line)) continue;
    if (!META_LINE.test(line) || ++meta > 2) return "none";
  }
  return final ? "none" : "undecided";
}

/**
 * A fence title (`title="x"`, `filename=x`, the info string itself) or a comment alone on the
 * block's first line (`// src/x.ts`, `# file: x`, `// ---- x ----`, `// @file x`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = "~~~ts\n// src/x.ts\nexport {};\n~~~";
 * const at = text.indexOf("src/x.ts");
 * assert.equal(fileHeader(text, { runStart: at, runEnd: at + 8 }), true);
 * ```
 */
export function fileHeader(text: string, o: Occurrence): boolean {
  const lineStart = lineStartNear(text, o.runStart);
  const prefix = text.slice(lineStart, o.runStart);
  if (/^\s*(`{3,}|~{3,})[\w+-]*[\s:]*((title|filename|file|name|path)=)?["']?$/.test(prefix)) {
    return true;
  }
  // A comment marker, perhaps a decoration (`// ---- x ----`) and a label (`# file: x`).
  const label =
    /^\s*(\/\/|#|--|\/\*|<!--|;)\s*([-=*~#]+\s*)?(@(file|module|filename)\s+|(new\s+)?[a-z][\w ]{0,15}:\s*)?$/i;
  if (!label.test(prefix)) return false;
  const prevStart = lineStartNear(text, lineStart - 1);
  return lineStart > 0 && /^\s*(`{3,}|~{3,})/.test(text.slice(prevStart, lineStart - 1));
}

/** The cells of a Markdown table row (outer pipes dropped). */
const cells = (row: string) => row.trim().replace(/^\||\|$/g, "").split("|");

/**
 * The path sits in a table column whose header calls its files new ("New file", "Added",
 * "Files to create").
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = "| New file |\n|---|\n| src/x.ts |";
 * const at = text.indexOf("src/x.ts");
 * assert.equal(tableColumnSaysNew(text, { runStart: at, runEnd: at + 8 }), true);
 * ```
 */
export function tableColumnSaysNew(text: string, o: Occurrence): boolean {
  const { start, line } = lineAt(text, o.runStart);
  if (!line.trimStart().startsWith("|")) return false;
  const column = (line.slice(0, o.runStart - start).match(/\|/g)?.length ?? 0) - 1;
  let end = start - 1;
  for (let k = 0; k < 50 && end > 0; k++) {
    const rowStart = lineStartNear(text, end);
    const row = text.slice(rowStart, end);
    if (!row.trimStart().startsWith("|")) return false;
    if (/^\s*\|?\s*:?-{2,}/.test(row)) {
      const header = text.slice(lineStartNear(text, rowStart - 1), rowStart - 1);
      const cell = cells(header)[column] ?? "";
      return /\b(?:new|added|create[sd]?|to (?:add|create))\b/i.test(cell);
    }
    end = rowStart - 1;
  }
  return false;
}

/** A key whose value lists files to create (`"create": ["x"]`, `new_files: [x]`). */
const CREATE_KEY =
  /["']?\b(?:create|created|new|add|added|new_?files?|files_?to_?(?:create|add)|to_?create)["']?\s*[:=]\s*\[?\s*(?:["'][^"'\n]*["']\s*,\s*)*["']?$/i;
/** A sibling key saying what happens to the entry (`action: create`). */
const CREATE_ACTION =
  /^\s*(?:-\s+)?["']?(?:action|op|operation|type|status|change|mode)["']?\s*[:=]\s*["']?(?:create|add|added|new)\b/i;

/**
 * The path is a value in a structured plan (YAML, JSON) that says it is created: under a key such
 * as `create` / `new_files`, or with a sibling `action: create` next to its `path:` entry.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = '{"create": ["src/x.ts"]}';
 * const at = text.indexOf("src/x.ts");
 * assert.equal(planSaysNew(text, { runStart: at, runEnd: at + 8 }), true);
 * ```
 */
export function planSaysNew(text: string, o: Occurrence): boolean {
  const { start, end, line } = lineAt(text, o.runStart);
  const before = line.slice(0, o.runStart - start);
  if (CREATE_KEY.test(before)) return true;
  // `{"path": "x", "op": "add"}`: the action on the same line.
  const after = line.slice(o.runEnd - start).replace(/^["']?\s*,\s*/, "");
  if (
    !/(?:^\s*(?:-\s+)?|[{,]\s*)["']?(?:path|file|filename|target|name)["']?\s*[:=]\s*["']?$/i.test(
      before,
    )
  ) {
    return false;
  }
  return [after, ...neighbours(text, start, end, -1, 2), ...neighbours(text, start, end, 1, 2)]
    .some((other) => CREATE_ACTION.test(other));
}

/** Status words that mark an entry as new in terse lists (`NEW x`, `x [new]`, `create  x`). */
const STATUS_NEW = /^(?:new|added|add|create|created|creating|generated|untracked)$/i;

/**
 * The path's line holds nothing but the path and one or two status words saying it is new, in
 * whatever markup (`NEW x`, `x [new]`, `create  x` from a generator, `| create | x |`, `x ✨ new`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = "src/x.ts [new]";
 * const at = text.indexOf("src/x.ts");
 * assert.equal(statusLineSaysNew(text, { runStart: at, runEnd: at + 8 }), true);
 * ```
 */
export function statusLineSaysNew(text: string, o: Occurrence): boolean {
  const { start, line } = lineAt(text, o.runStart);
  const rest = `${line.slice(0, o.runStart - start)} ${line.slice(o.runEnd - start)}`;
  const words = rest.replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").filter((w) => w !== "");
  return words.length > 0 && words.length <= 2 && words.every((w) => STATUS_NEW.test(w));
}
