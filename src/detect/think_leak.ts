/**
 * `think_leak`: a `<think>…</think>` block written into the content channel. The block (and the
 * whitespace after it) leaves the content; its inner text is `moved` to the thinking channel.
 * An opening tag counts only outside code and at the start of a line. A block still open at the
 * end of the text is reported with `open: true` (the corrector then scans the next windows with
 * `state.inThink`), and closed at the end of the stream.
 * @module
 */
import type { DetectContext, Detection, Detector, WindowState } from "./types.ts";
import { codeRanges, inRanges } from "./markdown.ts";

const TYPE = "think_leak";
const OPEN = "<think>";
const CLOSE = "</think>";

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
  for (let i = text.indexOf(OPEN, from); i !== -1; i = text.indexOf(OPEN, i + 1)) {
    if (!atLineStart(text, i)) continue;
    ranges ??= codeRanges(text, fence);
    if (inRanges(ranges, i)) continue;
    const body = i + OPEN.length;
    if (text.includes(CLOSE, body)) return { at: i, undecided: false };
    const lineEnd = text.indexOf("\n", body);
    const rest = text.slice(body, lineEnd === -1 ? text.length : lineEnd);
    if (rest.trim() === "") return { at: i, undecided: false };
    if (lineEnd === -1 && !final) return { at: i, undecided: true };
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
      ? { at: pos, undecided: false }
      : nextOpen(text, pos, ctx.state.fence, ctx.final);
    if (opening === null) break;
    const open = opening.at;
    if (opening.undecided) {
      undecided = Math.max(open, ctx.emitted);
      break;
    }
    const body = inThink ? open : open + OPEN.length;
    const close = text.indexOf(CLOSE, body);
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
    let end = close + CLOSE.length;
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
    reason: "reasoning block leaked into the content channel: moved to thinking",
    effect: "to_thinking",
    moved,
  };
  if (open) d.open = true;
  return d;
}

/** Offset of a proper prefix of `<think>` or `</think>` at the end of `text`, or -1. */
function partialTag(text: string): number {
  const from = Math.max(0, text.length - CLOSE.length + 1);
  for (let i = text.indexOf("<", from); i !== -1; i = text.indexOf("<", i + 1)) {
    const tail = text.slice(i);
    if (OPEN.startsWith(tail) || CLOSE.startsWith(tail)) return i;
  }
  return -1;
}

/** The `think_leak` detector (content channel only). */
export const thinkLeak: Detector = {
  type: TYPE,
  detect(text: string, ctx: DetectContext): Detection[] {
    if (ctx.channel !== "content") return [];
    if (!ctx.state.inThink && !text.includes(OPEN)) return [];
    return scan(text, ctx).detections.filter((d) => d.start >= ctx.emitted);
  },
  holdFrom(text: string, ctx: DetectContext): number {
    if (ctx.channel !== "content" || ctx.final) return text.length;
    const inBlock = ctx.state.inThink || text.includes(OPEN);
    const hold = inBlock ? scan(text, ctx).undecided : text.length;
    const partial = partialTag(text);
    if (partial === -1 || partial < ctx.emitted || partial >= hold) return hold;
    // Only a tag that could count is held: `</think` in a block, `<think` opening a line outside code.
    const tail = text.slice(partial);
    const closing = inBlock && CLOSE.startsWith(tail);
    const opening = OPEN.startsWith(tail) && atLineStart(text, partial) &&
      !inRanges(codeRanges(text, ctx.state.fence), partial);
    return closing || opening ? partial : hold;
  },
};

/**
 * Whether a leaked think block is open after `text`, by the same rules as the detector (an
 * opening tag at a line start outside code; the first `</think>` closes). The corrector uses it
 * to carry `state.inThink` past text it drops from its tail.
 * @example
 * thinkOpenAfter({ fence: null, inThink: false }, "<think>\nplan\n"); // true
 * thinkOpenAfter({ fence: null, inThink: false }, "Use `<think>` tags.\n"); // false
 */
export function thinkOpenAfter(state: WindowState, text: string): boolean {
  let inThink = state.inThink;
  let pos = 0;
  for (;;) {
    if (inThink) {
      const close = text.indexOf(CLOSE, pos);
      if (close === -1) return true;
      pos = close + CLOSE.length;
      inThink = false;
    } else {
      const open = nextOpen(text, pos, state.fence, true);
      if (open === null) return false;
      pos = open.at + OPEN.length;
      inThink = true;
    }
  }
}
