/**
 * A fake model server for benchmarks, run as its own process so it does not share an event loop
 * with the proxy or the client. Prints its port on stdout.
 *   POST /api/chat  {"stream":false} → one JSON body; otherwise an NDJSON stream of `chunks` lines,
 *   `delayMs` apart (0: as fast as the client reads)
 * @module
 */
import { ollamaChatLines, startFakeUpstream } from "../tests/fake_upstream.ts";

const enc = new TextEncoder();

function ndjson(count: number, delayMs: number): Response {
  const lines = ollamaChatLines(Array.from({ length: count }, (_, i) => ` token${i}`)).map((l) =>
    enc.encode(l)
  );
  let i = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(ctrl) {
        if (delayMs > 0 && i > 0) await new Promise((r) => setTimeout(r, delayMs));
        if (i < lines.length) ctrl.enqueue(lines[i++]!);
        else ctrl.close();
      },
    }, { highWaterMark: 0 }),
    { headers: { "content-type": "application/x-ndjson" } },
  );
}

const up = await startFakeUpstream((_req, seen) => {
  const body = JSON.parse(new TextDecoder().decode(seen.body) || "{}");
  if (body.stream === false) {
    return Response.json({
      model: "bench",
      created_at: "2026-11-26T10:00:00Z",
      message: { role: "assistant", content: "A short answer that mentions nothing wrong." },
      done: true,
      done_reason: "stop",
    });
  }
  return ndjson(Number(body.chunks ?? 200), Number(body.delayMs ?? 0));
});
console.log(up.port);
