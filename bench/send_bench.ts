/**
 * Cost of the client-send timeout (`SendWatch.guard`) per chunk: a 1,000-chunk stream read
 * through the guard against the same stream read directly.
 */
import { SendWatch } from "../src/http/send_timeout.ts";

const chunk = new TextEncoder().encode('{"message":{"content":"token "},"done":false}\n');
const source = () => {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i++ < 1000) c.enqueue(chunk);
      else c.close();
    },
  }, { highWaterMark: 0 });
};
const drain = async (s: ReadableStream<Uint8Array>) => {
  for await (const _ of s) { /* read */ }
};
const watch = new SendWatch(60_000);

Deno.bench("1,000 chunks read directly", { group: "send", baseline: true }, async () => {
  await drain(source());
});
Deno.bench("1,000 chunks read through the send timeout", { group: "send" }, async () => {
  await drain(watch.guard(source(), () => {}));
});
