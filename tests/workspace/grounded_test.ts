import assert from "node:assert/strict";
import { groundedPaths, isGrounded } from "../../src/workspace/grounded.ts";

Deno.test("grounded: paths in OpenAI messages, array parts and tool results are collected", () => {
  const g = groundedPaths({
    model: "m",
    messages: [
      { role: "system", content: "Workspace at /home/me/proj." },
      { role: "user", content: [{ type: "text", text: "Look at './src/app.ts:12:4'." }] },
      {
        role: "assistant",
        tool_calls: [{ function: { name: "read", arguments: '{"path":"lib/util.py"}' } }],
      },
      { role: "tool", content: "README.md\ndocs/guide.md\n" },
    ],
  });
  for (const p of ["src/app.ts", "app.ts", "src", "lib/util.py", "README.md", "docs/guide.md"]) {
    assert(g.has(p), p);
  }
});

Deno.test("grounded: Ollama prompt/system and OpenAI prompt are scanned", () => {
  const g = groundedPaths({ prompt: "edit src/x.rs", system: "see Cargo.toml" });
  assert(g.has("src/x.rs"));
  assert(g.has("Cargo.toml"));
  assert(groundedPaths({ prompt: ["a/b.go"] }).has("a/b.go"));
});

Deno.test("grounded: absolute paths ground their trailing sub-paths", () => {
  const g = groundedPaths({ messages: [{ role: "user", content: "/home/me/proj/src/a.ts" }] });
  assert(g.has("src/a.ts"));
  assert(g.has("/home/me/proj/src/a.ts"));
});

Deno.test("grounded: URLs, images and non-path prose are not grounded", () => {
  const g = groundedPaths({
    messages: [{
      role: "user",
      content: "e.g. https://x.io/a/b.ts and Node.js",
      images: ["a/b.ts"],
    }],
  });
  assert.deepEqual(g.has("a/b.ts"), false);
  assert.deepEqual(g.has("x.io/a/b.ts"), false);
});

Deno.test("grounded: a trailing slash matches the directory", () => {
  assert(isGrounded(new Set(["src/lib"]), "src/lib/"));
  assert.deepEqual(isGrounded(new Set(), "src/lib"), false);
});
