/**
 * NDJSON framing (Ollama): one JSON document per line, lines split anywhere across reads.
 * @module
 */
import { type Frame, type Framer, heldBytes, Utf8Reads } from "./frame.ts";

/**
 * Cuts a byte stream into NDJSON lines. UTF-8 characters split across reads are joined;
 * `raw` keeps the terminator ("\n" or "\r\n"); blank lines come out with `data: null`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const f = new NdjsonFramer();
 * assert.deepEqual(f.push(new TextEncoder().encode('{"a":1}\n{"b"')), [{
 *   raw: '{"a":1}\n',
 *   data: '{"a":1}',
 * }]);
 * assert.deepEqual(f.end(), [{ raw: '{"b"', data: '{"b"' }]);
 * ```
 */
export class NdjsonFramer implements Framer {
  #text = new Utf8Reads();
  /** The line not ended yet, in the pieces it arrived in (joined once, when it ends). */
  #parts: string[] = [];
  #held = 0;

  get buffered(): boolean {
    return this.#held > 0 || this.#text.holding;
  }

  get held(): number {
    return this.#held;
  }

  push(chunk: Uint8Array): Frame[] {
    const text = this.#text.decode(chunk);
    const nl = text.lastIndexOf("\n");
    if (nl === -1) {
      this.#hold(text);
      return [];
    }
    const done = lines(this.#take(text.slice(0, nl + 1)));
    this.#hold(text.slice(nl + 1));
    return done;
  }

  end(): Frame[] {
    const rest = this.#take(this.#text.end());
    const out = lines(rest);
    const last = rest.slice(rest.lastIndexOf("\n") + 1);
    if (last !== "") out.push(lineFrame(last, last));
    return out;
  }

  drain(): Uint8Array {
    return heldBytes(this.#take(""), this.#text.drain());
  }

  #hold(text: string): void {
    if (text === "") return;
    this.#parts.push(text);
    this.#held += text.length;
  }

  /** The held pieces joined with `text` (then nothing is held). */
  #take(text: string): string {
    if (this.#parts.length === 0) return text;
    const all = this.#parts.join("") + text;
    this.#parts = [];
    this.#held = 0;
    return all;
  }
}

/** The complete lines of `buf` (each char looked at once). */
function lines(buf: string): Frame[] {
  const out: Frame[] = [];
  let start = 0;
  for (let nl = buf.indexOf("\n"); nl !== -1; nl = buf.indexOf("\n", start)) {
    const raw = buf.slice(start, nl + 1);
    const body = nl > start && buf.charCodeAt(nl - 1) === 13
      ? buf.slice(start, nl - 1)
      : buf.slice(start, nl);
    out.push(lineFrame(raw, body));
    start = nl + 1;
  }
  return out;
}

function lineFrame(raw: string, body: string): Frame {
  return { raw, data: body.trim() === "" ? null : body };
}

/**
 * One NDJSON line for a JSON value.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(ndjsonLine({ done: true }), '{"done":true}\n');
 * ```
 */
export function ndjsonLine(value: unknown): string {
  return JSON.stringify(value) + "\n";
}
