/**
 * Frames: the unit the protocol adapters work on. An NDJSON line or an SSE event, with the exact
 * text it arrived as, so a frame the corrector leaves alone goes out as the original bytes.
 * @module
 */

/** One frame of a streamed body. */
export interface Frame {
  /** The frame's text exactly as received, terminators included. */
  raw: string;
  /** The payload: the NDJSON line, or the SSE `data` (lines joined by "\n"); null if none. */
  data: string | null;
}

/** A push parser that cuts decoded text into frames; `end` returns what is left. */
export interface Framer {
  push(chunk: Uint8Array): Frame[];
  end(): Frame[];
  /** True while bytes read are not all in frames yet (part of a frame or of a character). */
  readonly buffered: boolean;
  /** Characters of the frame not complete yet (the bound on one frame is checked against it). */
  readonly held: number;
  /** Give up framing: the bytes of the incomplete frame as received; the framer is spent. */
  drain(): Uint8Array;
}

/**
 * UTF-8 text of a body read by read; a character split across reads comes out whole. A read that
 * starts and ends on a character boundary (the usual case) goes through a one-shot decoder, which
 * is faster than the streaming one and gives the same text there.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const u = new Utf8Reads();
 * assert.equal(u.decode(new Uint8Array([0x68, 0xc3])) + u.decode(new Uint8Array([0xa9])), "hé");
 * ```
 */
export class Utf8Reads {
  #stream = new TextDecoder();
  #whole = new TextDecoder("utf-8", { ignoreBOM: true });
  /** The streaming decoder has seen the start of the body (and dropped a BOM there). */
  #started = false;
  #holding = false;
  /** The bytes of a character the last reads left incomplete (at most 3). */
  #tail: Uint8Array = new Uint8Array();

  /** True when the last read ended inside a multi-byte character (or may have). */
  get holding(): boolean {
    return this.#holding;
  }

  decode(chunk: Uint8Array): string {
    const last = chunk[chunk.length - 1];
    if (last === undefined) return "";
    if (this.#started && !this.#holding && last < 0x80) return this.#whole.decode(chunk);
    this.#started = true;
    this.#holding = last >= 0x80;
    this.#tail = this.#holding ? incompleteEnd(this.#tail, chunk) : new Uint8Array();
    return this.#stream.decode(chunk, { stream: true });
  }

  /** The body ended: a character left incomplete becomes U+FFFD. */
  end(): string {
    this.#holding = false;
    this.#tail = new Uint8Array();
    return this.#stream.decode();
  }

  /** Give up decoding: the bytes of an incomplete last character, as received. */
  drain(): Uint8Array {
    const tail = this.#tail;
    this.#tail = new Uint8Array();
    this.#holding = false;
    this.#stream = new TextDecoder();
    return tail;
  }
}

/** The bytes of an unfinished UTF-8 sequence at the end of `before` + `chunk` (a copy). */
function incompleteEnd(before: Uint8Array, chunk: Uint8Array): Uint8Array {
  const end = chunk.subarray(Math.max(0, chunk.length - 3));
  const bytes = new Uint8Array(before.length + end.length);
  bytes.set(before);
  bytes.set(end, before.length);
  for (let i = bytes.length - 1; i >= 0; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return bytes.length - i < need ? bytes.slice(i) : new Uint8Array();
  }
  return new Uint8Array();
}

/**
 * `text` as UTF-8 followed by `tail`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(heldBytes("ab", new Uint8Array([0xc3])), new Uint8Array([97, 98, 195]));
 * ```
 */
export function heldBytes(text: string, tail: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(text);
  if (tail.length === 0) return head;
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
