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
}

/**
 * A `TransformStream` of body bytes into frames, around any `Framer`.
 * @example
 * const one: Framer = { push: (b) => [{ raw: String(b.length), data: null }], end: () => [] };
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
