/**
 * Where a JSON-ish text (JSON, JS object literal, Python repr) stops: complete, or cut off, and if
 * cut off whether closing the open brackets restores it (only closers were lost) or real content
 * is gone (a number, a string, a key or a value may have been cut).
 * @module
 */

/** The verdict on the end of a JSON-ish text. */
export type Ending =
  | { kind: "complete" }
  /** Cut off after a complete value: closing the open brackets is a safe repair. */
  | { kind: "closable" }
  /** Cut off where content may have been lost; `why` says where. */
  | { kind: "lost"; why: string; inString: boolean };

/** Bare words that cannot be extended, so ending on one loses nothing. */
const literals = new Set(["true", "false", "null", "True", "False", "None"]);

interface Scan {
  depth: number;
  /** Open quote character while inside a string, else "". */
  quote: string;
  /** The string (open or last closed) is an object key. */
  stringIsKey: boolean;
  /** The last non-space token: "{", "}", ",", ":", "string", or a bare word. */
  last: string;
}

/** Walk the text once, tracking strings (both quote kinds), bracket depth and key position. */
function scan(text: string): Scan {
  const stack: string[] = [];
  const s: Scan = { depth: 0, quote: "", stringIsKey: false, last: "" };
  let expectKey = false;
  let word = "";
  const endWord = () => {
    if (word !== "") s.last = word;
    word = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (s.quote !== "") {
      if (c === "\\") i++;
      else if (c === s.quote) {
        s.quote = "";
        s.last = "string";
      }
      continue;
    }
    if (c === '"' || c === "'") {
      endWord();
      s.quote = c;
      s.stringIsKey = expectKey;
      expectKey = false;
    } else if (c === "{" || c === "[") {
      endWord();
      stack.push(c);
      expectKey = c === "{";
      s.last = "{";
    } else if (c === "}" || c === "]") {
      endWord();
      stack.pop();
      s.last = "}";
      expectKey = false;
    } else if (c === "," || c === ":") {
      endWord();
      s.last = c;
      expectKey = c === "," && stack[stack.length - 1] === "{";
    } else if (/\s/.test(c)) {
      endWord();
    } else {
      if (word === "") s.stringIsKey = expectKey;
      word += c;
      expectKey = false;
    }
  }
  endWord();
  s.depth = stack.length;
  return s;
}

/**
 * Classify how a JSON-ish text ends.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(endingOf('{"a":"x"'), { kind: "closable" });
 * assert.deepEqual(endingOf('{"a":30'), { kind: "lost", why: "ends inside a number or word", inString: false });
 * assert.deepEqual(endingOf('{"a":1}'), { kind: "complete" });
 * ```
 */
export function endingOf(text: string): Ending {
  const s = scan(text);
  if (s.quote !== "") {
    return s.stringIsKey
      ? { kind: "lost", why: "ends inside a key", inString: true }
      : { kind: "lost", why: "ends inside a string", inString: true };
  }
  if (s.depth === 0) return { kind: "complete" };
  if (s.last === "{" || s.last === "}") return { kind: "closable" };
  if (s.last === ",") return { kind: "lost", why: "ends after a comma", inString: false };
  if (s.last === ":") return { kind: "lost", why: "ends before a value", inString: false };
  if (s.stringIsKey) return { kind: "lost", why: "ends after a key", inString: false };
  if (s.last === "string" || literals.has(s.last)) return { kind: "closable" };
  return { kind: "lost", why: "ends inside a number or word", inString: false };
}
