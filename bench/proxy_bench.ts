/**
 * `deno task bench`: added latency of hotpatch against a direct connection to the same fake
 * upstream (each in its own process). Groups use the direct connection as the baseline, so
 * `deno bench` prints the ratio. `bench/overhead.ts` prints p50/p99 in microseconds.
 */
import { startHotpatch, startUpstream, timed } from "./servers.ts";

const upstream = await startUpstream();
const proxy = await startHotpatch(upstream.url);
const off = await startHotpatch(upstream.url, "off");
globalThis.addEventListener("unload", () => {
  upstream.stop();
  proxy.stop();
  off.stop();
});

const single = { model: "bench", stream: false, messages: [] };
const stream = { model: "bench", chunks: 200, messages: [] };

Deno.bench("non-streaming: direct", { group: "non-streaming", baseline: true }, async () => {
  await timed(upstream.url, single);
});
Deno.bench("non-streaming: hotpatch (correct)", { group: "non-streaming" }, async () => {
  await timed(proxy.url, single);
});
Deno.bench("200-chunk stream: direct", { group: "stream", baseline: true }, async () => {
  await timed(upstream.url, stream);
});
Deno.bench("200-chunk stream: hotpatch (off)", { group: "stream" }, async () => {
  await timed(off.url, stream);
});
Deno.bench("200-chunk stream: hotpatch (correct)", { group: "stream" }, async () => {
  await timed(proxy.url, stream);
});
