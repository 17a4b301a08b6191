/**
 * Reading a request body under a size limit.
 * @module
 */
import { ProxyError } from "./errors.ts";

/**
 * Read the whole body, refusing (413) as soon as it passes `max` bytes.
 * @example
 * await readBody(new Request("http://x/", { method: "POST", body: "hi" }), 10); // Uint8Array [104, 105]
 */
export async function readBody(req: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!req.body) return null;
  const length = req.headers.get("content-length");
  const declared = Number(length ?? "0");
  if (declared > max) throw tooLarge(declared, max);
  // A declared length is enforced by the HTTP server: read it in one go.
  if (length !== null && Number.isSafeInteger(declared)) return await req.bytes();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of req.body) {
    total += chunk.byteLength;
    if (total > max) throw tooLarge(total, max);
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function tooLarge(size: number, max: number): ProxyError {
  return new ProxyError(
    413,
    "request_too_large",
    `Request body of ${size}+ bytes is over the limit of ${max} bytes (--max-body)`,
  );
}
