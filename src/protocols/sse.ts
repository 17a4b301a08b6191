/**
 * Server-sent events framing (OpenAI, llama.cpp): events end at a blank line; lines end with
 * CRLF, LF or CR; `:` lines are comments; several `data:` lines join with "\n".
 * @module
 */
import { type Frame, type Framer, FrameStream } from "./framing.ts";

const lineEnd = /[\r\n]/g;

/**
 * Cuts a byte stream into SSE events, whatever the read boundaries (inside a line, inside a
 * UTF-8 character, between the CR and LF of a CRLF). `raw` is the event's exact text including
 * its blank line; `data` is null for events without a `data` field (comments, keep-alives).
 * @example
 * const f = new SseFramer();
 * f.push(new TextEncoder().encode(": ping\n\ndata: {}\n\n"));
 * // [{ raw: ": ping\n\n", data: null }, { raw: "data: {}\n\n", data: "{}" }]
 */
export class SseFramer implements Framer {
  #decoder = new TextDecoder();
  #buf = "";
  #raw = "";
  #data: string[] | null = null;

  push(chunk: Uint8Array): Frame[] {
    this.#buf += this.#decoder.decode(chunk, { stream: true });
    return this.#lines(false);
  }

  end(): Frame[] {
    this.#buf += this.#decoder.decode();
    const out = this.#lines(true);
    if (this.#buf !== "") {
      this.#raw += this.#buf;
      this.#field(this.#buf);
      this.#buf = "";
    }
    if (this.#raw !== "") out.push(this.#take());
    return out;
  }

  #lines(final: boolean): Frame[] {
    const out: Frame[] = [];
    const buf = this.#buf;
    let i = 0;
    lineEnd.lastIndex = 0;
    for (let m = lineEnd.exec(buf); m !== null; m = lineEnd.exec(buf)) {
      const j = m.index;
      let next = j + 1;
      if (buf.charCodeAt(j) === 13) {
        if (j + 1 === buf.length && !final) break;
        if (buf.charCodeAt(j + 1) === 10) next = j + 2;
      }
      const line = buf.slice(i, j);
      this.#raw += buf.slice(i, next);
      if (line === "") out.push(this.#take());
      else this.#field(line);
      i = next;
      lineEnd.lastIndex = next;
    }
    this.#buf = i > 0 ? buf.slice(i) : buf;
    return out;
  }

  #field(line: string): void {
    if (line.charCodeAt(0) === 58) return; // ":" comment
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    if (name !== "data") return;
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    (this.#data ??= []).push(value);
  }

  #take(): Frame {
    const frame = { raw: this.#raw, data: this.#data === null ? null : this.#data.join("\n") };
    this.#raw = "";
    this.#data = null;
    return frame;
  }
}

/**
 * Bytes → SSE event frames, as a `TransformStream`.
 * @example
 * const events = new Response("data: [DONE]\n\n").body!.pipeThrough(new SseStream());
 */
export class SseStream extends FrameStream {
  constructor() {
    super(new SseFramer());
  }
}

/**
 * One SSE event carrying `data` (every line of it prefixed with `data: `).
 * @example
 * sseEvent('{"a":1}'); // 'data: {"a":1}\n\n'
 */
export function sseEvent(data: string): string {
  return data.includes("\n")
    ? data.split("\n").map((l) => `data: ${l}`).join("\n") + "\n\n"
    : `data: ${data}\n\n`;
}
