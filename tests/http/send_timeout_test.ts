import assert from "node:assert/strict";
import { SendWatch } from "../../src/http/send_timeout.ts";

const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An endless source that counts its cancels. */
function endless(): { body: ReadableStream<Uint8Array>; cancelled: () => number } {
  let cancels = 0;
  const body = new ReadableStream<Uint8Array>({
    pull: (c) => c.enqueue(enc.encode("data: x\n\n")),
    cancel: () => {
      cancels++;
    },
  }, { highWaterMark: 0 });
  return { body, cancelled: () => cancels };
}

Deno.test("send timeout (wrapped body): a chunk left untaken past the timeout ends the stream and cancels its source", async () => {
  const src = endless();
  let timeouts = 0;
  const reader = new SendWatch(40).guard(src.body, () => timeouts++).getReader();
  assert.equal((await reader.read()).done, false);
  await sleep(250);
  assert.equal((await reader.read()).done, true);
  assert.equal(timeouts, 1);
  assert.equal(src.cancelled(), 1);
});

Deno.test("send timeout (wrapped body): a client that keeps reading is never cut off", async () => {
  const src = endless();
  let timeouts = 0;
  const reader = new SendWatch(40).guard(src.body, () => timeouts++).getReader();
  for (let i = 0; i < 10; i++) {
    assert.equal((await reader.read()).done, false);
    await sleep(10);
  }
  await reader.cancel();
  assert.equal(timeouts, 0);
  assert.equal(src.cancelled(), 1);
});

Deno.test("send timeout (tracked body): a hand-off left untaken past the timeout calls end once; taken or done ones never do", async () => {
  const watch = new SendWatch(40);
  const ends: string[] = [];
  const stalled = watch.track((why) => ends.push(why.message));
  const reading = watch.track(() => ends.push("reading"));
  const finished = watch.track(() => ends.push("finished"));
  stalled.handed();
  reading.handed();
  finished.handed();
  finished.done();
  for (let i = 0; i < 10; i++) {
    await sleep(20);
    reading.taken();
    reading.handed();
  }
  reading.done();
  assert.deepEqual(ends, ["Client took no data for 40 ms (--send-timeout)"]);
});
