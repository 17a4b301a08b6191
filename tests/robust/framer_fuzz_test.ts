import assert from "node:assert/strict";
import { NdjsonFramer } from "../../src/protocols/framing/ndjson.ts";
import { SseFramer } from "../../src/protocols/framing/sse.ts";
import type { Frame, Framer } from "../../src/protocols/framing/frame.ts";
import { rng, splitBytes } from "../protocols/split.ts";

const enc = new TextEncoder();
const ALPHABET = ["a", "b", " ", ":", "{", "}", '"', "é", "日", "🎉", "\u2028", "data", "\r"];

function word(r: () => number, max: number): string {
  let s = "";
  for (let n = Math.floor(r() * max); n > 0; n--) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

/** A random NDJSON body and the frames it is made of (the reference split, by construction). */
function ndjsonCase(r: () => number): Frame[] {
  const frames: Frame[] = [];
  for (let n = 1 + Math.floor(r() * 12); n > 0; n--) {
    const body = r() < 0.15 ? pick(r, ["", " ", "\t"]) : word(r, 20).replaceAll("\r", "");
    const end = pick(r, ["\n", "\r\n"]);
    frames.push({ raw: body + end, data: body.trim() === "" ? null : body });
  }
  if (r() < 0.5) {
    const last = "x" + word(r, 10).replaceAll("\r", "");
    frames.push({ raw: last, data: last });
  }
  return frames;
}

/** A random SSE body and its events (the reference split, by construction). */
function sseCase(r: () => number): Frame[] {
  const frames: Frame[] = [];
  let previous = "";
  /** A line end that cannot merge with the one before (a CR then an LF would be one CRLF). */
  const end = (empty: boolean) =>
    empty && previous === "\r" ? pick(r, ["\r", "\r\n"]) : pick(r, ["\n", "\r\n", "\r"]);
  for (let n = 1 + Math.floor(r() * 10); n > 0; n--) {
    let raw = "";
    let data: string | null = null;
    for (let lines = Math.floor(r() * 4); lines > 0; lines--) {
      const value = word(r, 12).replaceAll("\r", "");
      const kind = Math.floor(r() * 6);
      const line = kind === 0
        ? `: ${value}`
        : kind === 1
        ? `event: ${value}`
        : kind === 2
        ? "data"
        : kind === 3
        ? `data:${value}`
        : `data: ${value}`;
      if (kind >= 2) {
        // One space after the colon is not part of the value.
        const v = kind === 2 ? "" : kind === 3 && value.startsWith(" ") ? value.slice(1) : value;
        data = data === null ? v : data + "\n" + v;
      }
      previous = end(false);
      raw += line + previous;
    }
    previous = end(true);
    frames.push({ raw: raw + previous, data });
  }
  return frames;
}

function frameAll(framer: Framer, pieces: readonly Uint8Array[]): Frame[] {
  return [...pieces.flatMap((p) => framer.push(p)), ...framer.end()];
}

Deno.test("framer fuzz: 2,000 seeded NDJSON bodies (CRLF, blank lines, unicode, an unterminated last line) split at random bytes frame exactly as built", () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const r = rng(seed);
    const frames = ndjsonCase(r);
    const bytes = enc.encode(frames.map((f) => f.raw).join(""));
    const max = pick(r, [1, 2, 3, 7, 64, 4096]);
    assert.deepEqual(
      frameAll(new NdjsonFramer(), splitBytes(bytes, seed, max)),
      frames,
      `seed ${seed}`,
    );
  }
});

Deno.test("framer fuzz: 2,000 seeded SSE bodies (LF/CRLF/CR, comments, multi-line and empty data, empty events) split at random bytes frame exactly as built", () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const r = rng(seed);
    const frames = sseCase(r);
    const bytes = enc.encode(frames.map((f) => f.raw).join(""));
    const max = pick(r, [1, 2, 3, 7, 64, 4096]);
    assert.deepEqual(
      frameAll(new SseFramer(), splitBytes(bytes, seed, max)),
      frames,
      `seed ${seed}`,
    );
  }
});

Deno.test("framer fuzz: 1,000 seeded random byte strings (invalid UTF-8 too) give the same frames split at random as whole, and NDJSON lines are the decoded text cut after each LF", () => {
  for (let seed = 1; seed <= 1000; seed++) {
    const r = rng(seed);
    const bytes = Uint8Array.from(
      { length: 1 + Math.floor(r() * 200) },
      () => r() < 0.1 ? pick(r, [10, 13]) : r() < 0.7 ? 0x61 : Math.floor(r() * 256),
    );
    const pieces = splitBytes(bytes, seed, pick(r, [1, 3, 16]));
    const text = new TextDecoder().decode(bytes);
    const lines = frameAll(new NdjsonFramer(), pieces);
    assert.deepEqual(lines.map((f) => f.raw), text.split(/(?<=\n)/).filter((l) => l !== ""));
    assert.deepEqual(lines, frameAll(new NdjsonFramer(), [bytes]), `ndjson seed ${seed}`);
    const events = frameAll(new SseFramer(), pieces);
    assert.equal(events.map((f) => f.raw).join(""), text);
    assert.deepEqual(events, frameAll(new SseFramer(), [bytes]), `sse seed ${seed}`);
  }
});
