/**
 * The bodies of tool calls written in model-specific text formats, read into name + JSON
 * arguments: Qwen3-Coder's XML parameters (`<function=f><parameter=k>v</parameter></function>`),
 * GLM's `name<arg_key>k</arg_key><arg_value>v</arg_value>`, Kimi-K2's and DeepSeek's tool-call
 * section tokens and gpt-oss Harmony commentary calls
 * (`<|channel|>commentary to=functions.f <|constrain|>json<|message|>{…}<|call|>`).
 * XML and GLM values are text; the caller fits them to the tool's schema (`"5"` → 5).
 * @module
 */

/** A call as written: the name, and the arguments as JSON text (possibly still malformed). */
export interface WrittenCall {
  name: string;
  arguments: string;
}

/** Where a token-delimited section ends. */
export interface Section {
  /** Format name for the detection's reason. */
  format: string;
  /** The tokens that close the section (a pattern for spelling variants); the first found wins. */
  closers: readonly (string | RegExp)[];
  /** Read the calls of the section's text (opener to closer, both included). */
  read(body: string): WrittenCall[] | null;
}

/**
 * One XML-ish value: the line break (and indentation) after the opening tag and before the
 * closing one belong to the markup; a one-line value is trimmed (`<parameter=k> 5 </parameter>`).
 */
function value(raw: string): string {
  const inner = raw.replace(/^[ \t]*\r?\n/, "").replace(/\r?\n[ \t]*$/, "");
  return inner.includes("\n") ? inner : inner.trim();
}

/**
 * Qwen3-Coder parameters: `<parameter=k>v</parameter>` pairs, in order. A parameter whose close
 * tag is missing runs to the next `<parameter=` or the end. Null when there is none.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(xmlParameters("<parameter=path>\na.ts\n</parameter>"), '{"path":"a.ts"}');
 * ```
 */
export function xmlParameters(body: string): string | null {
  const args: Record<string, string> = {};
  const open = /<parameter=([^>\s]+)>/g;
  let found = false;
  for (let m = open.exec(body); m !== null; m = open.exec(body)) {
    const from = m.index + m[0].length;
    const close = body.indexOf("</parameter>", from);
    const next = body.indexOf("<parameter=", from);
    const to = close !== -1 && (next === -1 || close < next)
      ? close
      : next !== -1
      ? next
      : body.length;
    args[m[1]!] = value(body.slice(from, to).replace(/<\/function>\s*$/, ""));
    found = true;
    open.lastIndex = to;
  }
  return found ? JSON.stringify(args) : null;
}

/**
 * A `<function=name>` body in Qwen3-Coder's XML form, as a call (null when it is not that form).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(xmlFunction("<function=read_file>\n<parameter=path>a.ts</parameter>\n</function>"), { name: "read_file", arguments: '{"path":"a.ts"}' });
 * ```
 */
export function xmlFunction(body: string): WrittenCall | null {
  const m = /^\s*<function=([^>\s]+)>/.exec(body);
  if (m === null) return null;
  const rest = body.slice(m[0].length);
  const args = xmlParameters(rest);
  if (args !== null) return { name: m[1]!, arguments: args };
  const inner = rest.replace(/<\/function>[\s\S]*$/, "").trim();
  return { name: m[1]!, arguments: inner === "" ? "{}" : inner };
}

/**
 * Every `<function=name>…</function>` of a `<tool_call>` body (several calls may share one
 * wrapper); null when the body does not start with one or holds anything else between them.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(xmlFunctions("<function=a>\n</function>\n<function=b>\n</function>")?.length, 2);
 * ```
 */
export function xmlFunctions(body: string): WrittenCall[] | null {
  const parts = body.split(/(?=<function=[^>\s]+>)/);
  if (parts[0]?.trim() === "") parts.shift();
  const calls: WrittenCall[] = [];
  for (const [i, part] of parts.entries()) {
    // Each part but the last is closed by its `</function>` with nothing after it.
    if (i < parts.length - 1 && !/<\/function>\s*$/.test(part)) return null;
    const call = xmlFunction(part);
    if (call === null) return null;
    calls.push(call);
  }
  return calls.length > 0 ? calls : null;
}

/**
 * GLM-4.5's form: the name, then `<arg_key>k</arg_key><arg_value>v</arg_value>` pairs.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(glmCall("read_file\n<arg_key>path</arg_key>\n<arg_value>a.ts</arg_value>\n"), { name: "read_file", arguments: '{"path":"a.ts"}' });
 * ```
 */
export function glmCall(body: string): WrittenCall | null {
  const m = /^\s*([\w.:-]+)\s*(?=<arg_key>|$)/.exec(body);
  if (m === null) return null;
  const args: Record<string, string> = {};
  const pair = /<arg_key>([\s\S]*?)<\/arg_key>\s*<arg_value>([\s\S]*?)(?:<\/arg_value>|$)/g;
  for (let p = pair.exec(body); p !== null; p = pair.exec(body)) {
    args[p[1]!.trim()] = value(p[2]!);
  }
  return { name: m[1]!, arguments: JSON.stringify(args) };
}

/** A Kimi-K2 function id `functions.read_file:0` → `read_file`. */
function kimiName(id: string): string {
  const bare = id.trim().replace(/:\d+$/, "");
  return bare.startsWith("functions.") ? bare.slice("functions.".length) : bare;
}

/** Kimi-K2: `<|tool_call_begin|>functions.f:0<|tool_call_argument_begin|>{…}<|tool_call_end|>`. */
function kimiCalls(body: string): WrittenCall[] | null {
  const calls: WrittenCall[] = [];
  const one =
    /<\|tool_call_begin\|>([\s\S]*?)<\|tool_call_argument_begin\|>([\s\S]*?)(?:<\|tool_call_end\|>|<\|tool_calls_section_end\|>|$)/g;
  for (let m = one.exec(body); m !== null; m = one.exec(body)) {
    calls.push({ name: kimiName(m[1]!), arguments: m[2]!.trim() || "{}" });
  }
  return calls.length > 0 ? calls : null;
}

/**
 * DeepSeek's bars and word breaks: full-width `｜` or ASCII `|`; `▁`, or `_`, a space or an escaped
 * `\\_` as models and builds spell them (the spellings llama.cpp accepts too).
 */
const B = "[|｜]";
const S = "(?:[▁_ ]|\\\\_)";
const ds = (name: string) => `<${B}${name.replaceAll(" ", S)}${B}>`;
const DS_CALL = new RegExp(
  `${ds("tool call begin")}([\\s\\S]*?)${ds("tool sep")}([\\s\\S]*?)(?:${ds("tool call end")}|${
    ds("tool calls end")
  }|$)`,
  "g",
);
/** Where a DeepSeek section (or a call outside one) ends. */
const DS_SECTION_END = new RegExp(ds("tool calls end"));
const DS_CALL_END = new RegExp(`${ds("tool call end")}|${ds("tool calls end")}`);

/**
 * DeepSeek V3 (`function<｜tool▁sep｜>name` then a fenced JSON block) and V3.1 / R1
 * (`name<｜tool▁sep｜>{…}`).
 */
function deepseekCalls(body: string): WrittenCall[] | null {
  const calls: WrittenCall[] = [];
  DS_CALL.lastIndex = 0;
  for (let m = DS_CALL.exec(body); m !== null; m = DS_CALL.exec(body)) {
    const head = m[1]!.trim();
    const rest = m[2]!;
    if (head === "function") {
      const v3 = /^\s*([\w.:-]+)\s*(?:```(?:json)?\s*([\s\S]*?)\s*(?:```|$)|([\s\S]*))$/.exec(rest);
      if (v3 === null) return null;
      calls.push({ name: v3[1]!, arguments: (v3[2] ?? v3[3] ?? "").trim() || "{}" });
    } else calls.push({ name: head, arguments: rest.trim() || "{}" });
  }
  return calls.length > 0 ? calls : null;
}

/**
 * Harmony: a header naming the recipient (`to=functions.f`, before or after `<|channel|>`), an
 * optional `<|constrain|>json` or `json`, then `<|message|>` and the JSON arguments up to
 * `<|call|>` (or `<|end|>`, which some builds write instead).
 */
function harmonyCalls(body: string): WrittenCall[] | null {
  const m = /^([\s\S]*?)<\|message\|>([\s\S]*?)(?:<\|call\|>|<\|end\|>|$)/.exec(body);
  if (m === null) return null;
  const to = /\bto=(?:functions\.)?([\w.:-]+)/.exec(m[1]!);
  if (to === null) return null;
  return [{ name: to[1]!, arguments: m[2]!.trim() || "{}" }];
}

/** The token sections, by opener. */
export const SECTIONS: ReadonlyMap<string, Section> = new Map<string, Section>([
  ["<|tool_calls_section_begin|>", {
    format: "Kimi-K2 section",
    closers: ["<|tool_calls_section_end|>"],
    read: kimiCalls,
  }],
  ["<|tool_call_begin|>", {
    format: "Kimi-K2 call",
    closers: ["<|tool_call_end|>"],
    read: kimiCalls,
  }],
  ["deepseek", {
    format: "DeepSeek section",
    closers: [DS_SECTION_END],
    read: deepseekCalls,
  }],
  ["deepseek call", {
    format: "DeepSeek call",
    closers: [DS_CALL_END],
    read: deepseekCalls,
  }],
  ["harmony", {
    format: "Harmony commentary",
    closers: ["<|call|>", "<|end|>"],
    read: harmonyCalls,
  }],
]);

/** Openers of the token sections, as they appear in text (for partial-opener holdback). */
export const SECTION_OPENERS: readonly string[] = [
  "<|tool_calls_section_begin|>",
  "<|tool_call_begin|>",
  "<｜tool▁calls▁begin｜>",
  "<｜tool_calls_begin｜>",
  "<｜tool calls begin｜>",
  "<｜tool\\_calls\\_begin｜>",
  "<｜tool▁calls｜>",
  "<｜tool▁call▁begin｜>",
  "<|tool▁calls▁begin|>",
  "<|tool_calls_begin|>",
  "<|channel|>",
  "<|start|>",
];

/** Regex source matching any section opener (Harmony only with a `to=` recipient ahead). */
export const SECTION_OPENER_SOURCE = [
  "<\\|tool_calls_section_begin\\|>",
  "<\\|tool_call_begin\\|>",
  `<${B}tool${S}calls(?:${S}begin)?${B}>`,
  `<${B}tool${S}call${S}begin${B}>`,
  "(?:<\\|start\\|>assistant[^<\\n]*)?<\\|channel\\|>commentary\\b",
  "<\\|start\\|>assistant[^<\\n]*\\bto=[^<\\n]*<\\|channel\\|>",
  // The generation prompt `<|start|>assistant` was the template's: the answer opens with the
  // recipient.
  "(?:^|(?<=\\s))to=functions\\.[\\w.:-]+[^<\\n]*<\\|channel\\|>",
].join("|");

/** The section an opener (as matched by {@link SECTION_OPENER_SOURCE}) begins. */
export function sectionOf(opener: string): Section {
  if (opener.startsWith("<|tool_calls_section")) return SECTIONS.get(opener)!;
  if (opener.startsWith("<|tool_call_begin")) return SECTIONS.get(opener)!;
  if (opener.includes("<|channel|>")) return SECTIONS.get("harmony")!;
  return SECTIONS.get(
    new RegExp(`^<${B}tool${S}call${S}`).test(opener) ? "deepseek call" : "deepseek",
  )!;
}
