/**
 * Reading a request body under a size limit and a deadline: a client that sends its body too
 * slowly (one byte every few seconds) is answered 408 instead of holding a connection slot.
 * @module
 */
import { ProxyError } from "./proxy_error.ts";

/**
 * Read the whole body, refusing (413) as soon as it passes `max` bytes and (408) when it has
 * not all arrived within `timeoutMs`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const req = () => new Request("http://x/", { method: "POST", body: "hi" });
 * assert.deepEqual(await readBody(req(), 10, 60_000), new TextEncoder().encode("hi"));
 * await assert.rejects(readBody(req(), 1, 60_000), { status: 413 });
 * ```
 */
export async function readBody(
  req: Request,
  max: number,
  timeoutMs: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!req.body) return null;
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) throw tooLarge(declared, max);
  const reader = req.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tooSlow(timeoutMs)), timeoutMs);
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) break;
      total += value.byteLength;
      if (total > max) throw tooLarge(total, max);
      chunks.push(value);
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array<ArrayBuffer>;
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

function tooSlow(ms: number): ProxyError {
  return new ProxyError(
    408,
    "request_timeout",
    `Request body not received within ${ms} ms (--body-timeout)`,
    { connection: "close" },
  );
}
