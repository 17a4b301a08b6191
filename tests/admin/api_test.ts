import assert from "node:assert/strict";
import { Hono } from "hono";
import { adminRoutes } from "../../src/admin/api.ts";
import { openStore } from "../../src/store/store.ts";
import type { LiveInfo, Store } from "../../src/store/types.ts";

const live: LiveInfo = {
  activeConnections: 1,
  serverListening: true,
  listenPort: 11435,
  upstream: "http://127.0.0.1:11434",
  mode: "correct",
};

/** The admin routes mounted as the app mounts them, over a fresh in-memory store. */
function setup(token: string | null = null): { app: Hono; store: Store } {
  const store = openStore(":memory:");
  const app = new Hono();
  app.route("/hotpatch/api", adminRoutes({ store, live: () => live, token }));
  app.onError((err, c) => c.text(`parent handler: ${err.message}`, 500));
  return { app, store };
}

const send = (app: Hono, method: string, path: string, body?: unknown, headers = {}) =>
  app.request(`/hotpatch/api${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });

Deno.test("patterns: create → 201 with id, get, patch, list, delete, then 404", async () => {
  const { app, store } = setup();
  const created = await send(app, "POST", "/patterns", { match: "colour", replacement: "color" });
  assert.equal(created.status, 201);
  const { id } = await created.json();
  assert.equal(typeof id, "number");
  const got = await (await send(app, "GET", `/patterns/${id}`)).json();
  assert.equal(got.match, "colour");
  const patched = await send(app, "PATCH", `/patterns/${id}`, { enabled: false });
  assert.equal(patched.status, 200);
  assert.equal((await patched.json()).enabled, false);
  const all = await (await send(app, "GET", "/patterns")).json();
  assert.ok(all.some((p: { id: number }) => p.id === id));
  assert.equal((await send(app, "DELETE", `/patterns/${id}`)).status, 200);
  const gone = await send(app, "GET", `/patterns/${id}`);
  assert.equal(gone.status, 404);
  assert.match((await gone.json()).error, /No pattern with id/);
  assert.equal((await send(app, "PATCH", `/patterns/${id}`, { enabled: true })).status, 404);
  store.close();
});

Deno.test("a rule added through the API applies to the next snapshot", async () => {
  const { app, store } = setup();
  const before = store.rules().version;
  await send(app, "POST", "/navigation-fixes", {
    incorrectPath: "src/a.ts",
    correctPath: "src/b.ts",
  });
  assert.ok(store.rules().version > before);
  assert.equal(store.rules().navigationFixes.get("src/a.ts"), "src/b.ts");
  store.close();
});

Deno.test("invalid input gets 400 with a reason and changes nothing", async (t) => {
  const { app, store } = setup();
  const count = store.patterns.list().length;
  const cases: [string, string, string, unknown, RegExp][] = [
    [
      "unknown field",
      "POST",
      "/patterns",
      { match: "a", replacement: "b", evil: 1 },
      /unknown field "evil"/,
    ],
    [
      "wrong type",
      "POST",
      "/patterns",
      { match: 1, replacement: "b" },
      /"match": must be a string/,
    ],
    ["missing field", "POST", "/patterns", { match: "a" }, /"replacement" is required/],
    [
      "catastrophic regex",
      "POST",
      "/patterns",
      { match: "(a+)+$", replacement: "", regex: true },
      /nested/,
    ],
    ["invalid regex", "POST", "/patterns", { match: "(", replacement: "", regex: true }, /invalid/],
    ["oversized", "POST", "/patterns", { match: "a".repeat(501), replacement: "" }, /longer than/],
    [
      "confidence range",
      "POST",
      "/patterns",
      { match: "a", replacement: "", confidence: 2 },
      /between/,
    ],
    ["not JSON", "POST", "/patterns", "{nope", /Invalid JSON/],
    ["array body", "POST", "/patterns", [], /must be a JSON object/],
    ["patch bad regex", "PATCH", "/patterns/1", { match: "(a+)+b" }, /nested|overlap/],
    ["bad id", "GET", "/patterns/abc", undefined, /Invalid id/],
    [
      "bad kind",
      "POST",
      "/behavior-patches",
      { description: "d", kind: "x", payload: {} },
      /"kind"/,
    ],
    [
      "bad option",
      "POST",
      "/behavior-patches",
      { description: "d", kind: "prompt_modifier", payload: { options: { temprature: 1 } } },
      /unknown field "temprature"/,
    ],
    ["bad limit", "GET", "/corrections?limit=-1", undefined, /"limit"/],
    ["unknown query", "GET", "/corrections?sort=x", undefined, /unknown field "sort"/],
    [
      "huge body",
      "POST",
      "/patterns",
      { match: "a", replacement: "b".repeat(300_000) },
      /larger than/,
    ],
  ];
  for (const [name, method, path, body, reason] of cases) {
    await t.step(name, async () => {
      const res = await send(app, method, path, body);
      assert.equal(res.status, 400);
      assert.match((await res.json()).error, reason);
    });
  }
  assert.equal(store.patterns.list().length, count);
  store.close();
});

Deno.test("SQL metacharacters are stored verbatim through the API", async () => {
  const { app, store } = setup();
  const text = `x'); DELETE FROM correction_patterns; --`;
  const res = await send(app, "POST", "/patterns", {
    match: text,
    replacement: `"; DROP TABLE x;`,
  });
  const { id } = await res.json();
  const got = await (await send(app, "GET", `/patterns/${id}`)).json();
  assert.equal(got.match, text);
  assert.equal(got.replacement, `"; DROP TABLE x;`);
  store.close();
});

Deno.test("admin auth: with a token, 401 without or with a wrong bearer, 200 with it", async () => {
  const { app, store } = setup("s3cret");
  assert.equal((await send(app, "GET", "/stats")).status, 401);
  assert.equal(
    (await send(app, "GET", "/stats", undefined, { authorization: "Bearer nope" })).status,
    401,
  );
  assert.equal(
    (await send(app, "GET", "/stats", undefined, { authorization: "s3cret" })).status,
    401,
  );
  const denied = await send(app, "POST", "/patterns", { match: "a", replacement: "b" });
  assert.equal(denied.status, 401);
  assert.match((await denied.json()).error, /Bearer/);
  const ok = await send(app, "GET", "/stats", undefined, { authorization: "Bearer s3cret" });
  assert.equal(ok.status, 200);
  store.close();
  const open = setup(null);
  assert.equal((await send(open.app, "GET", "/stats")).status, 200);
  open.store.close();
});

Deno.test("corrections: filters, limit, newest last; stats reflect them", async () => {
  const { app, store } = setup();
  for (
    const [requestId, type] of [["a", "think_leak"], ["b", "template_leak"], ["b", "think_leak"]]
  ) {
    store.record({
      requestId: requestId!,
      time: 1,
      model: "m",
      protocol: "openai",
      channel: "content",
      type: type!,
      found: "x",
      replacement: null,
      confidence: 1,
      action: "corrected",
    });
  }
  store.countRequest();
  const b = await (await send(app, "GET", "/corrections?request_id=b")).json();
  assert.deepEqual(b.map((r: { type: string }) => r.type), ["template_leak", "think_leak"]);
  const last = await (await send(app, "GET", "/corrections?type=think_leak&limit=1")).json();
  assert.deepEqual(last.map((r: { requestId: string }) => r.requestId), ["b"]);
  const stats = await (await send(app, "GET", "/stats")).json();
  assert.equal(stats.totalHallucinationsDetected, 3);
  assert.deepEqual(stats.hallucinationTypes, { template_leak: 1, think_leak: 2 });
  assert.equal(stats.requestsProcessed, 1);
  assert.equal(stats.ggufEndpoint, "http://127.0.0.1:11434");
  store.close();
});

Deno.test("export → change → import through the API restores the old rules", async () => {
  const { app, store } = setup();
  await send(app, "POST", "/behavior-patches", {
    description: "cool qwen",
    kind: "prompt_modifier",
    model: "qwen*",
    payload: { options: { temperature: 0.2 } },
  });
  const exported = await (await send(app, "GET", "/export")).text();
  await send(app, "DELETE", "/patterns/1");
  await send(app, "POST", "/patterns", { match: "new", replacement: "rule" });
  const res = await send(app, "POST", "/import", exported);
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).imported, {
    patterns: 5,
    navigationFixes: 0,
    behaviorPatches: 1,
  });
  assert.equal(await (await send(app, "GET", "/export")).text(), exported);
  const bad = await send(app, "POST", "/import", { format: "hotpatch-rules", version: 2 });
  assert.equal(bad.status, 400);
  assert.equal(await (await send(app, "GET", "/export")).text(), exported);
  store.close();
});

Deno.test("PATCH of a behavior patch merges and validates the whole patch", async () => {
  const { app, store } = setup();
  const created = await send(app, "POST", "/behavior-patches", {
    description: "loops",
    kind: "output_filter",
    payload: { detectors: { repetition_loop: { enabled: false } } },
  });
  const { id } = await created.json();
  const ok = await send(app, "PATCH", `/behavior-patches/${id}`, {
    payload: { detectors: { think_leak: { action: "detect" } } },
    model: "qwen*",
  });
  assert.equal(ok.status, 200);
  const patched = await ok.json();
  assert.deepEqual(patched.payload, { detectors: { think_leak: { action: "detect" } } });
  assert.equal(patched.model, "qwen*");
  const mismatch = await send(app, "PATCH", `/behavior-patches/${id}`, { kind: "validator" });
  assert.equal(mismatch.status, 400);
  assert.equal(
    (await (await send(app, "GET", `/behavior-patches/${id}`)).json()).kind,
    "output_filter",
  );
  store.close();
});
