/**
 * `template_leak`: chat-template control tokens in the answer text. An end-of-turn or
 * end-of-text token ends the answer there (whitespace before it is trimmed); any other token is
 * removed exactly (with the role name after a turn-start token). Tokens inside fenced or inline
 * code, or quoted as a string literal, are left alone.
 * @module
 */
import type { DetectContext, Detection, Detector } from "../detection.ts";
import { codeRanges, inRanges, openInlineCode } from "../text/markdown.ts";
import {
  isEndToken,
  isTurnStart,
  partialTokenAt,
  ROLE_AFTER_START,
  tokenRegex,
} from "./template_tokens.ts";

const TYPE = "template_leak";

/** A token found outside code, or undecided because more text could change its status. */
interface TokenHit {
  start: number;
  end: number;
  token: string;
  /** A turn opened for another role (user, system, tool): the rest is a made-up next turn. */
  fakeTurn: boolean;
}

/** True when the token is a quoted string literal such as "<|im_end|>" in bare code. */
function quoted(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  return (before === '"' || before === "'") && text[end] === before;
}

/**
 * How far from a `<s>` / `</s>` its partner is looked for: a strikethrough holds at most 200
 * characters, so a farther partner never counts (and searching the whole text for each of 100,000
 * `<s>` took a minute).
 */
const STRIKE_SPAN = 203;

/** Text between `<s>` and `</s>` that reads as HTML strikethrough, not as a template turn. */
function strikeText(between: string): boolean {
  return between.trim() !== "" && between.length <= 200 && !between.includes("\n") &&
    !between.includes("INST]");
}

/**
 * `<s>…</s>` on one line around prose is HTML strikethrough: "html". For `<s>` whose line is not
 * complete yet: "undecided".
 */
function strike(text: string, start: number, token: string, final: boolean): string {
  if (token === "</s>") {
    const from = Math.max(0, start - STRIKE_SPAN);
    const open = text.slice(from, start).lastIndexOf("<s>");
    return open !== -1 && strikeText(text.slice(from + open + 3, start)) ? "html" : "token";
  }
  if (token !== "<s>") return "token";
  const close = text.slice(start + 3, start + 3 + STRIKE_SPAN).indexOf("</s>");
  if (close !== -1 && strikeText(text.slice(start + 3, start + 3 + close))) return "html";
  const lineEnd = text.slice(start, start + 200).indexOf("\n");
  return !final && lineEnd === -1 && text.length - start < 200 ? "undecided" : "token";
}

/** Tokens outside code; `undecided` gets the earliest one more text could still change. */
function scan(text: string, ctx: DetectContext): { hits: TokenHit[]; undecided: number } {
  const hits: TokenHit[] = [];
  let undecided = text.length;
  // Tokens that start in emitted text were handled by an earlier window: scan from there.
  const from = ctx.emitted;
  if (text.indexOf("<", from) === -1 && text.indexOf("[", from) === -1) return { hits, undecided };
  const re = tokenRegex();
  re.lastIndex = from;
  let ranges: ReturnType<typeof codeRanges> | null = null;
  let openTick: number | null = null;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const token = m[0];
    const start = m.index;
    let end = start + token.length;
    ranges ??= codeRanges(text, ctx.state.fence);
    if (inRanges(ranges, start) || quoted(text, start, end)) continue;
    const html = strike(text, start, token, ctx.final);
    if (html === "html") continue;
    if (html === "undecided") {
      undecided = Math.min(undecided, start);
      break;
    }
    openTick ??= ctx.final ? -1 : openInlineCode(text, ctx.state.fence);
    if (openTick !== -1 && start > openTick) {
      undecided = Math.min(undecided, start);
      break;
    }
    if (token === "<|end|>" && closesAnalysis(text, start, ctx.state.inThink)) continue;
    let fakeTurn = false;
    if (isTurnStart(token)) {
      const rest = text.slice(end, end + 140);
      const role = ROLE_AFTER_START.exec(rest);
      // Undecided while the role line (or the blank line after a header) may still grow.
      if (
        !ctx.final &&
        (role === null ? rest.length < 140 && !rest.includes("\n") : role[0].length === rest.length)
      ) {
        undecided = Math.min(undecided, start);
        break;
      }
      if (role !== null) {
        end += role[0].length;
        fakeTurn = role[1] !== undefined && role[1] !== "assistant" && role[1] !== "model";
      }
    }
    if (!ctx.final && end === text.length && (text[start - 1] === '"' || text[start - 1] === "'")) {
      undecided = Math.min(undecided, start); // `quoted` needs the next character
      break;
    }
    hits.push({ start, end, token, fakeTurn });
    if (isEndToken(token) || fakeTurn) break;
  }
  return { hits, undecided };
}

/**
 * True when the `<|end|>` at `at` closes a Harmony analysis message (think_leak moves that block
 * to the reasoning channel; the answer goes on after it).
 */
function closesAnalysis(text: string, at: number, inThink: boolean): boolean {
  const header = text.lastIndexOf("<|channel|>analysis", at);
  const previous = text.lastIndexOf("<|end|>", at - 1);
  return header > previous || (inThink && previous === -1 && header === -1);
}

/** Start of the whitespace run ending at `at`. */
function trimmedStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && /\s/.test(text[i - 1] ?? "")) i--;
  return i;
}

function toDetection(text: string, hit: TokenHit, ctx: DetectContext): Detection {
  if (isEndToken(hit.token) || hit.fakeTurn) {
    const start = Math.max(ctx.emitted, Math.min(hit.start, trimmedStart(text, hit.start)));
    return {
      type: TYPE,
      start,
      end: hit.end,
      found: text.slice(start, hit.end),
      replacement: "",
      confidence: hit.token === "</s>" || hit.token === "<eos>" ? 0.9 : 0.97,
      reason: hit.fakeTurn
        ? `a made-up next turn opens with "${hit.token}": the answer ends here`
        : `end-of-turn token "${hit.token}" leaked into the answer: it ends here`,
      effect: "end",
    };
  }
  return {
    type: TYPE,
    start: hit.start,
    end: hit.end,
    found: text.slice(hit.start, hit.end),
    replacement: "",
    confidence: hit.token === "<s>" ? 0.85 : 0.95,
    reason: `chat-template token "${hit.token}" leaked into the answer`,
  };
}

/** The `template_leak` detector. */
export const templateLeak: Detector = {
  type: TYPE,
  detect(text: string, ctx: DetectContext): Detection[] {
    const { hits } = scan(text, ctx);
    return hits.map((h) => toDetection(text, h, ctx)).filter((d) => d.start >= ctx.emitted);
  },
  holdFrom(text: string, ctx: DetectContext): number {
    if (ctx.final) return text.length;
    const hold = scan(text, ctx).undecided;
    // Trailing whitespace is not held (clean streams pass unchanged): before an end token it is
    // trimmed only while still pending. A partial token inside code needs no hold either.
    const partial = partialTokenAt(text);
    if (partial === -1 || partial >= hold) return hold;
    return inRanges(codeRanges(text, ctx.state.fence), partial) ? hold : partial;
  },
};
