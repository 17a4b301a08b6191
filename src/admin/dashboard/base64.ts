/**
 * Base64 of bytes (for the page's script hash).
 * @module
 */

/**
 * Standard base64 with padding.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(encodeBase64(new Uint8Array([104, 105])), "aGk=");
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
