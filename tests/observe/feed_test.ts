import assert from "node:assert/strict";
import parsePrometheus from "npm:parse-prometheus-text-format@1.1.1";
import { type FeedMessage, openFeed } from "../../src/cli/feed.ts";
import { startScriptedModel } from "../../src/demo/model.ts";
import { startProxy, testConfig } from "../helpers.ts";
import { startServer } from "../../src/serve.ts";
import { chunkedBody, ollamaChatLines, startFakeUpstream } from "../fake_upstream.ts";

const ask = (url: string, path: string, scenario: string, stream = true) =>
  fetch(url + path, {
    method: "POST",
    body: JSON.stringify({
      model: "qwen3",
      stream,
      messages: [{ role: "user", content: scenario }],
      tools: [{
        type: "function",
        function: { name: "read_file", parameters: { type: "object" } },
      }],
    }),
  });

/** Collects feed events until `until` says stop (bounded by a timeout). */
async function collect(
  feed: AsyncGenerator<FeedMessage>,
  until: (events: FeedMessage[]) => boolean,
): Promise<FeedMessage[]> {
  const events: FeedMessage[] = [];
  const timer = setTimeout(() => feed.return(undefined), 5000);
  for await (const e of feed) {
    events.push(e);
    if (until(events)) break;
  }
  clearTimeout(timer);
  return events;
}

Deno.test("feed: a streamed request shows as start, correction with its reason, and end with model, status and count; to every client", async () => {
  const model = await startScriptedModel({ delayMs: 1 });
  const proxy = await startProxy(model.url);
  const stop = new AbortController();
  try {
    const feed = await openFeed(proxy.url, null, stop.signal);
    const other = await openFeed(proxy.url, null, stop.signal);
    const res = await ask(proxy.url, "/api/chat", "template_leak");
    const id = res.headers.get("x-hotpatch-request-id");
    await res.text();
    const events = await collect(feed, (es) => es.some((e) => e.type === "request_end"));
    const seen = await collect(other, (es) => es.some((e) => e.type === "request_end"));
    assert.deepEqual(seen, events);
    const mine = events.filter((e) => (e.data as { requestId?: string }).requestId === id);
    assert.deepEqual(mine.map((e) => e.type), ["request_start", "correction", "request_end"]);
    const record = mine[1]!.data as Record<string, unknown>;
    assert.equal(record.type, "template_leak");
    assert.equal(record.action, "ended");
    assert.equal(record.rule, "template_leak");
    assert.match(String(record.reason), /<\|im_end\|>.*leaked/);
    assert.equal(record.contextBefore, "All 12 tests pass.");
    const end = mine[2]!.data as Record<string, unknown>;
    assert.equal(end.model, "qwen3");
    assert.equal(end.status, 200);
    assert.equal(end.corrections, 1);
    assert.equal(end.route, "ollama_chat");
    assert.ok(typeof end.durationMs === "number" && typeof end.overheadMs === "number");
  } finally {
    stop.abort();
    await proxy.close();
    await model.close();
  }
});

Deno.test("feed: an unreachable upstream is an upstream_error event and a counted metric", async () => {
  const proxy = await startProxy("http://127.0.0.1:9");
  const stop = new AbortController();
  try {
    const feed = await openFeed(proxy.url, null, stop.signal);
    const res = await ask(proxy.url, "/api/chat", "plain");
    assert.equal(res.status, 502);
    await res.body?.cancel();
    const events = await collect(feed, (es) => es.some((e) => e.type === "request_end"));
    const error = events.find((e) => e.type === "upstream_error")!.data as Record<string, string>;
    assert.equal(error.kind, "upstream_unreachable");
    assert.match(String(error.message), /unreachable/);
    const metrics = await (await fetch(proxy.url + "/hotpatch/metrics")).text();
    assert.match(metrics, /hotpatch_upstream_errors_total\{kind="upstream_unreachable"\} 1/);
    assert.match(
      metrics,
      /hotpatch_requests_total\{route="ollama_chat",protocol="ollama",status="502"\} 1/,
    );
  } finally {
    stop.abort();
    await proxy.close();
  }
});

Deno.test("metrics: /hotpatch/metrics parses as Prometheus text and has every documented family", async () => {
  const model = await startScriptedModel({ delayMs: 0 });
  const proxy = await startProxy(model.url);
  try {
    await (await ask(proxy.url, "/api/chat", "think_leak")).text();
    await (await ask(proxy.url, "/v1/chat/completions", "malformed_arguments", false)).text();
    const res = await fetch(proxy.url + "/hotpatch/metrics");
    assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheus(await res.text()) as {
      name: string;
      metrics: { value?: string; labels?: Record<string, string> }[];
    }[];
    const names = families.map((f) => f.name);
    for (
      const name of [
        "hotpatch_requests_total",
        "hotpatch_request_duration_seconds",
        "hotpatch_overhead_seconds",
        "hotpatch_first_chunk_seconds",
        "hotpatch_corrections_total",
        "hotpatch_upstream_errors_total",
        "hotpatch_active_streams",
        "hotpatch_rules_revision",
        "hotpatch_store_queue_depth",
        "hotpatch_feed_subscribers",
        "hotpatch_feed_dropped_events_total",
        "hotpatch_process_resident_memory_bytes",
        "hotpatch_process_heap_used_bytes",
      ]
    ) assert.ok(names.includes(name), name);
    const corrections = families.find((f) => f.name === "hotpatch_corrections_total")!.metrics;
    assert.deepEqual(
      corrections.map((m) => [m.labels!.type, m.labels!.action, m.value]),
      [["think_leak", "moved", "1"], ["malformed_arguments", "corrected", "1"]],
    );
    const active = families.find((f) => f.name === "hotpatch_active_streams")!.metrics[0]!;
    assert.equal(active.value, "0");
  } finally {
    await proxy.close();
    await model.close();
  }
});

Deno.test("headers: every proxied response has server-timing; a whole answer says how many corrections it got", async () => {
  const model = await startScriptedModel({ delayMs: 0 });
  const proxy = await startProxy(model.url);
  try {
    const whole = await ask(proxy.url, "/v1/chat/completions", "malformed_arguments", false);
    await whole.text();
    assert.equal(whole.headers.get("x-hotpatch-corrections"), "1");
    assert.match(whole.headers.get("server-timing")!, /^hotpatch;dur=\d+\.\d{3}$/);
    const detect = await fetch(proxy.url + "/v1/chat/completions", {
      method: "POST",
      headers: { "x-hotpatch-mode": "detect" },
      body: JSON.stringify({
        messages: [{ role: "user", content: "malformed_arguments" }],
        tools: [{ type: "function", function: { name: "read_file" } }],
      }),
    });
    assert.match(await detect.text(), /'path'/); // unchanged
    assert.equal(detect.headers.get("x-hotpatch-corrections"), "0"); // detected, not changed
    const clean = await ask(proxy.url, "/api/chat", "plain", false);
    await clean.text();
    assert.equal(clean.headers.get("x-hotpatch-corrections"), "0");
    const streamed = await ask(proxy.url, "/api/chat", "plain");
    await streamed.text();
    assert.equal(streamed.headers.get("x-hotpatch-corrections"), null);
    assert.match(streamed.headers.get("server-timing")!, /^hotpatch;dur=/);
    const other = await fetch(proxy.url + "/api/tags");
    await other.text();
    assert.match(other.headers.get("server-timing")!, /^hotpatch;dur=/);
  } finally {
    await proxy.close();
    await model.close();
  }
});

Deno.test("feed: needs the admin token when one is set", async () => {
  const proxy = await startProxy("http://127.0.0.1:9", { adminToken: "s3cret" });
  try {
    const denied = await fetch(proxy.url + "/hotpatch/api/events");
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    const metrics = await fetch(proxy.url + "/hotpatch/metrics");
    assert.equal(metrics.status, 401);
    await metrics.body?.cancel();
    const stop = new AbortController();
    const feed = await openFeed(proxy.url, "s3cret", stop.signal);
    const [hello] = await collect(feed, () => true);
    assert.equal(hello!.type, "hello");
    stop.abort();
  } finally {
    await proxy.close();
  }
});

Deno.test("feed: an upstream that dies mid-stream is an upstream_stream error; the request still ends", async () => {
  const up = await startFakeUpstream(() =>
    new Response(chunkedBody(ollamaChatLines(["Hello", " there", " again"]), { failAfter: 2 }), {
      headers: { "content-type": "application/x-ndjson" },
    })
  );
  const proxy = await startProxy(up.url);
  const stop = new AbortController();
  try {
    const feed = await openFeed(proxy.url, null, stop.signal);
    await (await ask(proxy.url, "/api/chat", "plain")).text();
    const events = await collect(feed, (es) => es.some((e) => e.type === "request_end"));
    const error = events.find((e) => e.type === "upstream_error")!.data as Record<string, string>;
    assert.equal(error.kind, "upstream_stream");
    assert.match(String(error.message), /Upstream stream failed/);
    const end = events.find((e) => e.type === "request_end")!.data as Record<string, number>;
    assert.equal(end.status, 200);
    assert.equal(proxy.observer.active, 0);
  } finally {
    stop.abort();
    await proxy.close();
    await up.close();
  }
});

Deno.test("feed: stopping the server ends open feed streams instead of waiting for them", async () => {
  const workspace = await Deno.makeTempDir();
  const config = testConfig("http://127.0.0.1:9", { db: ":memory:", workspaces: [workspace] });
  const server = await startServer(config);
  try {
    const feed = await openFeed(`http://127.0.0.1:${server.port}`, null);
    const [hello] = await collect(feed, () => true);
    assert.equal(hello!.type, "hello");
    const rest = collect(feed, () => false);
    await server.stop(60_000);
    assert.deepEqual(await rest, []); // the stream ended: no 60 s grace period was needed
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});
