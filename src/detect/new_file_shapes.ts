/**
 * Shapes that introduce a file as new whatever the words around it: a diff that creates it, a
 * git status or commit line that adds it, and a name derived from a real sibling's name. Used by
 * `path_intent.ts` next to its prose cues.
 * @module
 */
import type { WorkspaceIndex } from "../workspace/types.ts";
import type { Occurrence } from "./path_intent.ts";

/** The line holding `at`, and where it starts and ends. */
function lineAt(text: string, at: number): { start: number; end: number; line: string } {
  const start = text.lastIndexOf("\n", at - 1) + 1;
  const nl = text.indexOf("\n", at);
  const end = nl === -1 ? text.length : nl;
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
      s = text.lastIndexOf("\n", e - 1) + 1;
    } else {
      if (e >= text.length) break;
      s = e + 1;
      const nl = text.indexOf("\n", s);
      e = nl === -1 ? text.length : nl;
    }
    out.push(text.slice(s, e));
  }
  return out;
}

/**
 * The path sits in the header of a diff that creates the file: `+++ b/x` after `--- /dev/null`
 * or before `@@ -0,0 …`, or `diff --git a/x b/x` followed by `new file mode`.
 * @example
 * diffCreates("--- /dev/null\n+++ b/src/x.ts\n", { runStart: 20, runEnd: 28 }); // true
 */
export function diffCreates(text: string, o: Occurrence): boolean {
  const { start, end, line } = lineAt(text, o.runStart);
  if (/^\s*\+\+\+\s/.test(line)) {
    const [prev] = neighbours(text, start, end, -1, 1);
    const [next] = neighbours(text, start, end, 1, 1);
    return /^\s*---\s+\/dev\/null\b/.test(prev ?? "") || /^\s*@@ -0,0 /.test(next ?? "");
  }
  if (!/^\s*diff --git\s/.test(line)) return false;
  for (const next of neighbours(text, start, end, 1, 3)) {
    if (/^\s*new file mode\b/.test(next)) return true;
    if (/^\s*diff --git\s/.test(next)) return false;
  }
  return false;
}

/**
 * The path is listed as added by git: `A  x`, `?? x`, `new file:   x` (status) or
 * `create mode 100644 x` (commit), alone on its line.
 * @example
 * gitAdds("?? src/x.ts", { runStart: 3, runEnd: 11 }); // true
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
 * derivedName("src/app_v2.ts", index); // "src/app.ts" when that exists
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
