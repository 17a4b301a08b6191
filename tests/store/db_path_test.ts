import assert from "node:assert/strict";
import { defaultDbPath } from "../../src/store/db_path.ts";
import { modelMatches } from "../../src/rules/glob.ts";

Deno.test("default database path per platform", () => {
  assert.equal(
    defaultDbPath({ HOME: "/home/ada" }, "linux"),
    "/home/ada/.local/share/hotpatch/hotpatch.db",
  );
  assert.equal(
    defaultDbPath({ HOME: "/home/ada", XDG_DATA_HOME: "/data/" }, "linux"),
    "/data/hotpatch/hotpatch.db",
  );
  assert.equal(
    defaultDbPath({ HOME: "/home/ada", XDG_DATA_HOME: "relative" }, "linux"),
    "/home/ada/.local/share/hotpatch/hotpatch.db",
    "a relative XDG_DATA_HOME is ignored as the spec says",
  );
  assert.equal(
    defaultDbPath({ HOME: "/Users/ada" }, "darwin"),
    "/Users/ada/Library/Application Support/hotpatch/hotpatch.db",
  );
  assert.equal(
    defaultDbPath({ APPDATA: "C:\\Users\\ada\\AppData\\Roaming" }, "windows"),
    "C:\\Users\\ada\\AppData\\Roaming\\hotpatch\\hotpatch.db",
  );
  assert.throws(() => defaultDbPath({}, "linux"), /HOME is not set/);
  assert.throws(() => defaultDbPath({}, "windows"), /APPDATA/);
});

Deno.test("model globs: * and ?, whole name, case-insensitive, metacharacters literal", () => {
  assert.ok(modelMatches("qwen*", "Qwen2.5-Coder:7b"));
  assert.ok(modelMatches("*coder*", "qwen2.5-coder:7b"));
  assert.ok(modelMatches("*", "anything"));
  assert.ok(modelMatches("llama3.?", "llama3.1"));
  assert.ok(!modelMatches("llama3.?", "llama3x12"));
  assert.ok(!modelMatches("qwen", "qwen3"));
  assert.ok(!modelMatches("a.b", "axb"));
  assert.ok(modelMatches("(x)+", "(x)+"));
});
