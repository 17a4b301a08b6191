/**
 * How deep a JSON text nests, found without parsing it: `JSON.parse` takes about 1.5 µs per level
 * of `[[[…`, so a 32 MiB request of brackets would hold the process for about 25 s.
 * @module
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * True when the JSON in `bytes` (UTF-8) never nests deeper than `max` arrays and objects;
 * brackets inside strings do not count. One pass, stopping at the first level past `max`.
 * Malformed JSON is not judged here (the parser will).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * assert.equal(nestsWithin(bytes('{"a":[1,{"b":"[[["}]}'), 3), true);
 * assert.equal(nestsWithin(bytes("[[[1]]]"), 2), false);
 * ```
 */
export function nestsWithin(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      i = stringEnd(bytes, i);
      if (i < 0) return true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return false;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return true;
}

/** The offset of the quote that closes the string opened at `open`, or -1 when none does. */
function stringEnd(bytes: Uint8Array, open: number): number {
  // A native search from quote to quote; a quote preceded by an odd run of backslashes is escaped.
  for (let at = bytes.indexOf(QUOTE, open + 1); at >= 0; at = bytes.indexOf(QUOTE, at + 1)) {
    let slashes = 0;
    while (bytes[at - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
  }
  return -1;
}
