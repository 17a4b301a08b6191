/**
 * `deno run -A scripts/screenshots.ts`: the dashboard after the demo's six requests, saved as
 * docs/dashboard.png (live view) and docs/dashboard-rules.png (rules view). Needs Chromium
 * (`apt-get install chromium`).
 * @module
 */
import { join } from "node:path";
import { startServer } from "../src/serve.ts";
import { parseConfig } from "../src/config.ts";
import { SCENARIOS, startScriptedModel } from "../src/demo/model.ts";
import { launchChromium } from "../tests/browser.ts";

const model = await startScriptedModel({ delayMs: 5 });
const workspace = await Deno.makeTempDir();
await Deno.mkdir(join(workspace, "src"));
await Deno.writeTextFile(join(workspace, "src/App.tsx"), "export {};\n");
await Deno.writeTextFile(join(workspace, "src/main.ts"), "export {};\n");
const config = parseConfig(
  ["--port", "0", "--upstream", model.url, "--workspace", workspace, "--db", ":memory:"],
  {},
  () => true,
  workspace,
);
const server = await startServer({ ...config, logLevel: "error" });
const url = `http://127.0.0.1:${server.port}`;
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1400 });
  await page.goto(url + "/hotpatch/");
  await page.getByText("live", { exact: true }).waitFor();
  for (const s of SCENARIOS) {
    await (await fetch(url + s.path, {
      method: "POST",
      body: JSON.stringify({
        model: "qwen2.5-coder:7b",
        stream: true,
        messages: [{ role: "user", content: s.id }],
        ...(s.tools ? { tools: s.tools } : {}),
      }),
    })).text();
  }
  await page.locator(".corr").nth(SCENARIOS.length - 1).waitFor();
  await page.waitForTimeout(1600); // the highlight of new items fades
  await page.screenshot({ path: "docs/dashboard.png", fullPage: true });
  await page.getByRole("button", { name: "Rules" }).click();
  await page.locator("#rules-patterns table").waitFor();
  await page.screenshot({ path: "docs/dashboard-rules.png", fullPage: true });
  console.log("docs/dashboard.png, docs/dashboard-rules.png written");
} finally {
  await browser.close();
  await server.stop(500);
  await model.close();
  await Deno.remove(workspace, { recursive: true });
}
