/**
 * Tool calls written as text in the answer: `<tool_call>{…}</tool_call>` (Hermes, Qwen), a fenced
 * JSON block holding `{"name", "arguments"}`, `[TOOL_CALLS][…]` (Mistral, also `name[ARGS]{…}`),
 * `<function=name>{…}</function>` (Llama 3.1), `<|python_tag|>{…}` (Llama 3.x JSON form), a
 * bare JSON call object opening the answer, and the formats of `text_call_formats.ts`
 * (Qwen3-Coder XML parameters, GLM arg_key/arg_value, Kimi-K2 and DeepSeek sections, Harmony).
 * Finds complete blocks and where an undecided one starts; knows nothing about offered tools.
 * @module
 */
import { advanceFence, type CodeRange, codeRanges, inRanges } from "../text/markdown.ts";
import { type CallEnd, jsonValueEnd, readJson } from "./json_text.ts";
import {
  glmCall,
  SECTION_OPENER_SOURCE,
  SECTION_OPENERS,
  sectionOf,
  type WrittenCall,
  xmlFunctions,
  xmlParameters,
} from "./text_call_formats.ts";

export type { WrittenCall };

/** One block of text holding one or more written calls. */
export interface CallBlock {
  start: number;
  end: number;
  format: string;
  calls: WrittenCall[];
  /** True when the text ended before the block's closer (it runs to the end of the text). */
  open?: boolean;
}

/** Complete blocks, and the earliest offset where a block might still be forming (else length). */
export interface CallScan {
  blocks: CallBlock[];
  pendingFrom: number;
}

const OPENER = new RegExp(
  "<tool_call>|\\[TOOL_CALLS\\]|<function=([\\w.:-]+)>|<\\|python_tag\\|>|^[ \\t]*(`{3,})(json|tool_call)?[ \\t]*\\n|(" +
    SECTION_OPENER_SOURCE + ")",
  "gm",
);
const OPENERS = ["<tool_call>", "[TOOL_CALLS]", "<function=", "<|python_tag|>", ...SECTION_OPENERS];
/** Every proper prefix of a tag opener (what a tag split across chunks can end the text with). */
const OPENER_PREFIXES: ReadonlySet<string> = new Set(
  OPENERS.flatMap((o) => Array.from({ length: o.length - 1 }, (_, k) => o.slice(0, k + 1))),
);
const LONGEST_OPENER = Math.max(...OPENERS.map((o) => o.length));
const FENCE_PREFIX =
  /^([ \t]*`{1,3}(?:j(?:s(?:on?)?)?|t(?:o(?:o(?:l(?:_(?:c(?:a(?:l(?:l)?)?)?)?)?)?)?)?)?)$/;
/** A Harmony header still being written at the end of the text (the recipient may follow). */
const HARMONY_PARTIAL =
  /<\|start\|>(?:a(?:s(?:s(?:i(?:s(?:t(?:a(?:n(?:t)?)?)?)?)?)?)?)?)?[^<\n]*(?:<\|channel\|>c?o?m?m?e?n?t?a?r?y?|<\|?[a-z]*\|?)?$|<\|channel\|>(?:c(?:o(?:m(?:m(?:e(?:n(?:t(?:a(?:r(?:y)?)?)?)?)?)?)?)?)?)?$|(?:^|\s)to=functions\.[^<\n]*(?:<\|?[a-z]*\|?)?$|(?:^|\s)t(?:o(?:=(?:f(?:u(?:n(?:c(?:t(?:i(?:o(?:n(?:s)?)?)?)?)?)?)?)?)?)?)?$/;
/** Any opener at all (a cheap pre-check before the full scan). */
const QUICK =
  /<tool_call>|\[TOOL_CALLS\]|<function=|<\|python_tag\|>|```|<\|(?:tool_call|channel|start)|<[|｜]tool|to=functions\./;
/** What the text can end with while a `</tool_call>` is still arriving. */
const STRAY_CLOSE_PREFIX =
  /^\s*(?:<(?:\/(?:t(?:o(?:o(?:l(?:_(?:c(?:a(?:l(?:l)?)?)?)?)?)?)?)?)?)?)?$/;
const KEY_LIKE = /"(?:name|function|tool|tool_name)"\s*:/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A call object in any of the common shapes, or null. */
function callOf(value: unknown): WrittenCall | null {
  if (!isRecord(value)) return null;
  const fn = isRecord(value.function) ? value.function : value;
  const name = [fn.name, value.function, value.tool, value.tool_name].find((n) =>
    typeof n === "string"
  );
  if (typeof name !== "string" || name === "") return null;
  const args = fn.arguments ?? fn.parameters ?? value.arguments ?? value.parameters ?? value.args ??
    value.input ?? {};
  if (typeof args === "string") return { name, arguments: args };
  return isRecord(args) ? { name, arguments: JSON.stringify(args) } : null;
}

/** The calls a JSON body holds (an object or an array of them); null when it holds none. */
function callsOf(body: string, ending: CallEnd = "unknown"): WrittenCall[] | null {
  const read = readJson(body.trim(), 0, ending);
  if (read.kind === "broken") return null;
  const list = Array.isArray(read.value) ? read.value : [read.value];
  const calls = list.map(callOf);
  return calls.length > 0 && calls.every((c) => c !== null) ? calls as WrittenCall[] : null;
}

/** End of a JSON value after optional spaces at `from`: -1 while unclosed, -2 when none starts. */
function valueEnd(text: string, from: number): { start: number; end: number } {
  const start = from + (/^\s*/.exec(text.slice(from))?.[0].length ?? 0);
  if (start >= text.length) return { start, end: -1 };
  if (text[start] !== "{" && text[start] !== "[") return { start, end: -2 };
  return { start, end: jsonValueEnd(text, start) };
}

type Bounds = { bodyEnd: number; end: number } | "open" | "none";

/** Where the body of the block opened by `m` ends; "open" while undecided, "none" if no block. */
function bounds(text: string, m: RegExpExecArray, after: number): Bounds {
  const fence = m[2];
  if (fence !== undefined) {
    const c = new RegExp(`^[ \\t]*${fence}\`*[ \\t]*$`, "m").exec(text.slice(after));
    if (c) return { bodyEnd: after + c.index, end: after + c.index + c[0].length };
    return /^\s*(?:[[{]|$)/.test(text.slice(after)) ? "open" : "none";
  }
  const closeTag = m[0] === "<tool_call>"
    ? "</tool_call>"
    : m[1] !== undefined
    ? "</function>"
    : null;
  if (closeTag !== null) {
    const i = text.indexOf(closeTag, after);
    if (i === -1) return "open";
    // `<function=…>…</function>` closed by a `</tool_call>` whose opener the model left out.
    const stray = closeTag === "</function>"
      ? /^\s*<\/tool_call>/.exec(text.slice(i + closeTag.length))
      : null;
    return { bodyEnd: i, end: i + closeTag.length + (stray?.[0].length ?? 0) };
  }
  const v = valueEnd(text, after);
  return v.end === -2 ? "none" : v.end === -1 ? "open" : { bodyEnd: v.end, end: v.end };
}

/** Read one block opening at `m`; "pending" while undecided, null when it is not a call block. */
function readBlock(
  text: string,
  m: RegExpExecArray,
  final: boolean,
  ending: CallEnd,
): CallBlock | "pending" | null {
  const after = m.index + m[0].length;
  if (m[4] !== undefined) return readSection(text, m.index, m[4], final);
  if (m[0] === "[TOOL_CALLS]" && valueEnd(text, after).end === -2) {
    return mistralNamed(text, m.index, after, final);
  }
  let b = bounds(text, m, after);
  if (b === "none") return null;
  const open = b === "open";
  if (b === "open") {
    if (!final) return "pending";
    b = { bodyEnd: text.length, end: text.length };
  }
  // A `</tool_call>` may still follow `</function>` (its opener left out): wait for it.
  if (!final && m[1] !== undefined && STRAY_CLOSE_PREFIX.test(text.slice(b.end))) return "pending";
  const block = finish(text, m.index, after, b.bodyEnd, b.end, m, ending);
  if (!open) return block;
  // Cut before its closer: a body that no longer reads still marks a call (flagged when the
  // token limit cut it).
  if (block === null && KEY_LIKE.test(text.slice(after))) {
    return { start: m.index, end: b.end, format: m[0], calls: [], open };
  }
  return block === null ? null : { ...block, open };
}

/** The block from `start` to `end` whose body is [after, bodyEnd), if that body holds calls. */
function finish(
  text: string,
  start: number,
  after: number,
  bodyEnd: number,
  end: number,
  m: RegExpExecArray,
  ending: CallEnd,
): CallBlock | null {
  const body = text.slice(after, bodyEnd);
  const format = m[1] !== undefined ? "<function=…>" : m[2] !== undefined ? "fenced JSON" : m[0];
  if (m[1] !== undefined) {
    const xml = xmlParameters(body);
    const args = xml ?? (body.trim() === "" ? "{}" : body.trim());
    return {
      start,
      end,
      format: xml === null ? format : "Qwen3-Coder XML",
      calls: [{ name: m[1], arguments: args }],
    };
  }
  if (m[0] === "<tool_call>") {
    const xml = xmlFunctions(body);
    if (xml !== null) return { start, end, format: "Qwen3-Coder XML", calls: xml };
    const glm = body.includes("<arg_key>") || /^\s*[\w.:-]+\s*$/.test(body) ? glmCall(body) : null;
    if (glm !== null) return { start, end, format: "GLM arg_key/arg_value", calls: [glm] };
  }
  const calls = callsOf(body, ending);
  return calls ? { start, end, format, calls } : null;
}

/** A token section (Kimi-K2, DeepSeek, Harmony) opening at `start` with `opener`. */
function readSection(
  text: string,
  start: number,
  opener: string,
  final: boolean,
): CallBlock | "pending" | null {
  const section = sectionOf(opener);
  const harmony = opener.includes("<|channel|>");
  if (harmony) {
    // A commentary message without a recipient is a preamble, not a call.
    const message = text.indexOf("<|message|>", start);
    const header = text.slice(start, message === -1 ? text.length : message);
    if (message !== -1 && !/\bto=/.test(header)) return null;
    if (message === -1 && (final || header.length > 200)) return null;
  }
  let end = -1;
  const from = start + opener.length;
  for (const closer of section.closers) {
    const found = typeof closer === "string"
      ? { at: text.indexOf(closer, from), length: closer.length }
      : closerMatch(text, closer, from);
    if (found.at !== -1 && (end === -1 || found.at + found.length < end)) {
      end = found.at + found.length;
    }
  }
  const open = end === -1;
  if (open) {
    if (!final) return "pending";
    end = text.length;
  }
  const calls = section.read(text.slice(start, end));
  return calls === null ? null : { start, end, format: section.format, calls, open };
}

/** The first match of `closer` at or after `from`: its offset (-1 when none) and length. */
function closerMatch(text: string, closer: RegExp, from: number): { at: number; length: number } {
  const m = closer.exec(text.slice(from));
  return m === null ? { at: -1, length: 0 } : { at: from + m.index, length: m[0].length };
}

/** Mistral's newer `[TOOL_CALLS]name[ARGS]{…}` form. */
function mistralNamed(text: string, start: number, after: number, final: boolean) {
  const m = /^([\w.:-]+)\[ARGS\]/.exec(text.slice(after));
  if (!m) {
    return !final && /^[\w.:-]*(?:\[(?:A(?:R(?:G(?:S)?)?)?)?)?$/.test(text.slice(after))
      ? "pending"
      : null;
  }
  const v = valueEnd(text, after + m[0].length);
  if (v.end === -2) return null;
  if (v.end === -1 && !final) return "pending";
  const end = v.end === -1 ? text.length : v.end;
  const args = text.slice(v.start, end);
  const calls = [{ name: m[1]!, arguments: args }];
  return { start, end, format: "[TOOL_CALLS]", calls, open: v.end === -1 };
}

/**
 * A call written as a bare JSON object at the very start of the answer. Pending while the object
 * is open and looks like a call (a name-like key, or still short).
 */
function bareCall(
  text: string,
  from: number,
  final: boolean,
  ending: CallEnd,
): CallBlock | "pending" | null {
  const v = valueEnd(text, from);
  if (v.start >= text.length || text[v.start] !== "{") return null;
  if (v.end === -1 && !final) {
    return KEY_LIKE.test(text) || text.length - v.start < 64 ? "pending" : null;
  }
  const end = v.end === -1 ? text.length : v.end;
  const calls = callsOf(text.slice(v.start, end), ending);
  return calls ? { start: v.start, end, format: "bare JSON", calls, open: v.end === -1 } : null;
}

/** Where a partial opener at the very end of `text` starts, else text.length. */
function partialOpener(text: string): number {
  // A fence prefix ends with a backtick and at most 9 letters ("tool_call"): look for the line
  // start only then (a long last line is slow to search back through).
  if (text.indexOf("`", text.length - 10) !== -1) {
    const lineStart = text.lastIndexOf("\n") + 1;
    if (FENCE_PREFIX.test(text.slice(lineStart))) return lineStart;
  }
  const harmony = HARMONY_PARTIAL.exec(text.slice(-240));
  if (harmony !== null) return text.length - harmony[0].length;
  const named = /<function=[\w.:-]*$/.exec(text.slice(-120));
  if (named !== null) return text.length - named[0].length;
  for (let i = Math.max(0, text.length - LONGEST_OPENER + 1); i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 60 || c === 91) && OPENER_PREFIXES.has(text.slice(i))) return i; // "<" or "["
  }
  return text.length;
}

/** Code ranges of `text` from the line holding `from` on (earlier code does not matter). */
function codeFrom(text: string, fence: string | null, from: number): CodeRange[] {
  const lineStart = from === 0 ? 0 : text.lastIndexOf("\n", from - 1) + 1;
  const state = lineStart === 0 ? fence : advanceFence(fence, text.slice(0, lineStart));
  return codeRanges(text.slice(lineStart), state)
    .map((r) => ({ start: r.start + lineStart, end: r.end + lineStart }));
}

/**
 * Find the tool-call blocks of `text` that open at or after `from`, outside Markdown code (a
 * fenced JSON block is one itself), given the fence open at offset 0. With `final` false, a block
 * not yet closed is pending; `ending` says how the generation ended (a JSON body cut by the token
 * limit is never completed, one the model ended itself may be).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(scanTextCalls('<tool_call>{"name":"ls","arguments":{}}</tool_call>', null, false).blocks[0]?.calls, [{ name: "ls", arguments: "{}" }]);
 * ```
 */
export function scanTextCalls(
  text: string,
  fence: string | null,
  final: boolean,
  from = 0,
  ending: CallEnd = "unknown",
): CallScan {
  const blocks: CallBlock[] = [];
  let pendingFrom = final ? text.length : Math.max(from, partialOpener(text));
  const first = text.search(/\S/);
  const bareCandidate = fence === null && (first === -1 || first >= from);
  if (!bareCandidate && !QUICK.test(text.slice(from))) return { blocks, pendingFrom };
  const code = codeFrom(text, fence, from);
  OPENER.lastIndex = from;
  if (bareCandidate) {
    const bare = bareCall(text, from, final, ending);
    if (bare === "pending") return { blocks, pendingFrom: text.search(/\S/) };
    if (bare !== null) {
      blocks.push(bare);
      OPENER.lastIndex = bare.end;
    }
  }
  for (let m = OPENER.exec(text); m !== null; m = OPENER.exec(text)) {
    const isFence = m[2] !== undefined;
    if (isFence ? !code.some((r) => r.start === m!.index) : inRanges(code, m.index)) continue;
    const block = readBlock(text, m, final, ending);
    if (block === "pending") {
      if (!isFence || KEY_LIKE.test(text.slice(m.index)) || text.length - m.index < 64) {
        pendingFrom = Math.min(pendingFrom, m.index);
      }
      break;
    }
    if (block !== null) {
      blocks.push(block);
      OPENER.lastIndex = block.end;
    }
  }
  return { blocks, pendingFrom };
}
