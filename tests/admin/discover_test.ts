import assert from "node:assert/strict";
import { ROUTES } from "../../src/admin/discover.ts";
import { startProxy } from "../helpers.ts";

Deno.test("api: GET /hotpatch/api lists every admin route with its methods", async () => {
  const proxy = await startProxy("http://127.0.0.1:9");
  try {
    const res = await fetch(proxy.url + "/hotpatch/api");
    assert.equal(res.status, 200);
    const { routes } = await res.json();
    assert.deepEqual(routes, ROUTES);
    const paths = routes.map((r: { path: string }) => r.path);
    for (const p of ["/hotpatch/api/events", "/hotpatch/metrics", "/hotpatch/api/patterns/:id"]) {
      assert.ok(paths.includes(p), p);
    }
    const fixes = routes.find((r: { path: string }) => r.path === "/hotpatch/api/navigation-fixes");
    assert.match(fixes?.description ?? "", /^list navigation fixes \//);
  } finally {
    await proxy.close();
  }
});

Deno.test("api: a wrong method on a known path gets 405 with Allow; an unknown path 404", async (t) => {
  const proxy = await startProxy("http://127.0.0.1:9");
  try {
    for (
      const [method, path, allow] of ([
        ["DELETE", "/hotpatch/api/patterns", "GET, POST, HEAD"],
        ["PUT", "/hotpatch/api/patterns/3", "GET, PATCH, DELETE, HEAD"],
        ["POST", "/hotpatch/api/stats", "GET, HEAD"],
        ["POST", "/hotpatch/health", "GET, HEAD"],
        ["DELETE", "/hotpatch/metrics", "GET, HEAD"],
        ["GET", "/hotpatch/api/import", "POST"],
      ] as const)
    ) {
      await t.step(`${method} ${path}`, async () => {
        const res = await fetch(proxy.url + path, { method });
        assert.equal(res.status, 405);
        assert.equal(res.headers.get("allow"), allow);
        assert.match((await res.json()).error, new RegExp(`Method ${method} is not allowed`));
      });
    }
    const missing = await fetch(proxy.url + "/hotpatch/api/nothing");
    assert.equal(missing.status, 404);
    assert.match((await missing.json()).error, /GET \/hotpatch\/api lists them/);
  } finally {
    await proxy.close();
  }
});

Deno.test("api: an unknown detection type in ?type= gets 400 naming the known ones; a pattern's type is known", async () => {
  const proxy = await startProxy("http://127.0.0.1:9");
  try {
    const bad = await fetch(proxy.url + "/hotpatch/api/corrections?type=bogus");
    assert.equal(bad.status, 400);
    assert.match(
      (await bad.json()).error,
      /Invalid "type" "bogus": must be one of .*template_leak/,
    );
    const ok = await fetch(proxy.url + "/hotpatch/api/corrections?type=think_leak");
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), []);
    proxy.store.patterns.create({ match: "x", replacement: "y", type: "house_style" });
    const custom = await fetch(proxy.url + "/hotpatch/api/corrections?type=house_style");
    assert.equal(custom.status, 200);
    await custom.body?.cancel();
  } finally {
    await proxy.close();
  }
});

Deno.test("dashboard: GET /hotpatch/ is one self-contained page with a strict content policy", async () => {
  const proxy = await startProxy("http://127.0.0.1:9");
  try {
    const res = await fetch(proxy.url + "/hotpatch/");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/html/);
    const csp = res.headers.get("content-security-policy")!;
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    assert.match(csp, /connect-src 'self'/);
    const html = await res.text();
    assert.ok(!/(src|href)="https?:/.test(html), "no outside resources");
    const script = html.split("<script>")[1]!.split("</script>")[0]!;
    const hash = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script)),
    );
    assert.ok(
      csp.includes(btoa(String.fromCharCode(...hash))),
      "the policy allows the page's script",
    );
    const redirect = await fetch(proxy.url + "/hotpatch", { redirect: "manual" });
    assert.equal(redirect.status, 301);
    assert.equal(new URL(redirect.headers.get("location")!, proxy.url).pathname, "/hotpatch/");
    await redirect.body?.cancel();
  } finally {
    await proxy.close();
  }
});
