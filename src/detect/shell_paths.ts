/**
 * Paths inside shell commands given to a shell tool (`{"command": "cat src/mian.ts"}`,
 * `{"command": ["cat", "src/mian.ts"]}`, `["bash", "-lc", "head src/x.ts"]`): every path-like
 * argument is judged like a path in text, quoted or not; a path the command writes (`touch x`,
 * `> x`, the target of `cp`) may be new when its directory exists.
 * @module
 */
import type { DetectContext, Detection } from "../detection.ts";
import { judgePath } from "../workspace/judge.ts";
import { extractPathTokens } from "../workspace/tokens.ts";
import { commandWrites } from "./path_intent.ts";

/** Tools that run shell commands (Codex `shell`, `bash`, `run_command`, `exec`, terminals). */
export const SHELL_TOOL = /shell|bash|\bsh\b|zsh|exec|command|terminal|console|powershell|run/i;
/** Keys holding a command line in any tool. */
export const COMMAND_KEYS = /^(command|cmd|commands|shell_command|argv)$/i;
/** Keys holding a command line in a shell tool. */
export const SHELL_ARG_KEYS = /^(args|arguments|input|script|code)$/i;

/**
 * The command string with its wrong paths fixed, and the detections.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectContext } from "./context.ts";
 * import { Snapshot } from "../workspace/snapshot.ts";
 * const files = [["src/app.ts"]];
 * const workspace = new Snapshot(["/w"], {
 *   files,
 *   dirs: [["src"]],
 *   opaque: [[]],
 *   truncated: false,
 * });
 * const fixed = fixCommand("cat src/App.ts", detectContext({ workspace }));
 * assert.equal(fixed.text, "cat src/app.ts");
 * assert.deepEqual(fixed.detections.map((d) => d.type), ["invalid_path"]);
 * ```
 */
export function fixCommand(
  command: string,
  ctx: DetectContext,
): { text: string; detections: Detection[] } {
  const detections: Detection[] = [];
  let out = "";
  let pos = 0;
  for (const token of extractPathTokens(command)) {
    const verdict = judgePath(token.path, ctx);
    if (verdict.kind === "ok") continue;
    if (commandWrites(command, token)) {
      const slash = token.path.lastIndexOf("/");
      if (slash <= 0 || ctx.workspace?.exists(token.path.slice(0, slash))) continue;
    }
    const replacement = verdict.kind === "fix"
      ? token.windows === true ? verdict.replacement.replaceAll("/", "\\") : verdict.replacement
      : null;
    detections.push({
      type: verdict.kind === "fix" ? "invalid_path" : "fabricated_path",
      start: token.start,
      end: token.end,
      found: token.path,
      replacement,
      confidence: verdict.confidence,
      reason: verdict.reason,
    });
    if (replacement !== null) {
      out += command.slice(pos, token.start) + replacement;
      pos = token.end;
    }
  }
  return { text: out + command.slice(pos), detections };
}

/**
 * A command given as argv (an array of strings): each element is fixed on its own, with the
 * whole line in view (so `cp a b` knows `b` is written).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectContext } from "./context.ts";
 * import { Snapshot } from "../workspace/snapshot.ts";
 * const files = [["src/app.ts"]];
 * const workspace = new Snapshot(["/w"], {
 *   files,
 *   dirs: [["src"]],
 *   opaque: [[]],
 *   truncated: false,
 * });
 * assert.deepEqual(fixArgv(["cat", "src/App.ts"], detectContext({ workspace })).argv, [
 *   "cat",
 *   "src/app.ts",
 * ]);
 * ```
 */
export function fixArgv(
  argv: readonly unknown[],
  ctx: DetectContext,
): { argv: unknown[]; detections: Detection[] } {
  const line = argv.map((a) => (typeof a === "string" ? a : "")).join(" ");
  const fixed = fixCommand(line, ctx);
  if (fixed.detections.length === 0) return { argv: [...argv], detections: [] };
  const out: unknown[] = [];
  let offset = 0;
  for (const a of argv) {
    if (typeof a !== "string") {
      out.push(a);
      offset += 1;
      continue;
    }
    const end = offset + a.length;
    let text = "";
    let pos = offset;
    for (const d of fixed.detections) {
      if (d.start < offset || d.end > end || d.replacement === null) continue;
      text += line.slice(pos, d.start) + d.replacement;
      pos = d.end;
    }
    out.push(text + line.slice(pos, end));
    offset = end + 1;
  }
  return { argv: out, detections: fixed.detections };
}
