/**
 * The observer's own cost: one traced request (start, response, end: feed events and metrics)
 * and one correction record (feed, metrics, log line), with and without feed subscribers; and
 * writing the metrics page.
 */
import { Observer } from "../src/observe/observer.ts";
import { pathRecord } from "../tests/helpers.ts";

const record = pathRecord;

function traced(observer: Observer, i: number): void {
  const trace = observer.begin({
    requestId: `r${i}`,
    method: "POST",
    path: "/api/chat",
    route: "ollama_chat",
    protocol: "ollama",
  });
  trace.setModel("qwen3");
  trace.openBody();
  trace.respond(200);
  trace.firstChunk();
  trace.bodyEnded();
}

const quiet = new Observer();
const watched = new Observer();
const readers = Array.from({ length: 3 }, () => watched.bus.subscribe({})!.getReader());
// Readers drain their queues so the bench measures delivery, not dropping.
for (const r of readers) {
  (async () => {
    while (!(await r.read()).done) { /* drain */ }
  })();
}
let n = 0;

Deno.bench("one request traced, no feed client", { group: "request" }, () => traced(quiet, n++));
Deno.bench("one request traced, 3 feed clients", { group: "request" }, () => traced(watched, n++));
Deno.bench(
  "one correction observed, no feed client",
  { group: "correction" },
  () => quiet.correction(record),
);
Deno.bench(
  "one correction observed, 3 feed clients",
  { group: "correction" },
  () => watched.correction(record),
);
Deno.bench("metrics page", () => void quiet.metrics.expose());
