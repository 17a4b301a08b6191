import assert from "node:assert/strict";
import { EventBus, type FeedEvent } from "../../src/observe/bus.ts";
import { parseEvent } from "../../src/cli/feed.ts";

const event = (n: number): FeedEvent => ({
  type: "upstream_error",
  data: { requestId: `r${n}`, time: n, kind: "upstream_status", message: "" },
});

async function readEvents(body: ReadableStream<Uint8Array>, count: number) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const blocks: { type: string; data: unknown }[] = [];
  while (blocks.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    let i;
    while ((i = text.indexOf("\n\n")) !== -1) {
      const parsed = parseEvent(text.slice(0, i));
      text = text.slice(i + 2);
      if (parsed) blocks.push(parsed);
    }
  }
  await reader.cancel();
  return blocks;
}

Deno.test("feed: every subscriber gets a hello and then each published event in order", async () => {
  const bus = new EventBus();
  const a = bus.subscribe({ version: "x" })!;
  const b = bus.subscribe({ version: "x" })!;
  for (let i = 0; i < 3; i++) bus.publish(event(i));
  for (const body of [a, b]) {
    const got = await readEvents(body, 4);
    assert.deepEqual(got.map((e) => e.type), ["hello", ...Array(3).fill("upstream_error")]);
    assert.deepEqual(got.slice(1).map((e) => (e.data as { requestId: string }).requestId), [
      "r0",
      "r1",
      "r2",
    ]);
  }
  bus.close();
});

Deno.test("feed: a reader that does not read loses events past its queue, counted, and is told when it catches up", async () => {
  const bus = new EventBus({ queue: 5 });
  const slow = bus.subscribe({})!;
  for (let i = 0; i < 1000; i++) bus.publish(event(i)); // never waits on the reader
  assert.equal(bus.published, 1000);
  assert.equal(bus.dropped, 1000 - 4); // the hello took one place of five
  const first = await readEvents(slow, 5);
  assert.deepEqual(first.map((e) => e.type), ["hello", ...Array(4).fill("upstream_error")]);
  const again = bus.subscribe({})!; // the slow one was cancelled by readEvents
  assert.equal(bus.subscribers, 1);
  bus.publish(event(2000));
  assert.equal((await readEvents(again, 2))[1]!.type, "upstream_error");
  bus.close();
});

Deno.test("feed: after drops, the next delivered event is preceded by a dropped event with the count", async () => {
  const bus = new EventBus({ queue: 2 });
  const reader = bus.subscribe({})!.getReader();
  const decoder = new TextDecoder();
  bus.publish(event(1)); // queue: hello, r1 (full)
  bus.publish(event(2)); // dropped
  bus.publish(event(3)); // dropped
  let text = "";
  while (!text.includes("r1")) text += decoder.decode((await reader.read()).value);
  bus.publish(event(4));
  while (!text.includes("r4")) text += decoder.decode((await reader.read()).value);
  const blocks = text.trim().split("\n\n").map(parseEvent).filter((e) => e !== null);
  assert.deepEqual(blocks.map((e) => e!.type), [
    "hello",
    "upstream_error",
    "dropped",
    "upstream_error",
  ]);
  assert.deepEqual(blocks[2]!.data, { count: 2 });
  await reader.cancel();
  bus.close();
});

Deno.test("feed: subscribers beyond the limit are refused; a cancelled one frees its place", async () => {
  const bus = new EventBus({ maxSubscribers: 2 });
  const a = bus.subscribe({})!;
  bus.subscribe({});
  assert.equal(bus.subscribe({}), null);
  await a.cancel();
  assert.equal(bus.subscribers, 1);
  assert.notEqual(bus.subscribe({}), null);
  bus.close();
  assert.equal(bus.subscribers, 0);
});
