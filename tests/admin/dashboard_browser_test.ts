/**
 * The dashboard in a real headless Chromium: live corrections with their reason, rules edited
 * from the page (validation errors shown in place), the admin token asked for once.
 */
import assert from "node:assert/strict";
import { startScriptedModel } from "../../src/demo/model.ts";
import { browserTestsEnabled, launchChromium } from "../browser.ts";
import { startProxy } from "../helpers.ts";

const enabled = browserTestsEnabled();
const opts = { ignore: !enabled, sanitizeOps: false, sanitizeResources: false };

function chat(url: string, content: string): Promise<Response> {
  return fetch(url + "/api/chat", {
    method: "POST",
    body: JSON.stringify({ model: "qwen3", stream: true, messages: [{ role: "user", content }] }),
  });
}

function contentOf(ndjson: string): string {
  return ndjson.trim().split("\n").map((l) => JSON.parse(l).message?.content ?? "").join("");
}

Deno.test({
  name:
    "dashboard: a correction appears live with its reason within 1 s; a pattern added on the page fixes the next answer",
  ...opts,
  fn: async () => {
    const model = await startScriptedModel({ delayMs: 1 });
    const proxy = await startProxy(model.url);
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(proxy.url + "/hotpatch/");
      await page.locator("#feed", { hasText: "live" }).waitFor();

      const res = await chat(proxy.url, "template_leak");
      const id = res.headers.get("x-hotpatch-request-id")!;
      await res.text();
      const item = page.locator(`.corr[data-request="${id}"]`);
      await item.waitFor({ timeout: 1000 }); // within 1 s of the response
      const text = await item.innerText();
      assert.match(text, /template_leak/);
      assert.match(text, /ended/);
      assert.match(text, /Why: end-of-turn token "<\|im_end\|>" leaked/);
      assert.match(text, /All 12 tests pass\./);
      await page.locator(`#requests tr[data-request="${id}"]`, { hasText: "200" }).waitFor();

      await page.getByRole("button", { name: "Rules" }).click();
      const form = page.locator('form[data-table="patterns"]').first();
      await form.locator('input[name="match"]').fill("(a+)+$");
      await form.locator('input[name="replacement"]').fill("x");
      await form.locator('input[name="regex"]').check();
      await form.getByRole("button", { name: "Add" }).click();
      await form.locator(".error", { hasText: /Invalid/ }).waitFor();
      assert.equal(proxy.store.patterns.list().length, 5, "the invalid pattern was not stored");

      await form.locator('input[name="match"]').fill("scripted model");
      await form.locator('input[name="replacement"]').fill("scripted MODEL");
      await form.locator('input[name="regex"]').uncheck();
      await form.getByRole("button", { name: "Add" }).click();
      await page.locator("#rules-patterns tr", { hasText: "scripted MODEL" }).waitFor();
      assert.equal(await form.locator(".error").innerText(), "");

      const next = await chat(proxy.url, "hello");
      assert.equal(contentOf(await next.text()), "Hello from the scripted MODEL.");
      await page.getByRole("button", { name: "Live" }).click();
      const fixed = page.locator(".corr", { hasText: "pattern_match" });
      await fixed.waitFor({ timeout: 1000 });
      assert.match(await fixed.innerText(), /rule pattern:6/);

      await page.getByRole("button", { name: "Rules" }).click();
      const row = page.locator("#rules-patterns tr", { hasText: "scripted MODEL" });
      await row.getByRole("button", { name: "Disable" }).click();
      await page.locator("#rules-patterns tr.off", { hasText: "scripted MODEL" }).waitFor();
      assert.equal(proxy.store.patterns.get(6)?.enabled, false);
      await page.locator("#rules-patterns tr", { hasText: "scripted MODEL" })
        .getByRole("button", { name: "Edit" }).click();
      const edit = page.locator('#rules-patterns tr form[data-table="patterns"]');
      await edit.locator('input[name="confidence"]').fill("7");
      await edit.getByRole("button", { name: "Save" }).click();
      await edit.locator(".error", { hasText: /confidence/ }).waitFor();
      await edit.locator('input[name="confidence"]').fill("0.75");
      await edit.getByRole("button", { name: "Save" }).click();
      await page.locator("#rules-patterns tr", { hasText: "0.75" }).waitFor();
      const row6 = page.locator("#rules-patterns tr", { hasText: "scripted MODEL" });
      await row6.getByRole("button", { name: "Delete" }).click();
      await row6.getByRole("button", { name: "Sure?" }).click();
      await page.locator("#rules-patterns h2", { hasText: "(5)" }).waitFor();
      assert.equal(proxy.store.patterns.get(6), null);
    } finally {
      await browser.close();
      await proxy.close();
      await model.close();
    }
  },
});

Deno.test({
  name: "dashboard: with --admin-token the page asks for the token once, then goes live",
  ...opts,
  fn: async () => {
    const model = await startScriptedModel({ delayMs: 1 });
    const proxy = await startProxy(model.url, { adminToken: "s3cret" });
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(proxy.url + "/hotpatch/");
      const ask = page.locator("#token");
      await ask.waitFor({ state: "visible" });
      await ask.locator("input").fill("s3cret");
      await ask.getByRole("button", { name: "Open" }).click();
      await page.locator("#feed", { hasText: "live" }).waitFor({ timeout: 10_000 });
      assert.equal(await ask.isVisible(), false);
      await (await chat(proxy.url, "think_leak")).text();
      await page.locator(".corr", { hasText: "think_leak" }).waitFor({ timeout: 1000 });
      await page.getByRole("button", { name: "Rules" }).click();
      await page.locator("#rules-patterns h2", { hasText: "(5)" }).waitFor();
    } finally {
      await browser.close();
      await proxy.close();
      await model.close();
    }
  },
});
