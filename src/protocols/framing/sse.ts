/**
 * Server-sent events framing (OpenAI, llama.cpp): events end at a blank line; lines end with
 * CRLF, LF or CR; `:` lines are comments; several `data:` lines join with "\n".
 * @module
 */
import { type Frame, type Framer, heldBytes, Utf8Reads } from "./frame.ts";

const anyLineEnd = /[\r\n]/g;
const lineEnd = /[\r\n]/;

/** Index of the next CR or LF at or after `from` (-1 if none); `cr` false: the text has no CR. */
function nextLineEnd(text: string, from: number, cr: boolean): number {
  if (!cr) return text.indexOf("\n", from);
  anyLineEnd.lastIndex = from;
  return anyLineEnd.exec(text)?.index ?? -1;
}

/**
 * Cuts a byte stream into SSE events, whatever the read boundaries (inside a line, inside a
 * UTF-8 character, between the CR and LF of a CRLF). `raw` is the event's exact text including
 * its blank line; `data` is null for events without a `data` field (comments, keep-alives).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const f = new SseFramer();
 * assert.deepEqual(f.push(new TextEncoder().encode(": ping\n\ndata: {}\n\n")), [{
 *   raw: ": ping\n\n",
 *   data: null,
 * }, { raw: "data: {}\n\n", data: "{}" }]);
 * ```
 */
export class SseFramer implements Framer {
  #text = new Utf8Reads();
  /** Decoded text not cut into lines yet, in the pieces it arrived in (joined at a line end). */
  #parts: string[] = [];
  #held = 0;
  /** The current event's text from earlier reads (its lines before the held pieces). */
  #raw = "";
  #data: string | null = null;

  get buffered(): boolean {
    return this.#held > 0 || this.#raw !== "" || this.#text.holding;
  }

  get held(): number {
    return this.#held + this.#raw.length;
  }

  push(chunk: Uint8Array): Frame[] {
    const text = this.#text.decode(chunk);
    const last = this.#parts.at(-1);
    if (!lineEnd.test(text) && (last === undefined || !last.endsWith("\r"))) {
      if (text !== "") {
        this.#parts.push(text);
        this.#held += text.length;
      }
      return [];
    }
    return this.#lines(this.#take(text), false);
  }

  end(): Frame[] {
    const buf = this.#take(this.#text.end());
    const out = this.#lines(buf, true);
    const rest = this.#take("");
    if (rest !== "") {
      this.#raw += rest;
      this.#field(rest);
    }
    if (this.#raw !== "") out.push(this.#frame(""));
    return out;
  }

  drain(): Uint8Array {
    const raw = this.#raw + this.#take("");
    this.#raw = "";
    this.#data = null;
    return heldBytes(raw, this.#text.drain());
  }

  /** The held pieces joined with `text` (then nothing is held). */
  #take(text: string): string {
    if (this.#parts.length === 0) return text;
    const all = this.#parts.join("") + text;
    this.#parts = [];
    this.#held = 0;
    return all;
  }

  /** Frames of the events `buf` completes; the text after its last line end stays held. */
  #lines(buf: string, final: boolean): Frame[] {
    const out: Frame[] = [];
    const cr = buf.includes("\r");
    let event = 0; // where the current event's text starts in `buf`
    let i = 0;
    for (let j = nextLineEnd(buf, 0, cr); j !== -1; j = nextLineEnd(buf, i, cr)) {
      let next = j + 1;
      if (cr && buf.charCodeAt(j) === 13) {
        if (j + 1 === buf.length && !final) break;
        if (buf.charCodeAt(j + 1) === 10) next = j + 2;
      }
      if (j === i) {
        out.push(this.#frame(buf.slice(event, next)));
        event = next;
      } else this.#field(buf.slice(i, j));
      i = next;
    }
    this.#raw += buf.slice(event, i);
    const rest = buf.slice(i);
    if (rest !== "") {
      this.#parts.push(rest);
      this.#held = rest.length;
    }
    return out;
  }

  #field(line: string): void {
    if (!line.startsWith("data")) return;
    let value: string;
    if (line.length === 4) value = "";
    else if (line.charCodeAt(4) !== 58) return; // another field, e.g. "dataX:"
    else value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    this.#data = this.#data === null ? value : this.#data + "\n" + value;
  }

  /** The event ending with `rest` (its text in the current read). */
  #frame(rest: string): Frame {
    const frame = { raw: this.#raw + rest, data: this.#data };
    this.#raw = "";
    this.#data = null;
    return frame;
  }
}

/**
 * One SSE event carrying `data` (every line of it prefixed with `data: `).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(sseEvent('{"a":1}'), 'data: {"a":1}\n\n');
 * ```
 */
export function sseEvent(data: string): string {
  return data.includes("\n")
    ? data.split("\n").map((l) => `data: ${l}`).join("\n") + "\n\n"
    : `data: ${data}\n\n`;
}
