// The runtime floor for a Deno proxy: Deno.serve + fetch, streaming bodies straight through, nothing else.
// Used by the perf bar as the same-run reference for what any Deno proxy costs on this machine.
// With --watched the body goes through the least JavaScript stream a proxy that watches its bytes
// needs (a pull stream over a BYOB reader into one reused buffer, one copy per chunk): the floor
// for anything that enforces an idle timeout or writes an error frame (perf.sh --js-floor).
const port = Number(Deno.args[Deno.args.indexOf("--port") + 1]);
const upstream = Deno.args[Deno.args.indexOf("--upstream") + 1];
const watched = Deno.args.includes("--watched");
const hop = [
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "host",
  "content-length",
];
Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, async (req) => {
  const u = new URL(req.url);
  if (u.pathname === "/hotpatch/health") return Response.json({ status: "ok" });
  const headers = new Headers(req.headers);
  for (const h of hop) headers.delete(h);
  const res = await fetch(upstream + u.pathname + u.search, {
    method: req.method,
    headers,
    body: req.body,
    signal: req.signal,
  });
  const out = new Headers(res.headers);
  for (const h of hop) out.delete(h);
  const body = watched && res.body ? watch(res.body) : res.body;
  return new Response(body, { status: res.status, headers: out });
});

function watch(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = source.getReader({ mode: "byob" });
  let buffer = new ArrayBuffer(16 * 1024);
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      const r = await reader.read(new Uint8Array(buffer));
      if (r.done) return c.close();
      buffer = r.value.buffer as ArrayBuffer;
      c.enqueue(r.value.slice());
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}
