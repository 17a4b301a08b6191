/**
 * `invalid_path` / `fabricated_path`: file paths in answer text (prose, code spans, fences,
 * reasoning) and in tool-call arguments that do not exist under the workspace roots. A path is
 * fixed only when one real path is clearly meant; otherwise it is flagged without a fix. Grounded
 * paths (shown in the request), paths about to be created, URLs, globs, system paths and module
 * specifiers are left alone; without a workspace nothing is flagged.
 * @module
 */
import type { DetectContext, Detection, Detector } from "./types.ts";
import { judgePath } from "../workspace/judge.ts";
import { extractPathTokens, isRunChar, type PathToken } from "../workspace/tokens.ts";

const TYPE = "invalid_path";
const FABRICATED = "fabricated_path";

/** How far after a path (same line) a "this is new" remark is looked for. */
const LOOKAHEAD = 60;
/** How far before a path (on its line) a create/write verb is looked for. */
const LOOKBEHIND = 200;

const CREATE_BEFORE =
  /(?<![\w/.-])(creat(e|es|ed|ing)|new (file|module|component|test|script|page|folder|directory|class|package|helper|route|endpoint|migration)s?|writ(e|es|ing|ten)|sav(e|es|ed|ing)|touch|mkdir|generat(e|es|ed|ing)|scaffold(s|ed|ing)?|produc(e|es|ed|ing)|renam(e|es|ed|ing)|mov(e|es|ed|ing)|emit(s|ted)?|add(s|ed|ing)? (a|an|the)? ?(new )?file|make (a|the) (file|directory|folder))(?![\w/.-])/i;
const CREATE_AFTER =
  /(?<![\w/.-])(new|creat(e|ed|es|ing)|generat(e|ed|es|ing)|will be|to be|doesn't exist|does not exist|not exist yet)(?![\w/.-])|^["'`]?\s*,\s*(mode\s*=\s*)?["'`][wax]\+?b?["'`]/i;
/** In code: a call that writes, before the path on its line (`df.to_csv("out/a.csv")`). */
const WRITE_CALL =
  /\w*(save|write|dump|savefig|to_csv|to_json|to_excel|to_parquet|export|mkdir|makedirs|output)\w*\s*\(/i;

/** Scan results: complete detections and the earliest offset still undecided. */
interface Scan {
  detections: Detection[];
  hold: number;
}

/** The last scan: the corrector asks `holdFrom` and then `detect` about the same text and ctx. */
let lastScan: { text: string; ctx: DetectContext; scan: Scan } | null = null;

/** One pass over the text; detect and holdFrom share it (memoized for the same text and ctx). */
function scanText(text: string, ctx: DetectContext): Scan {
  if (ctx.workspace === null) return { detections: [], hold: text.length };
  if (lastScan !== null && lastScan.ctx === ctx && lastScan.text === text) return lastScan.scan;
  const scan: Scan = { detections: [], hold: ctx.final ? text.length : trailingRunStart(text) };
  for (const token of extractPathTokens(text)) {
    if (token.runStart < ctx.emitted && token.start < ctx.emitted) continue;
    judgeToken(text, token, ctx, scan);
  }
  lastScan = { text, ctx, scan };
  return scan;
}

function judgeToken(text: string, token: PathToken, ctx: DetectContext, scan: Scan): void {
  const rest = text.slice(token.runEnd, token.runEnd + 2);
  if (!ctx.final && /^[:\d]*$/.test(text.slice(token.runEnd, token.runEnd + 8))) {
    scan.hold = Math.min(scan.hold, token.runStart); // not ended by a delimiter yet
    return;
  }
  if (rest[0] === "(") return; // a method call such as response.json()
  const dotRelative = token.dotted || relativeToSourceFile(text, token);
  const verdict = judgePath(token.path, ctx, { dotRelative });
  if (verdict.kind === "ok") return;
  if (verdict.kind === "fabricated" && !verdict.anchored && importsHere(text, token)) return;
  if (verdict.kind === "fabricated" && isFileHeader(text, token)) return;
  if (createdHere(text, token)) return;
  const lineEnd = text.indexOf("\n", token.runEnd);
  if (!ctx.final && lineEnd < 0 && text.length - token.runEnd < LOOKAHEAD) {
    scan.hold = Math.min(scan.hold, token.runStart); // a "(new file)" may still follow
    return;
  }
  if (createdAfter(text, token, lineEnd)) return;
  scan.detections.push({
    type: verdict.kind === "fix" ? TYPE : FABRICATED,
    start: token.start,
    end: token.end,
    found: token.path,
    replacement: verdict.kind === "fix" ? verdict.replacement : null,
    // Reasoning speculates ("maybe it is in src/x.ts?"): a made-up path there is weaker evidence.
    confidence: verdict.kind === "fabricated" && ctx.channel === "thinking"
      ? verdict.confidence * 0.8
      : verdict.confidence,
    reason: verdict.reason,
  });
}

/** `join(__dirname, "x/y.js")` and the like: relative to a source file we do not know. */
function relativeToSourceFile(text: string, token: PathToken): boolean {
  const lineStart = text.lastIndexOf("\n", token.runStart - 1) + 1;
  const before = text.slice(Math.max(lineStart, token.runStart - 120), token.runStart);
  return /__dirname|__filename|import\.meta|__file__|dirname\(|\.parent\b/.test(before);
}

/**
 * The path names the file a code block holds: a comment alone on the block's first line
 * (`// src/x.ts`) or the fence's info string (```` ```ts title="src/x.ts" ````). The model is
 * writing that file, so a missing one is new, not made up.
 */
function isFileHeader(text: string, token: PathToken): boolean {
  const lineStart = text.lastIndexOf("\n", token.runStart - 1) + 1;
  const prefix = text.slice(lineStart, token.runStart);
  if (/^\s*(`{3,}|~{3,})[\w+-]*[\s:]*(title=)?["']?$/.test(prefix)) return true;
  if (!/^\s*(\/\/|#|--|\/\*|<!--|;)\s*((file|filename|path)\s*:\s*)?$/i.test(prefix)) return false;
  const prevStart = text.lastIndexOf("\n", lineStart - 2) + 1;
  return lineStart > 0 && /^\s*(`{3,}|~{3,})/.test(text.slice(prevStart, lineStart - 1));
}

/** The path is a module specifier (`from "pkg/dist/x.js"`, `require("pkg/x.js")`). */
function importsHere(text: string, token: PathToken): boolean {
  const lineStart = text.lastIndexOf("\n", token.runStart - 1) + 1;
  const before = text.slice(Math.max(lineStart, token.runStart - 80), token.runStart);
  return /(\bfrom|\bimport|\brequire\(|\bimport\(|@import|\bsrc=|\bhref=)\s*["'`]?$/.test(before);
}

/** Before a path on its line: only list markers, comment marks, quotes or a "File:" label. */
const LABEL_PREFIX = /^[\s>*#+\-\d.)\/`"':=]*((new )?(file|path|filename)\s*[:=]?\s*[`"']?)?$/i;
/** A list item, blank line or fence line: skipped when looking for the line introducing a path. */
const SKIPPED_LINE = /^\s*(([-*+]|\d+[.)])\s.{0,100}|`{3,}.*|~{3,}.*|)$/;

/**
 * A create/write verb in the path's sentence, or — when the path is only labelled on its line
 * (`// src/x.ts`, "- `src/x.ts`", "File: src/x.ts") — in the line introducing it, above any list
 * items, blank lines and fence lines ("Create these files:\n\n- `src/a.ts`").
 */
function createdHere(text: string, token: PathToken): boolean {
  const lineStart = text.lastIndexOf("\n", token.runStart - 1) + 1;
  const prefix = text.slice(Math.max(lineStart, token.runStart - LOOKBEHIND), token.runStart);
  const sentence = prefix.split(/[.!?;]\s+/).pop() ?? "";
  if (CREATE_BEFORE.test(sentence) || WRITE_CALL.test(sentence)) return true;
  if (!LABEL_PREFIX.test(prefix)) return false;
  let end = lineStart - 1;
  for (let k = 0; k < 12 && end > 0 && lineStart - end < LOOKBEHIND * 4; k++) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end);
    if (!SKIPPED_LINE.test(line)) return CREATE_BEFORE.test(line);
    if (CREATE_BEFORE.test(line)) return true;
    end = start - 1;
  }
  return false;
}

/** A "(new file)", "will be created" … remark after the path on the same line. */
function createdAfter(text: string, token: PathToken, lineEnd: number): boolean {
  const stop = Math.min(lineEnd < 0 ? text.length : lineEnd, token.runEnd + LOOKAHEAD);
  return CREATE_AFTER.test(text.slice(token.runEnd, stop));
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
 * pathDetector.detect("see src/app.TS", ctx);
 * // [{ type: "invalid_path", found: "src/app.TS", replacement: "src/app.ts", ... }]
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
 * does; a wrong parent is fixed like any path.
 * @example
 * fixPathArguments({ path: "src/App.TSX" }, "read_file", ctx);
 * // { args: { path: "src/App.tsx" }, detections: [{ type: "invalid_path", ... }] }
 */
export function fixPathArguments(
  args: Record<string, unknown>,
  toolName: string,
  ctx: DetectContext,
): { args: Record<string, unknown>; detections: Detection[] } {
  const detections: Detection[] = [];
  if (ctx.workspace === null) return { args, detections };
  const writes = WRITE_TOOL.test(toolName);
  const out: Record<string, unknown> = { ...args };
  for (const [key, value] of Object.entries(args)) {
    if (typeof value === "string" && PATH_KEYS.test(key)) {
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
