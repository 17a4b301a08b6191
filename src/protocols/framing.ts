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
}

/**
 * UTF-8 text of a body read by read; a character split across reads comes out whole. A read that
 * starts and ends on a character boundary (the usual case) goes through a one-shot decoder, which
 * is faster than the streaming one and gives the same text there.
 * @example
 * const u = new Utf8Reads();
 * u.decode(new Uint8Array([0x68, 0xc3])) + u.decode(new Uint8Array([0xa9])); // "hé"
 */
export class Utf8Reads {
  #stream = new TextDecoder();
  #whole = new TextDecoder("utf-8", { ignoreBOM: true });
  /** The streaming decoder has seen the start of the body (and dropped a BOM there). */
  #started = false;
  #holding = false;

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
    return this.#stream.decode(chunk, { stream: true });
  }

  /** The body ended: a character left incomplete becomes U+FFFD. */
  end(): string {
    this.#holding = false;
    return this.#stream.decode();
  }
}

/**
 * A `TransformStream` of body bytes into frames, around any `Framer`.
 * @example
 * const one: Framer = {
 *   push: (b) => [{ raw: String(b.length), data: null }],
 *   end: () => [],
 *   buffered: false,
 * };
 * new Response("abc").body!.pipeThrough(new FrameStream(one)); // frames of { raw: "3" }
 */
export class FrameStream extends TransformStream<Uint8Array, Frame> {
  constructor(framer: Framer) {
    super({
      transform(chunk, ctrl) {
        for (const f of framer.push(chunk)) ctrl.enqueue(f);
      },
      flush(ctrl) {
        for (const f of framer.end()) ctrl.enqueue(f);
      },
    });
  }
}
