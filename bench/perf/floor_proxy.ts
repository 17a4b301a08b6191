// The runtime floor for a Deno proxy: Deno.serve + fetch, streaming bodies straight through, nothing else.
// Used by the perf bar as the same-run reference for what any Deno proxy costs on this machine.
const port = Number(Deno.args[Deno.args.indexOf("--port") + 1]);
const upstream = Deno.args[Deno.args.indexOf("--upstream") + 1];
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
  return new Response(res.body, { status: res.status, headers: out });
});
