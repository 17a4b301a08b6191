/**
 * Chat-template control tokens of the common model families, split into tokens that end a turn
 * or a document (the answer stops there) and tokens that only mark structure (removed when stray).
 * @module
 */

/** Tokens that end a turn or a document: the answer ends where one leaks. */
export const END_TOKENS: readonly string[] = [
  "<|im_end|>", // ChatML
  "<|endoftext|>", // Qwen, GPT-2 family, Phi-3
  "<|eot_id|>", // Llama 3
  "<|eom_id|>",
  "<|end_of_text|>",
  "</s>", // Llama 2, Mistral
  "<end_of_turn>", // Gemma
  "<eos>",
  "<|end|>", // Phi-3
  "<｜end▁of▁sentence｜>", // DeepSeek
  "<|end▁of▁sentence|>",
  "<|end_of_sentence|>",
  "<|return|>", // gpt-oss Harmony: end of the final message
  "<|call|>", // Harmony: end of a tool call message
];

/** Tokens that open a turn: a role name right after them belongs to the token. */
export const TURN_START_TOKENS: readonly string[] = [
  "<|im_start|>",
  "<|start_header_id|>",
  "<start_of_turn>",
  "<|start|>", // Harmony: a role follows
  "<|channel|>", // Harmony: a channel name (and header) up to <|message|> follows
];

/** Other structural tokens: removed where they leak. */
export const STRAY_TOKENS: readonly string[] = [
  ...TURN_START_TOKENS,
  "<|end_header_id|>",
  "<|begin_of_text|>",
  "<|im_sep|>",
  "<s>",
  "[INST]",
  "[/INST]",
  "<<SYS>>",
  "<</SYS>>",
  "<bos>",
  "<|user|>",
  "<|assistant|>",
  "<|system|>",
  "<｜User｜>",
  "<｜Assistant｜>",
  "<｜begin▁of▁sentence｜>",
  "<|User|>",
  "<|Assistant|>",
  "<|begin▁of▁sentence|>",
  "<|message|>",
  "<|constrain|>",
];

const ALL = [...END_TOKENS, ...STRAY_TOKENS].sort((a, b) => b.length - a.length);
const END_SET: ReadonlySet<string> = new Set(END_TOKENS);
const TURN_SET: ReadonlySet<string> = new Set(TURN_START_TOKENS);

/** Every proper prefix of a token (what a token split across chunks can end the text with). */
const PREFIXES: ReadonlySet<string> = new Set(
  ALL.flatMap((t) => Array.from({ length: t.length - 1 }, (_, k) => t.slice(0, k + 1))),
);

/** Longest token length (bounds the partial-token holdback). */
export const MAX_TOKEN_LENGTH = Math.max(...ALL.map((t) => t.length));

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const TOKEN_SOURCE = ALL.map(escape).join("|");

/**
 * Matches any known token (a fresh `g` regex per call keeps detectors re-entrant).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(tokenRegex().exec("a<|im_end|>")?.index, 1);
 * ```
 */
export function tokenRegex(): RegExp {
  return new RegExp(TOKEN_SOURCE, "g");
}

/**
 * True for tokens that end a turn or a document.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isEndToken("<|eot_id|>"), true);
 * ```
 */
export function isEndToken(token: string): boolean {
  return END_SET.has(token);
}

/**
 * True for tokens that open a turn (a role name may follow).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isTurnStart("<|im_start|>"), true);
 * ```
 */
export function isTurnStart(token: string): boolean {
  return TURN_SET.has(token);
}

/**
 * Role names written after a turn-start token; a Harmony role is followed by its header, a channel
 * name by the rest of the header up to `<|message|>` (both taken along).
 */
export const ROLE_AFTER_START =
  /^(?:(system|user|assistant|model|tool|developer)(?:<\|end_header_id\|>[ \t]*\n?\n|[ \t]*\n|(?=<\|channel\|>|<\|message\|>))|(final|analysis|commentary)\b[^<\n]{0,80}(?:<\|constrain\|>[^<\n]{0,40})?<\|message\|>)/;

/**
 * Offset where a proper prefix of a token begins at the end of `text`, or -1.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(partialTokenAt("done <|im_"), 5);
 * ```
 */
export function partialTokenAt(text: string): number {
  const from = Math.max(0, text.length - MAX_TOKEN_LENGTH + 1);
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if ((c === "<" || c === "[") && PREFIXES.has(text.slice(i))) return i;
  }
  return -1;
}
