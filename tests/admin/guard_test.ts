import assert from "node:assert/strict";
import { createApp } from "../../src/app.ts";
import { hostAllowed } from "../../src/admin/guard.ts";
import { openStore } from "../../src/store/mod.ts";
import { testConfig } from "../helpers.ts";
import type { Config } from "../../src/config.ts";

/** A fresh app whose upstream counts the requests that reach it. */
function setup(overrides: Partial<Config> = {}) {
  const reached: string[] = [];
  const store = openStore(":memory:");
  const { app } = createApp({
    config: testConfig("http://127.0.0.1:9", overrides),
    store,
    workspace: null,
    fetch: (input) => {
      reached.push(String(input));
      return Promise.resolve(Response.json({ models: [] }));
    },
  });
  const send = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    app.request(`http://127.0.0.1:11435${path}`, {
      ...init,
      headers: { host: "127.0.0.1:11435", ...init.headers },
    });
  return { app, store, reached, send };
}

const json = { "content-type": "application/json" };

Deno.test("guard: a foreign Host (DNS rebinding) gets 403 on admin and proxied routes alike", async () => {
  const { store, reached, send } = setup();
  const evil = { host: "rebind.evil.example:11435" };
  for (
    const [path, init] of [
      ["/hotpatch/api/export", {}],
      ["/hotpatch/api/patterns/1", { method: "DELETE" }],
      ["/hotpatch/health", {}],
      ["/api/tags", {}],
      ["/api/chat", { method: "POST", body: "{}", headers: { ...evil, ...json } }],
    ] as const
  ) {
    const res = await send(path, { headers: evil, ...init });
    assert.equal(res.status, 403, path);
    assert.match((await res.json()).error, /Host "rebind\.evil\.example:11435" is not allowed/);
  }
  assert.equal(reached.length, 0);
  assert.equal(store.patterns.list().length, 5, "the default patterns are untouched");
  store.close();
});

Deno.test("guard: loopback names, the --host and --allowed-hosts names pass", async () => {
  const { store, reached, send } = setup({ host: "devbox.lan", allowedHosts: ["llm.internal"] });
  for (
    const host of ["localhost:11435", "127.0.0.1", "[::1]:11435", "devbox.lan", "LLM.internal"]
  ) {
    const res = await send("/api/tags", { headers: { host } });
    assert.equal(res.status, 200, host);
    await res.body?.cancel();
  }
  assert.equal(reached.length, 5);
  assert.equal((await send("/api/tags", { headers: { host: "other.lan" } })).status, 403);
  store.close();
});

Deno.test("guard: listening on 0.0.0.0, IP literals pass and names still need --allowed-hosts", () => {
  const opts = { host: "0.0.0.0", allowedHosts: [], allowedOrigins: [] };
  assert.equal(hostAllowed("192.168.1.5:11435", opts), true);
  assert.equal(hostAllowed("[fe80::1]:11435", opts), true);
  assert.equal(hostAllowed("rebind.evil.example", opts), false);
  assert.equal(hostAllowed("anything", { ...opts, allowedHosts: ["*"] }), true);
});

Deno.test("guard: an admin request from another Origin gets 403; its own origin and --allowed-origins pass", async () => {
  const { store, send } = setup({ allowedOrigins: ["http://dashboard.localhost:3000"] });
  const body = JSON.stringify({ match: "colour", replacement: "color" });
  const post = (origin: string) =>
    send("/hotpatch/api/patterns", { method: "POST", body, headers: { ...json, origin } });
  const foreign = await post("https://evil.example");
  assert.equal(foreign.status, 403);
  assert.match((await foreign.json()).error, /Origin "https:\/\/evil\.example" may not/);
  assert.equal((await post("null")).status, 403);
  const imported = await send("/hotpatch/api/import", {
    method: "POST",
    body: "{}",
    headers: { ...json, origin: "https://evil.example" },
  });
  assert.equal(imported.status, 403);
  assert.equal((await post("http://127.0.0.1:11435")).status, 201);
  assert.equal((await post("http://dashboard.localhost:3000")).status, 201);
  assert.equal(store.patterns.list().length, 7);
  store.close();
});

Deno.test("guard: admin writes need application/json (415), so no simple cross-origin request reaches them", async () => {
  const { store, send } = setup();
  const body = JSON.stringify({ match: "colour", replacement: "color" });
  for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]) {
    const res = await send("/hotpatch/api/patterns", {
      method: "POST",
      body,
      headers: { "content-type": type },
    });
    assert.equal(res.status, 415, type);
    assert.match((await res.json()).error, /send application\/json/);
  }
  const none = await send("/hotpatch/api/import", { method: "POST", body: "{}" });
  assert.equal(none.status, 415);
  const ok = await send("/hotpatch/api/patterns", {
    method: "POST",
    body,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
  assert.equal(ok.status, 201);
  assert.equal(store.patterns.list().length, 6);
  store.close();
});

Deno.test("guard: proxied routes keep their own content types and origins", async () => {
  const { store, reached, send } = setup();
  const res = await send("/api/tags", { headers: { origin: "https://evil.example" } });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal(reached.length, 1);
  store.close();
});
