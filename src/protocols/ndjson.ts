/**
 * NDJSON framing (Ollama): one JSON document per line, lines split anywhere across reads.
 * @module
 */
import { type Frame, type Framer, FrameStream, Utf8Reads } from "./framing.ts";

/**
 * Cuts a byte stream into NDJSON lines. UTF-8 characters split across reads are joined;
 * `raw` keeps the terminator ("\n" or "\r\n"); blank lines come out with `data: null`.
 * @example
 * const f = new NdjsonFramer();
 * f.push(new TextEncoder().encode('{"a":1}\n{"b"')); // [{ raw: '{"a":1}\n', data: '{"a":1}' }]
 * f.end(); // [{ raw: '{"b"', data: '{"b"' }]
 */
export class NdjsonFramer implements Framer {
  #text = new Utf8Reads();
  #buf = "";

  get buffered(): boolean {
    return this.#buf !== "" || this.#text.holding;
  }

  push(chunk: Uint8Array): Frame[] {
    this.#buf += this.#text.decode(chunk);
    return this.#lines();
  }

  end(): Frame[] {
    this.#buf += this.#text.end();
    const out = this.#lines();
    if (this.#buf !== "") out.push(lineFrame(this.#buf, this.#buf));
    this.#buf = "";
    return out;
  }

  #lines(): Frame[] {
    const out: Frame[] = [];
    let start = 0;
    let nl = this.#buf.indexOf("\n");
    while (nl !== -1) {
      const raw = this.#buf.slice(start, nl + 1);
      const body = nl > start && this.#buf.charCodeAt(nl - 1) === 13
        ? this.#buf.slice(start, nl - 1)
        : this.#buf.slice(start, nl);
      out.push(lineFrame(raw, body));
      start = nl + 1;
      nl = this.#buf.indexOf("\n", start);
    }
    if (start > 0) this.#buf = this.#buf.slice(start);
    return out;
  }
}

function lineFrame(raw: string, body: string): Frame {
  return { raw, data: body.trim() === "" ? null : body };
}

/**
 * Bytes → NDJSON line frames, as a `TransformStream`.
 * @example
 * const lines = new Response('{"a":1}\n').body!.pipeThrough(new NdjsonStream());
 */
export class NdjsonStream extends FrameStream {
  constructor() {
    super(new NdjsonFramer());
  }
}

/**
 * One NDJSON line for a JSON value.
 * @example
 * ndjsonLine({ done: true }); // '{"done":true}\n'
 */
export function ndjsonLine(value: unknown): string {
  return JSON.stringify(value) + "\n";
}
