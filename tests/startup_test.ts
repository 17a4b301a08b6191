import assert from "node:assert/strict";
import { checkoutDir, selfWorkspaceWarning, startLines } from "../src/startup.ts";

Deno.test("startup: the own-checkout warning names the fix, only for the checkout itself", () => {
  assert.equal(checkoutDir("file:///opt/hotpatch/src/serve.ts"), "/opt/hotpatch");
  assert.equal(checkoutDir("https://example.com/hotpatch/src/serve.ts"), null);
  assert.match(selfWorkspaceWarning(["/opt/hotpatch"], "/opt/hotpatch") ?? "", /--workspace DIR/);
  assert.equal(selfWorkspaceWarning(["/home/ada/app"], "/opt/hotpatch"), null);
  assert.equal(selfWorkspaceWarning(["/opt/hotpatch"], null), null);
});

Deno.test("startup: one path is counted in the singular", () => {
  const info = {
    url: "http://127.0.0.1:11435",
    mode: "correct",
    version: "0.1.0",
    workspaces: ["/app"],
    truncated: false,
    db: ":memory:",
    logFile: null,
  };
  assert.equal(startLines({ ...info, indexed: 1 })[1], "Workspace: /app (1 path indexed)");
  assert.equal(
    startLines({ ...info, indexed: 50_000, truncated: true })[1],
    "Workspace: /app (50000 paths indexed; file budget reached, the rest is not checked)",
  );
  assert.equal(
    startLines({ ...info, indexed: 3 })[3],
    "Corrections log: none (in-memory database)",
  );
});
