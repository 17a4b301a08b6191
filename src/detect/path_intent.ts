/**
 * New-file intent: whether an answer introduces a path as a file it is about to create, judged
 * from the structure around the path rather than from fixed sentences:
 * - in prose, the last verb cue of the clause before the path: a make-verb (create, generate,
 *   scaffold, set up, …), a write-verb with the path as its destination (write/save/put/store/copy
 *   … to/into/as/in the path), an add-verb with the path as its object (add `x`, add a test file
 *   at `x` — not "add … to `x`", which edits it), or "new"/"separate"/… before a file noun; an
 *   edit-verb (open, update, fix, see, …) after those cancels them;
 * - a remark after the path ("(new)", "— new file", "doesn't exist yet", "will be created");
 * - the path labels a code block: it ends its line (with `:`) and a fence follows, or it is the
 *   fence's title or a comment on the block's first line;
 * - in code and shell commands: `touch x`, `mkdir x`, `> x`, `tee x`, the last argument of
 *   `cp`/`mv`, a write call (`open("x", "w")`, `df.to_csv("x")`).
 * @module
 */
import { type CodeRange, inRanges } from "../text/markdown.ts";

/** Where one occurrence of a path sits in the text. */
export interface Occurrence {
  /** Start and end of the whole run (quotes and `./` included) — what the words surround. */
  runStart: number;
  runEnd: number;
}

/** How far back (on the path's line) a cue is looked for. */
const LOOKBEHIND = 200;
/** How far after the path (same line) a remark is looked for. */
const LOOKAHEAD = 100;

/** Nouns that name a file-like thing ("a new test file", "its own module"). */
const FILE_NOUN =
  "(?:file|files|module|modules|script|scripts|test|tests|spec|suite|component|components|page|folder|directory|dir|class|package|helper|helpers|route|endpoint|migration|fixture|config|configuration|workflow|entry ?point|schema|hook|service|util|utils|template|stylesheet|example|stub|home|document|doc|notebook|plugin|handler|controller|model|view|layout|partial|command|worker|job|task|manifest|dockerfile)";
const NEW_ADJ =
  "(?:new|brand-new|fresh|empty|separate|another|additional|dedicated|standalone|own|extra|second)";

/** Cue classes, checked on the clause before the path. The last cue found decides. */
const CUES: readonly { kind: Cue; re: RegExp }[] = [
  {
    kind: "make",
    re:
      /\b(?:creat(?:e|es|ed|ing)|generat(?:e|es|ed|ing)|scaffold(?:s|ed|ing)?|touch|mkdir|mak(?:e|es|ing)|made|initiali[sz](?:e|es|ed|ing)|bootstrap(?:s|ped|ping)?|introduc(?:e|es|ed|ing)|set(?:s|ting)? up|stub(?:s|bed|bing)?(?: out)?|spin(?:s|ning)? up|new-file|draft(?:s|ed|ing)?|build(?:s|ing)?|built|author(?:s|ed|ing)?|compos(?:e|es|ed|ing)|craft(?:s|ed|ing)?|produc(?:e|es|ed|ing)|prepar(?:e|es|ed|ing)|sketch(?:es|ed|ing)?|whip(?:s|ped|ping)? up|put(?:s|ting)? together|writ(?:e|es|ing) up|lay(?:s|ing)? out|establish(?:es|ed|ing)?|(?:call|name)(?:s|d|ed|ing)? (?:it|this|that|the file|the module))\b/gi,
  },
  {
    kind: "write",
    re:
      /\b(?:writ(?:e|es|ing|ten)|wrote|sav(?:e|es|ed|ing)|put(?:s|ting)?|plac(?:e|es|ed|ing)|stor(?:e|es|ed|ing)|dump(?:s|ed|ing)?|export(?:s|ed|ing)?|output(?:s|ted|ting)?|emit(?:s|ted|ting)?|redirect(?:s|ed|ing)?|pip(?:e|es|ed|ing)|past(?:e|es|ed|ing)|cop(?:y|ies|ied|ying)|mov(?:e|es|ed|ing)|drop(?:s|ped|ping)?|split(?:s|ting)?|extract(?:s|ed|ing)?)\b/gi,
  },
  {
    kind: "add",
    re: /\b(?:add(?:s|ed|ing)?|includ(?:e|es|ed|ing)|insert(?:s|ed|ing)?|append(?:s|ed|ing)?)\b/gi,
  },
  {
    kind: "new",
    re: new RegExp(`\\b${NEW_ADJ}\\s+(?:[\\w-]+\\s+){0,2}${FILE_NOUN}\\b`, "gi"),
  },
  {
    kind: "edit",
    re:
      /\b(?:edit|updat|modif|chang|fix|patch|open|replac|refactor|adjust|tweak|look|check|see|read|review|inspect|run|execut|import|extend|remov|delet|renam|debug|find|defin|implement|referenc|mention|compar|declar|locat|sit|liv|point|touch|depend|load|keep|show|explain|describ)(?:e|es|ed|d|s|ing|ning|ting|ting|ped|ping|ies|ied|y)?\b|\b(?:found|kept|ran|saw|seen|sat|use|uses|used|using)\b/gi,
  },
];

type Cue = "make" | "write" | "add" | "new" | "edit";

/** "new" (or the like) right before the path: "a new `x` file". */
const NEW_BEFORE = new RegExp(`\\b${NEW_ADJ}[\\s\`"'*[(]*$`, "i");
/** The bridge after an add-verb that makes the path its object (not "add … to `x`"). */
const OBJECT = new RegExp(
  `^[\\s\`"'*[(]*$|(?:\\b(?:at|as|called|named)\\b|[:,—–(-]|\\b${FILE_NOUN})[\\s\`"'*[(]*$`,
  "i",
);
/** Write-verbs whose direct object is the file written ("save `x`", "put together `x`"). */
const DIRECT_WRITE = /^(?:writ|wrote|put)/i;
/** A direct object: nothing but a particle between the verb and the path. */
const DIRECT = /^\s*(?:(?:together|out|up|down|away|in place)\s+)?[`"'*[(]*$/i;
/** "add … to/into/in x": an edit of x. */
const EDIT_TARGET = /\b(?:to|into|in|inside|within)\b[^,:]*$/i;

/** A remark after the path that calls it new. */
const AFTER =
  /^[`"'*\])]*\s*(?:\([^)\n]{0,30}\bnew\b[^)\n]{0,20}\)|[^.!?\n]{0,40}\b(?:is|are)\s+(?:a\s+|brand[- ])?new\b|[^.!?\n]{0,60}\b(?:create|creating|generate|scaffold|add|write|make) (?:it|this file|the file|that file)\b|\((?:to be created|created below|not yet created)\)|[—–-]+\s*(?:a\s+)?new\b|(?:is|as)\s+(?:a\s+)?new\b|,?\s*(?:a\s+)?new file\b|[^.!?\n]{0,60}\b(?:doesn'?t|does not|don'?t|do not) exist\b|[^.!?\n]{0,40}\b(?:will be|to be|gets?|is being|are being) (?:created|generated|added|written)\b|[^.!?\n]{0,40}\b(?:which|that) (?:you|we|I)(?:'ll| will| should| need to| can| must)? (?:create|add|write)\b|[^.!?\n]{0,40}\((?:create|add) (?:it|this file|the file)\b)/i;
/** "with the following content" right after the path: new unless an edit-verb came first. */
const FOLLOWING =
  /^[`"'*\])]*\s*(?:with|containing|holding) (?:the following|this|these) (?:content|contents|code|lines?)\b/i;

/** The last cue in `clause`: its class, the word, and the text after it. */
function lastCue(clause: string): { kind: Cue; word: string; bridge: string } | null {
  let best: { kind: Cue; at: number; word: string } | null = null;
  for (const { kind, re } of CUES) {
    re.lastIndex = 0;
    for (let m = re.exec(clause); m !== null; m = re.exec(clause)) {
      // The cue ending last wins; on a tie the earlier class (an edit-verb last).
      const end = m.index + m[0].length;
      if (best === null || end > best.at + best.word.length) {
        best = { kind, at: m.index, word: m[0] };
      }
    }
  }
  if (best === null) return null;
  return { kind: best.kind, word: best.word, bridge: clause.slice(best.at + best.word.length) };
}

/** True when the cue before the path makes it a new file. */
function cueSaysNew(clause: string, fabricated: boolean): boolean {
  if (NEW_BEFORE.test(clause)) return true;
  const cue = lastCue(clause);
  if (cue === null) return false;
  const b = cue.bridge;
  switch (cue.kind) {
    case "make":
      // "create `x`", "generate a starter `x`", "create the file x", "generate the types into x";
      // "create a helper in x" / "generate docs from x" may mean an existing x: only when
      // nothing real is close to it.
      if (OBJECT.test(b) || STRONG_DESTINATION.test(b) || SHORT_OBJECT.test(b)) return true;
      return fabricated && LOCATIVE.test(b);
    case "new":
      return SHORT_LINK.test(b);
    case "write":
      if (STRONG_DESTINATION.test(b) && !/\binto\b[\s`"'*[(]*$/i.test(b)) return true;
      if (DIRECT_WRITE.test(cue.word) && DIRECT.test(b)) return true;
      // "save the report to x", "store the output in x" (whole contents) vs "write a comment
      // in x", "save your changes to x" (an edit): by what is written, or when nothing is close.
      return (WEAK_DESTINATION.test(b) || LOCATIVE.test(b)) && (fabricated || CONTENTS.test(b));
    case "add":
      return (OBJECT.test(b) || SHORT_OBJECT.test(b)) && !EDIT_TARGET.test(b);
    default:
      return false;
  }
}

/**
 * The path as the verb's object after at most three words and no preposition ("create an
 * empty `x`", "generate a starter `x`", "add a `x`").
 */
const SHORT_OBJECT =
  /^\s*(?:(?!(?:in|into|to|from|of|on|for|with|by|at|about|above|below|inside|within|under|over|after|before|sure|certain)\b)[\w-]+\s+){0,3}[`"'*[(]*$/i;
/** A connector that names the path as the thing written: "as x", "called x", "x:". */
const STRONG_DESTINATION =
  /(?:\b(?:as|at|called|named|into)\b(?:\s+(?:a|an|the|its|their|own|new|separate|fresh|single)\b){0,3}|[:,—–(-])[\s`"'*[(]*$/i;
/** "to x" / "into x" / "there": the path is where something goes. */
const WEAK_DESTINATION =
  /\b(?:to|into|there)\b(?:\s+(?:a|an|the|its|their|own|new|separate|fresh|single)\b){0,3}[\s`"'*[(]*$/i;
/** A place inside or a source: "in x", "from x", "of x". */
const LOCATIVE =
  /\b(?:in|inside|within|under|from|of|on)\b(?:\s+(?:a|an|the|its|their|own|new|separate|fresh|single)\b){0,3}[\s`"'*[(]*$/i;
/** What is written is a whole file's contents. */
const CONTENTS =
  /\b(?:this|that|it|them|these|following|everything|code|snippet|output|outputs|result|results|report|data|config|configuration|script|schema|types|contents?|template|fixture|migration|example|file)\b/i;
/** After "a new test file", "its own module": only a comma, a colon or a naming word to the path. */
const SHORT_LINK =
  /^[^.!?\n]{0,30}?(?:[,:—–(-]|\b(?:at|as|called|named)\b)\s*[`"'*[(]*$|^\s*(?:\b(?:in|under|into)\b)?\s*[`"'*[(]*$/i;

/** The clause before `at` on its line: from the last sentence end (or list marker) on. */
function clauseBefore(text: string, at: number): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  const prefix = text.slice(Math.max(lineStart, at - LOOKBEHIND), at);
  const parts = prefix.split(/(?<=[.!?;])\s+/);
  // Other paths and links in the clause are no words ("src/store/x.ts" holds no "store" verb).
  return (parts[parts.length - 1] ?? "").replace(
    /[\w.~\/\\-]*[\/\\][\w.~\/\\-]*|\b[\w-]+\.[a-z]\w*\b/gi,
    "§",
  );
}

/** Before a path on its line: only list markers, emphasis, quotes or a "File:" label. */
const LABEL_PREFIX = /^[\s>*#+\-\d.)\/`"':=|]*((new )?(file|path|filename)\s*[:=]?\s*[`"'*]*)?$/i;
/** A list item, blank line or fence line: skipped when looking for the line introducing a path. */
const SKIPPED_LINE = /^\s*(([-*+]|\d+[.)])\s.{0,100}|`{3,}.*|~{3,}.*|)$/;

/** For a path that is only labelled on its line, the cue in the line introducing the list. */
function introducedAbove(text: string, lineStart: number, fabricated: boolean): boolean {
  let end = lineStart - 1;
  for (let k = 0; k < 12 && end > 0 && lineStart - end < LOOKBEHIND * 4; k++) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end);
    if (!SKIPPED_LINE.test(line)) return cueSaysNew(line, fabricated);
    if (/^\s*([-*+]|\d+[.)])\s/.test(line) && cueSaysNew(line, fabricated)) return true;
    end = start - 1;
  }
  return false;
}

/** The path ends its line (perhaps with `:` or a closing mark) and a code fence comes next. */
function labelsBlock(text: string, o: Occurrence): boolean {
  const lineEnd = text.indexOf("\n", o.runEnd);
  if (lineEnd === -1) return false;
  const rest = text.slice(o.runEnd, lineEnd);
  if (!/^[`"'*\])]*\s*(?:\((?:new|new file)\))?\s*[:：]?\s*$/.test(rest)) return false;
  const next = /^(?:[ \t]*\n)*[ \t]*(`{3,}|~{3,})/.exec(text.slice(lineEnd + 1));
  return next !== null;
}

/** Fence title or a comment alone on the block's first line (`// src/x.ts`). */
function fileHeader(text: string, o: Occurrence): boolean {
  const lineStart = text.lastIndexOf("\n", o.runStart - 1) + 1;
  const prefix = text.slice(lineStart, o.runStart);
  if (/^\s*(`{3,}|~{3,})[\w+-]*[\s:]*(title=)?["']?$/.test(prefix)) return true;
  if (!/^\s*(\/\/|#|--|\/\*|<!--|;)\s*((file|filename|path)\s*:\s*)?$/i.test(prefix)) return false;
  const prevStart = text.lastIndexOf("\n", lineStart - 2) + 1;
  return lineStart > 0 && /^\s*(`{3,}|~{3,})/.test(text.slice(prevStart, lineStart - 1));
}

/** In code: a command or call on the path's line that writes it. */
const SHELL_WRITE =
  /(?:(?:^|[;&|(]|\$)\s*(?:sudo\s+)?(?:touch|mkdir|tee|New-Item|ni)\b[^;&|]*|>>?\s*|\s(?:-o|--output|--out|--outfile|--out-file|--outdir|--out-dir)[\s=]|\b(?:cp|mv|install|ln|rsync|scp)\b[^;&|]*\s)$/;
const WRITE_CALL =
  /\w*(save|write|dump|savefig|to_csv|to_json|to_excel|to_parquet|export|mkdir|makedirs|output|create)\w*\s*\(/i;
/** A mode argument after the path: `open("x", "w")`. */
const WRITE_MODE = /^["'`]?\s*,\s*(mode\s*=\s*)?["'`][wax]\+?b?["'`]/;

/** A write call before the path on its line, or a write mode after it (bare or fenced code). */
function writeCall(text: string, o: Occurrence): boolean {
  const lineStart = text.lastIndexOf("\n", o.runStart - 1) + 1;
  const before = text.slice(Math.max(lineStart, o.runStart - LOOKBEHIND), o.runStart);
  if (WRITE_MODE.test(text.slice(o.runEnd, o.runEnd + 20))) return true;
  const call = WRITE_CALL.exec(before);
  if (call === null) return false;
  // The path is an argument of that call: its parenthesis is still open.
  let depth = 0;
  for (const c of before.slice(call.index + call[0].length - 1)) {
    if (c === "(") depth++;
    else if (c === ")") depth--;
  }
  return depth > 0;
}

/**
 * True when a command line (or code line) writes the path at `o`: `touch x`, `mkdir -p x`,
 * `> x`, `tee x`, `-o x`, the last argument of `cp`/`mv`, a write call such as `open("x", "w")`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(commandWrites("cp a.ts b.ts\n", { runStart: 8, runEnd: 12 }), true);
 * ```
 */
export function commandWrites(text: string, o: Occurrence): boolean {
  return writeCall(text, o) || codeSaysNew(text, o);
}

function codeSaysNew(text: string, o: Occurrence): boolean {
  const lineStart = text.lastIndexOf("\n", o.runStart - 1) + 1;
  const before = text.slice(Math.max(lineStart, o.runStart - LOOKBEHIND), o.runStart);
  const command = before.replace(/["'`]+$/, "");
  if (!SHELL_WRITE.test(command)) return false;
  // cp/mv: only the last argument is written.
  if (/\b(?:cp|mv|install|ln|rsync|scp)\b[^;&|]*\s$/.test(command)) {
    return /^["'`]?[ \t]*(?:[;&|#\n])/.test(text.slice(o.runEnd, o.runEnd + 10));
  }
  return true;
}

/**
 * True when this occurrence of a path introduces it as a new file (see the module doc).
 * `code` are the text's code ranges (fenced blocks and inline spans). A path that only labels a
 * code block (a title, a `// x` header, a line ending in `:` before a fence) counts as new when
 * nothing real is close to it (`fabricated`): a near miss of a real file there is a typo.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codeRanges } from "../text/markdown.ts";
 * const text = "Add a test file at `tests/x_test.ts`:";
 * assert.equal(
 *   introducesNew(text, { runStart: 20, runEnd: 35 }, codeRanges(text, null), false),
 *   true,
 * );
 * ```
 */
export function introducesNew(
  text: string,
  o: Occurrence,
  code: readonly CodeRange[],
  fabricated: boolean,
): boolean {
  if (writeCall(text, o)) return true;
  if (fabricated && fileHeader(text, o)) return true;
  const inCode = inRanges(code, o.runStart);
  if (inCode && !isWholeSpan(text, o, code)) return codeSaysNew(text, o);
  const clause = clauseBefore(text, o.runStart);
  const after = text.slice(o.runEnd, o.runEnd + LOOKAHEAD);
  const cue = lastCue(clause);
  if (cueSaysNew(clause, fabricated) && !causative(cue, after)) return true;
  const edited = cue !== null && cue.kind === "edit";
  if (AFTER.test(after)) return true;
  if (!edited && FOLLOWING.test(after)) return true;
  if (
    !edited && fabricated && labelsBlock(text, o) &&
    !/\b(?:in|inside|within|of|from)\s*[`"'*]*$/i.test(clause)
  ) {
    return true;
  }
  const lineStart = text.lastIndexOf("\n", o.runStart - 1) + 1;
  return LABEL_PREFIX.test(text.slice(lineStart, o.runStart)) &&
    introducedAbove(text, lineStart, fabricated);
}

/** "Make `x` export the helper": make + object + a bare verb is no creation. */
function causative(cue: ReturnType<typeof lastCue>, after: string): boolean {
  if (cue === null || !/^ma[dk]/i.test(cue.word)) return false;
  const next = /^[`"'*\])]*\s+([a-z]+)\b/.exec(after)?.[1];
  return next !== undefined && !LINK_WORDS.test(next);
}

/** Words that may follow a made file without making "make" causative. */
const LINK_WORDS =
  /^(?:and|with|for|that|which|so|as|in|under|to|by|containing|holding|next|alongside|from|first|now|here|there|too|also|then|inside|where|if|once|before|after|using|via|at|on|or|but)$/;

/** An inline code span holding only this path (`` `src/x.ts` ``): read it as prose. */
function isWholeSpan(text: string, o: Occurrence, code: readonly CodeRange[]): boolean {
  for (const r of code) {
    if (r.start <= o.runStart && o.runStart < r.end) {
      const inner = text.slice(r.start, r.end).replace(/^`+|`+$/g, "");
      return !inner.includes("\n") && inner.trim().length <= o.runEnd - o.runStart + 2;
    }
  }
  return false;
}
