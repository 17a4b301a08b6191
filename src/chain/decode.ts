/**
 * Decoding a compressed upstream body on the routes hotpatch corrects. hotpatch asks every
 * upstream for `identity` (src/http/headers.ts); this is for an upstream that compresses anyway.
 *
 * node:zlib's streaming decoders are used rather than `DecompressionStream`: Deno's
 * `DecompressionStream` turns each input chunk into one output chunk however large, so 2 KB of
 * brotli became one 1 GiB chunk; zlib's streams hand out 16 KiB pieces and wait for the reader.
 * @module
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Transform } from "node:stream";

const decoders: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  "x-gzip": createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * The response's content coding, lower-cased; null when there is none (or `identity`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(contentCoding(new Headers({ "content-encoding": "GZIP" })), "gzip");
 * assert.equal(contentCoding(new Headers()), null);
 * ```
 */
export function contentCoding(headers: Headers): string | null {
  const coding = headers.get("content-encoding")?.trim().toLowerCase() ?? "";
  return coding === "" || coding === "identity" ? null : coding;
}

/**
 * True when {@link decodedBody} can decode `coding` (gzip, x-gzip, deflate, br; one coding, not
 * a list of stacked ones).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(canDecode("br"), true);
 * assert.equal(canDecode("zstd"), false);
 * ```
 */
export function canDecode(coding: string): boolean {
  return Object.hasOwn(decoders, coding);
}

/**
 * `body` decoded from `coding` (one that {@link canDecode}), in pieces of at most 16 KiB, read
 * from `body` only as fast as the result is read. Corrupt input errors the result; cancelling
 * the result cancels `body`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const gzipped = new Response("hi").body!.pipeThrough(new CompressionStream("gzip"));
 * assert.equal(await new Response(decodedBody(gzipped, "gzip")).text(), "hi");
 * ```
 */
export function decodedBody(
  body: ReadableStream<Uint8Array>,
  coding: string,
): ReadableStream<Uint8Array> {
  const decoder = decoders[coding]!();
  // pipeline destroys both sides when either ends early or fails; the promise only reports it.
  pipeline(Readable.fromWeb(body as ReadableStream<never>), decoder).catch(() => {});
  return Readable.toWeb(decoder) as ReadableStream<Uint8Array>;
}
