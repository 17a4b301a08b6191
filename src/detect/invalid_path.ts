/**
 * `invalid_path` / `fabricated_path`: file paths in answer text (prose, code spans, fences,
 * reasoning) and in tool-call arguments that do not exist under the workspace roots. A path is
 * fixed only when one real path is clearly meant; otherwise it is flagged without a fix. Grounded
 * paths (shown in the request), paths about to be created, URLs, globs, system paths and module
 * specifiers are left alone; without a workspace nothing is flagged.
 * @module
 */
import type { DetectContext, Detection, Detector } from "../detection.ts";
import { judgePath, type PathVerdict } from "../workspace/judge.ts";
import { extractPathTokens, isRunChar, type PathToken, runsFrom } from "../workspace/tokens.ts";
import { codeRanges, openInlineCode } from "../text/markdown.ts";
import { introducesNew } from "./path_intent.ts";
import { derivedName, labelPending } from "./new_file_shapes.ts";
import { COMMAND_KEYS, fixArgv, fixCommand, SHELL_ARG_KEYS, SHELL_TOOL } from "./shell_paths.ts";
import { lineStartNear } from "../text/lines.ts";

const TYPE = "invalid_path";
const FABRICATED = "fabricated_path";

/** How far after a path (same line) a "this is new" remark is looked for while streaming. */
const LOOKAHEAD = 60;

/** Scan results: complete detections and the earliest offset still undecided. */
interface Scan {
  detections: Detection[];
  hold: number;
}

/** A token whose path is not fine, with its verdict. */
interface Candidate {
  token: PathToken;
  verdict: Exclude<PathVerdict, { kind: "ok" }>;
}

/** The last scan: the corrector asks `holdFrom` and then `detect` about the same text and ctx. */
let lastScan: { text: string; ctx: DetectContext; scan: Scan } | null = null;

/**
 * One pass over the text; detect and holdFrom share it (memoized for the same text and ctx).
 * Paths that are not fine are then exempted when any occurrence of them (or of a parent
 * directory) in the text introduces them as new, so later mentions are left alone too.
 */
function scanText(text: string, ctx: DetectContext): Scan {
  if (ctx.workspace === null) return { detections: [], hold: text.length };
  if (lastScan !== null && lastScan.ctx === ctx && lastScan.text === text) return lastScan.scan;
  const scan: Scan = { detections: [], hold: ctx.final ? text.length : trailingRunStart(text) };
  // Only tokens starting in text not sent yet are judged: the runs before are skipped here and
  // read only as context when a token is not fine.
  const from = runsFrom(text, ctx.emitted);
  const tokens = extractPathTokens(text, from);
  const candidates: Candidate[] = [];
  for (const token of tokens) {
    if (token.runStart < ctx.emitted && token.start < ctx.emitted) continue;
    const verdict = judgeToken(text, token, ctx, scan);
    if (verdict !== null) candidates.push({ token, verdict });
  }
  if (candidates.length > 0) {
    const all = from === 0 ? tokens : extractPathTokens(text);
    const isNew = introducedPaths(text, all, candidates, ctx);
    for (const c of candidates) {
      if (!isNew(c.token.path)) report(text, c, ctx, scan);
    }
  }
  lastScan = { text, ctx, scan };
  return scan;
}

/** The verdict on one token, or null when it is fine (or undecided: then `scan.hold` moves). */
function judgeToken(
  text: string,
  token: PathToken,
  ctx: DetectContext,
  scan: Scan,
): Candidate["verdict"] | null {
  const rest = text.slice(token.runEnd, token.runEnd + 2);
  if (!ctx.final && /^[:\d]*$/.test(text.slice(token.runEnd, token.runEnd + 8))) {
    scan.hold = Math.min(scan.hold, token.runStart); // not ended by a delimiter yet
    return null;
  }
  // `git@host:owner/repo`: a remote; after "branch" or a git branch command: a branch name.
  const before = text.slice(Math.max(0, token.runStart - 100), token.runStart);
  if (/[\w.-]+@[\w.-]+:$|\b(?:branch|branches|tag)\s*[`"']?$/i.test(before)) return null;
  if (
    /\bgit\s+(?:switch|branch|merge|rebase|push|pull|fetch)\s+(?:-{1,2}[a-zA-Z][\w-]*\s+)*[`"']?$/
      .test(before)
  ) {
    return null;
  }
  // A method call such as response.json() (a link's text `[a.ts](…)` is no call).
  if (rest[0] === "(" && text[token.runEnd - 1] !== "]") return null;
  // `./x` is relative to some source file in an import, to the root in a link or a Windows path.
  const linked = text.startsWith("](", token.runStart - 2);
  const dotRelative = token.dotted && !linked && token.windows !== true ||
    relativeToSourceFile(text, token);
  const verdict = judgePath(token.path, ctx, { dotRelative });
  if (verdict.kind === "ok") return null;
  if (verdict.kind === "fabricated" && !verdict.anchored && importsHere(text, token)) return null;
  return verdict;
}

/**
 * A test for "introduced as new in this text": true for a path when one of its occurrences (or
 * one of a parent directory's) introduces it (see `introducesNew`).
 */
function introducedPaths(
  text: string,
  tokens: readonly PathToken[],
  candidates: readonly Candidate[],
  ctx: DetectContext,
): (path: string) => boolean {
  /** Wanted paths (candidates and their parents) → nothing real is close to them. */
  const wanted = new Map<string, boolean>();
  for (const c of candidates) {
    const parts = c.token.path.replace(/\/$/, "").split("/");
    // A name made from a real sibling's (`x_v2.ts` by `x.ts`) is as new as a made-up one,
    // unless another real file explains it better as a misspelling.
    const sibling = ctx.workspace === null ? null : derivedName(parts.join("/"), ctx.workspace);
    const fresh = c.verdict.kind === "fabricated" ||
      c.verdict.kind === "fix" && sibling !== null && c.verdict.replacement === sibling;
    for (let k = 1; k <= parts.length; k++) {
      const path = parts.slice(0, k).join("/");
      wanted.set(
        path,
        (wanted.get(path) ?? true) &&
          (k === parts.length ? fresh : c.verdict.kind === "fabricated"),
      );
    }
  }
  const code = codeRanges(text, ctx.state.fence);
  // An inline span still open at the end (a stream mid-line) is code too.
  const tick = ctx.final ? -1 : openInlineCode(text, ctx.state.fence);
  if (tick !== -1) code.push({ start: tick, end: text.length });
  const introduced = new Set<string>();
  for (const t of tokens) {
    const path = t.path.replace(/\/$/, "");
    const fabricated = wanted.get(path);
    if (fabricated === undefined || introduced.has(path)) continue;
    if (introducesNew(text, t, code, fabricated)) {
      introduced.add(path);
      // `b/src/x.ts` of a diff header introduces `src/x.ts` too.
      if (/^[ab]\//.test(path)) introduced.add(path.slice(2));
    }
  }
  return (path) => {
    const parts = path.replace(/\/$/, "").split("/");
    for (let k = 1; k <= parts.length; k++) {
      if (introduced.has(parts.slice(0, k).join("/"))) return true;
    }
    return false;
  };
}

/** Record the detection for a candidate, or hold it while a "(new file)" remark may follow. */
function report(text: string, c: Candidate, ctx: DetectContext, scan: Scan): void {
  const { token, verdict } = c;
  // Only the end of a streamed window can still change: a token far from it is decided (and
  // searching the rest of a long line for every token would be quadratic).
  if (!ctx.final && text.length - token.runEnd < 4 * LOOKAHEAD) {
    const lineEnd = text.indexOf("\n", token.runEnd);
    const open = lineEnd < 0 && text.length - token.runEnd < LOOKAHEAD;
    // A path ending its line may label a code block (or head a diff) whose next lines have not
    // arrived yet: wait for them.
    const label = lineEnd >= 0 && text.length - lineEnd < LOOKAHEAD * 4 &&
      labelPending(text, token);
    if (open || label) {
      scan.hold = Math.min(scan.hold, token.runStart);
      return;
    }
  }
  const replacement = verdict.kind === "fix"
    ? token.windows === true ? verdict.replacement.replaceAll("/", "\\") : verdict.replacement
    : null;
  scan.detections.push({
    type: verdict.kind === "fix" ? TYPE : FABRICATED,
    start: token.start,
    end: token.end,
    found: token.path,
    replacement,
    // Reasoning speculates ("maybe it is in src/x.ts?"): a made-up path there is weaker evidence.
    confidence: verdict.kind === "fabricated" && ctx.channel === "thinking"
      ? verdict.confidence * 0.8
      : verdict.confidence,
    reason: verdict.reason,
  });
}

/** `join(__dirname, "x/y.js")` and the like: relative to a source file we do not know. */
function relativeToSourceFile(text: string, token: PathToken): boolean {
  const lineStart = lineStartNear(text, token.runStart);
  const before = text.slice(Math.max(lineStart, token.runStart - 120), token.runStart);
  const lineEnd = text.indexOf("\n", token.runEnd);
  const after = text.slice(token.runEnd, lineEnd === -1 ? token.runEnd + 120 : lineEnd);
  return /__dirname|__filename|import\.meta|__file__|dirname\(|\.parent\b/.test(before) ||
    /^["'`]\s*,\s*import\.meta\.url\b/.test(after); // new URL("./x", import.meta.url)
}

/** The path is a module specifier (`from "pkg/dist/x.js"`, `require("pkg/x.js")`). */
function importsHere(text: string, token: PathToken): boolean {
  const lineStart = lineStartNear(text, token.runStart);
  const before = text.slice(Math.max(lineStart, token.runStart - 80), token.runStart);
  return /(\bfrom|\bimport|\brequire\(|\bimport\(|@import|\bsrc=|\bhref=)\s*["'`]?$/.test(before);
}

/** Start of a path-character run touching the end of the text (with a `:12` suffix), else length. */
function trailingRunStart(text: string): number {
  let i = text.length;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (!isRunChar(c) && c !== 58) break;
    i--;
  }
  return text.length - i > 300 ? text.length : i;
}

/**
 * The path detector: `invalid_path` (a clear fix exists) and `fabricated_path` (no real path is
 * close). Pure; reads `ctx.workspace`, `ctx.grounded` and `ctx.navigationFixes`.
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
 * const [d] = pathDetector.detect("see src/app.TS", detectContext({ workspace }));
 * assert.deepEqual([d?.type, d?.found, d?.replacement], [
 *   "invalid_path",
 *   "src/app.TS",
 *   "src/app.ts",
 * ]);
 * ```
 */
export const pathDetector: Detector = {
  type: TYPE,
  detect(text: string, ctx: DetectContext): Detection[] {
    try {
      return scanText(text, ctx).detections;
    } catch {
      return [];
    }
  },
  holdFrom(text: string, ctx: DetectContext): number {
    try {
      return scanText(text, ctx).hold;
    } catch {
      return text.length;
    }
  },
};

/** Argument keys that hold one path. */
const PATH_KEYS =
  /^(path|file|filepath|file_path|filename|file_name|target_file|targetfile|uri|dir|directory|dirpath|dir_path|relative_path|absolute_path|source_file|notebook_path)$/i;
/** Argument keys that hold a list of paths. */
const PATH_LIST_KEYS = /^(paths|files|file_paths|filepaths|filenames|uris)$/i;
/** Tools that make files: their target may not exist yet. */
const WRITE_TOOL = /write|create|save|new|mkdir|touch|put|upload/i;

/**
 * Check and fix the path arguments of one tool call. A write-type tool (name containing write,
 * create, save, new, mkdir, …) may name a file that does not exist when its parent directory
 * does; a wrong parent is fixed like any path. Command lines (`command`, `cmd`, `argv`; `args`,
 * `input`, `script` of shell tools), as strings or argv arrays, have their path arguments fixed.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectContext } from "./context.ts";
 * import { Snapshot } from "../workspace/snapshot.ts";
 * const files = [["src/App.tsx"]];
 * const workspace = new Snapshot(["/w"], {
 *   files,
 *   dirs: [["src"]],
 *   opaque: [[]],
 *   truncated: false,
 * });
 * const fixed = fixPathArguments(
 *   { path: "src/App.TSX" },
 *   "read_file",
 *   detectContext({ workspace }),
 * );
 * assert.deepEqual(fixed.args, { path: "src/App.tsx" });
 * assert.deepEqual(fixed.detections.map((d) => d.type), ["invalid_path"]);
 * ```
 */
export function fixPathArguments(
  args: Record<string, unknown>,
  toolName: string,
  ctx: DetectContext,
): { args: Record<string, unknown>; detections: Detection[] } {
  const detections: Detection[] = [];
  if (ctx.workspace === null) return { args, detections };
  const writes = WRITE_TOOL.test(toolName);
  const shell = SHELL_TOOL.test(toolName);
  const out: Record<string, unknown> = { ...args };
  for (const [key, value] of Object.entries(args)) {
    if (COMMAND_KEYS.test(key) || shell && SHELL_ARG_KEYS.test(key)) {
      if (typeof value === "string") {
        const fixed = fixCommand(value, ctx);
        out[key] = fixed.text;
        detections.push(...fixed.detections);
      } else if (Array.isArray(value)) {
        const fixed = fixArgv(value, ctx);
        out[key] = fixed.argv;
        detections.push(...fixed.detections);
      }
    } else if (typeof value === "string" && PATH_KEYS.test(key)) {
      out[key] = checkArgument(value, writes, ctx, detections);
    } else if (Array.isArray(value) && PATH_LIST_KEYS.test(key)) {
      out[key] = value.map((v) =>
        typeof v === "string" ? checkArgument(v, writes, ctx, detections) : v
      );
    }
  }
  return { args: detections.length > 0 ? out : args, detections };
}

/** The fixed value of one path argument (unchanged when fine or unfixable). */
function checkArgument(
  value: string,
  writes: boolean,
  ctx: DetectContext,
  detections: Detection[],
): string {
  const m = /^(file:\/\/|\.\/)?(.*?)\/?$/.exec(value.trim());
  const prefix = m?.[1] === "file://" ? "file://" : m?.[1] ?? "";
  const path = m?.[2] ?? "";
  if (path === "" || path === "." || /[*?{}$~]|^[a-z][a-z0-9+.-]*:/i.test(path)) return value;
  const slash = path.lastIndexOf("/");
  const parent = slash <= 0 ? "" : path.slice(0, slash);
  let verdict = judgePath(path, ctx, { rooted: true });
  if (writes && verdict.kind !== "ok") {
    if (parent === "" || ctx.workspace?.exists(parent)) return value;
    const up = judgePath(parent, ctx, { rooted: true });
    verdict = up.kind === "fix"
      ? { ...up, replacement: `${up.replacement}/${path.slice(slash + 1)}` }
      : up;
  }
  if (verdict.kind === "ok") return value;
  const replacement = verdict.kind === "fix" ? prefix + verdict.replacement : null;
  detections.push({
    type: verdict.kind === "fix" ? TYPE : FABRICATED,
    start: 0,
    end: value.length,
    found: path,
    replacement,
    confidence: verdict.confidence,
    reason: verdict.reason,
  });
  return replacement ?? value;
}
