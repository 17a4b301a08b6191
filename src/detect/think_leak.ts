/**
 * `think_leak`: a `<think>…</think>` block written into the content channel, or a gpt-oss Harmony
 * analysis message (`<|start|>assistant<|channel|>analysis<|message|>…<|end|>`). The block (and
 * the whitespace after it) leaves the content; its inner text is `moved` to the thinking channel.
 * An opening `<think>` counts only outside code and at the start of a line (a Harmony header
 * anywhere outside code). A block still open at the
 * end of the text is reported with `open: true` (the corrector then scans the next windows with
 * `state.inThink`), and closed at the end of the stream.
 * @module
 */
import type { DetectContext, Detection, Detector, WindowState } from "../detection.ts";
import { codeRanges, inRanges } from "../text/markdown.ts";

const TYPE = "think_leak";
const OPEN = "<think>";
const CLOSE = "</think>";
/** Harmony's analysis header (the `<|start|>assistant` before it is taken along when present). */
const HARMONY = "<|channel|>analysis<|message|>";
const HARMONY_START = "<|start|>assistant";
const HARMONY_CLOSE = "<|end|>";
const TAGS = [OPEN, CLOSE, HARMONY, HARMONY_START + HARMONY, HARMONY_CLOSE];
const LONGEST_TAG = Math.max(...TAGS.map((t) => t.length));

/** The next opening tag at or after `from` (either kind): offset and length, or -1. */
function openTag(text: string, from: number): { at: number; length: number } {
  const think = text.indexOf(OPEN, from);
  const harmony = text.indexOf(HARMONY, from);
  if (harmony === -1 || (think !== -1 && think < harmony)) {
    return { at: think, length: OPEN.length };
  }
  const withStart = text.startsWith(HARMONY_START, harmony - HARMONY_START.length);
  const at = withStart ? harmony - HARMONY_START.length : harmony;
  return { at, length: harmony + HARMONY.length - at };
}

/** The first closing tag (`</think>` or Harmony's `<|end|>`) at or after `from`. */
function closeTag(text: string, from: number): { at: number; length: number } {
  const think = text.indexOf(CLOSE, from);
  const harmony = text.indexOf(HARMONY_CLOSE, from);
  return harmony === -1 || (think !== -1 && think < harmony)
    ? { at: think, length: CLOSE.length }
    : { at: harmony, length: HARMONY_CLOSE.length };
}

/** True when `text` holds an opening tag of either kind. */
const hasOpen = (text: string) => text.includes(OPEN) || text.includes(HARMONY);

interface Scan {
  detections: Detection[];
  /** Earliest offset more text could still change. */
  undecided: number;
}

/** True when only spaces or tabs precede `at` on its line. */
function atLineStart(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text[i];
    if (c === "\n") return true;
    if (c !== " " && c !== "\t") return false;
  }
  return true;
}

/** An opening tag that counts, or where more text could still make one count. */
interface Opening {
  at: number;
  undecided: boolean;
  /** Length of the opening tag. */
  length: number;
}

/**
 * Next opening tag that counts, from `from`: at a line start, outside code, and either closed
 * later or alone on its line (so prose that starts a line with `<think>` is left alone).
 */
function nextOpen(
  text: string,
  from: number,
  fence: string | null,
  final: boolean,
): Opening | null {
  let ranges: ReturnType<typeof codeRanges> | null = null;
  for (let tag = openTag(text, from); tag.at !== -1; tag = openTag(text, tag.at + 1)) {
    const i = tag.at;
    const harmony = tag.length !== OPEN.length;
    if (!harmony && !atLineStart(text, i)) continue;
    ranges ??= codeRanges(text, fence);
    if (inRanges(ranges, i)) continue;
    const body = i + tag.length;
    if (harmony || closeTag(text, body).at !== -1) {
      return { at: i, undecided: false, length: tag.length };
    }
    const lineEnd = text.indexOf("\n", body);
    const rest = text.slice(body, lineEnd === -1 ? text.length : lineEnd);
    if (rest.trim() === "") return { at: i, undecided: false, length: tag.length };
    if (lineEnd === -1 && !final) return { at: i, undecided: true, length: tag.length };
  }
  return null;
}

function scan(text: string, ctx: DetectContext): Scan {
  const detections: Detection[] = [];
  let undecided = text.length;
  let pos = 0;
  let inThink = ctx.state.inThink;
  while (pos <= text.length) {
    const opening = inThink
      ? { at: pos, undecided: false, length: 0 }
      : nextOpen(text, pos, ctx.state.fence, ctx.final);
    if (opening === null) break;
    const open = opening.at;
    if (opening.undecided) {
      undecided = Math.max(open, ctx.emitted);
      break;
    }
    const body = open + opening.length;
    const closing = closeTag(text, body);
    const close = closing.at;
    const start = Math.max(open, ctx.emitted);
    const from = Math.max(body, start);
    if (close === -1) {
      if (ctx.final) {
        const moved = text.slice(from).trimEnd();
        detections.push(
          block(text, start, text.length, from === body ? moved.trimStart() : moved, false),
        );
        break;
      }
      // Hold a partial `</think` and trailing whitespace (it may be the block's last).
      const partial = partialTag(text);
      let end = partial >= from ? partial : text.length;
      while (end > from && /\s/.test(text[end - 1] ?? "")) end--;
      const moved = text.slice(from, end);
      const first = from === body;
      if (first && moved.trim() === "") {
        undecided = start; // nothing but whitespace after <think> yet
      } else {
        if (end > start) {
          detections.push(block(text, start, end, first ? moved.trimStart() : moved, true));
        }
        undecided = Math.max(end, ctx.emitted);
      }
      break;
    }
    let end = close + closing.length;
    while (end < text.length && /\s/.test(text[end] ?? "")) end++;
    if (end <= ctx.emitted && (end < text.length || ctx.final)) {
      pos = end; // already handled in an earlier window
      inThink = false;
      continue;
    }
    if (end === text.length && !ctx.final) {
      undecided = Math.max(open, ctx.emitted);
      break;
    }
    const moved = text.slice(Math.min(from, close), close).trimEnd();
    detections.push(block(text, start, end, from === body ? moved.trimStart() : moved, false));
    pos = end;
    inThink = false;
  }
  return { detections, undecided };
}

function block(text: string, start: number, end: number, moved: string, open: boolean): Detection {
  const d: Detection = {
    type: TYPE,
    start,
    end,
    found: text.slice(start, end),
    replacement: "",
    confidence: 0.9,
    reason: "reasoning block leaked into the content channel: moved to the reasoning channel",
    effect: "to_thinking",
    moved,
  };
  if (open) d.open = true;
  return d;
}

/** Offset of a proper prefix of an opening or closing tag at the end of `text`, or -1. */
function partialTag(text: string): number {
  const from = Math.max(0, text.length - LONGEST_TAG + 1);
  for (let i = text.indexOf("<", from); i !== -1; i = text.indexOf("<", i + 1)) {
    const tail = text.slice(i);
    if (TAGS.some((t) => t.startsWith(tail))) return i;
  }
  return -1;
}

/** The `think_leak` detector (content channel only). */
export const thinkLeak: Detector = {
  type: TYPE,
  detect(text: string, ctx: DetectContext): Detection[] {
    if (ctx.channel !== "content") return [];
    if (!ctx.state.inThink && !hasOpen(text)) return [];
    return scan(text, ctx).detections.filter((d) => d.start >= ctx.emitted);
  },
  holdFrom(text: string, ctx: DetectContext): number {
    if (ctx.channel !== "content" || ctx.final) return text.length;
    const inBlock = ctx.state.inThink || hasOpen(text);
    const hold = inBlock ? scan(text, ctx).undecided : text.length;
    const partial = partialTag(text);
    if (partial === -1 || partial < ctx.emitted || partial >= hold) return hold;
    // Only a tag that could count is held: `</think` in a block, `<think` opening a line outside code.
    const tail = text.slice(partial);
    const closing = inBlock && (CLOSE.startsWith(tail) || HARMONY_CLOSE.startsWith(tail));
    const harmony = [HARMONY, HARMONY_START + HARMONY].some((t) => t.startsWith(tail));
    const opening = (harmony || OPEN.startsWith(tail) && atLineStart(text, partial)) &&
      !inRanges(codeRanges(text, ctx.state.fence), partial);
    return closing || opening ? partial : hold;
  },
};

/**
 * Whether a leaked think block is open after `text`, by the same rules as the detector (an
 * opening tag at a line start outside code; the first `</think>` closes). The corrector uses it
 * to carry `state.inThink` past text it drops from its tail.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(thinkOpenAfter({ fence: null, inThink: false }, "<think>\nplan\n"), true);
 * assert.equal(thinkOpenAfter({ fence: null, inThink: false }, "Use `<think>` tags.\n"), false);
 * ```
 */
export function thinkOpenAfter(state: WindowState, text: string): boolean {
  let inThink = state.inThink;
  let pos = 0;
  for (;;) {
    if (inThink) {
      const close = closeTag(text, pos);
      if (close.at === -1) return true;
      pos = close.at + close.length;
      inThink = false;
    } else {
      const open = nextOpen(text, pos, state.fence, true);
      if (open === null) return false;
      pos = open.at + open.length;
      inThink = true;
    }
  }
}
