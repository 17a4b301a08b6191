/**
 * Test helpers: a seeded PRNG and random splits of a byte string.
 * @module
 */

import { seeded as rng } from "../../scripts/eval/chain.ts";

/** The seeded PRNG the evaluation uses (mulberry32), under the name the tests use. */
export { rng };

/**
 * `bytes` cut at random positions (pieces of 1 to `max` bytes).
 * @example
 * splitBytes(new Uint8Array(10), 7, 4).length > 1; // true
 */
export function splitBytes(bytes: Uint8Array, seed: number, max = 16): Uint8Array[] {
  const r = rng(seed);
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < bytes.length) {
    const n = 1 + Math.floor(r() * max);
    out.push(bytes.slice(i, i + n));
    i += n;
  }
  return out;
}

/**
 * Split `text` into pieces of 1..`max` characters, deterministically from `seed`.
 * @example
 * randomPieces("abcdef", 1, 3).join(""); // "abcdef"
 */
export function randomPieces(text: string, seed: number, max: number): string[] {
  const r = rng(seed);
  const pieces: string[] = [];
  for (let i = 0; i < text.length;) {
    const n = 1 + Math.floor(r() * max);
    pieces.push(text.slice(i, i + n));
    i += n;
  }
  return pieces;
}

/**
 * A stream of the given pieces.
 * @example
 * const s = streamOf([new Uint8Array([1])]);
 */
export function streamOf(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(ctrl) {
      const p = pieces[i++];
      if (p === undefined) ctrl.close();
      else ctrl.enqueue(p);
    },
  });
}
