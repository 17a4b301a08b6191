/**
 * Test helpers: a seeded PRNG and random splits of a byte string.
 * @module
 */

/**
 * A small deterministic PRNG (mulberry32) in [0, 1).
 * @example
 * const r = rng(1); r(); // same sequence for the same seed
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
