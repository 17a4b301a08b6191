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

Deno.test("grounded: a deep path grounds its 16 last sub-paths and 16 first parents, not all 60", () => {
  const deep = Array.from({ length: 60 }, (_, i) => `d${i}`).join("/") + "/a.ts";
  const g = groundedPaths({ prompt: deep });
  assert(g.has(deep));
  assert(
    g.has("a.ts") && g.has("d45/d46/d47/d48/d49/d50/d51/d52/d53/d54/d55/d56/d57/d58/d59/a.ts"),
  );
  assert(g.has("d0") && g.has("d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15"));
  assert(
    !g.has(
      "d30/d31/d32/d33/d34/d35/d36/d37/d38/d39/d40/d41/d42/d43/d44/d45/d46/d47/d48/d49/d50/d51/d52/d53/d54/d55/d56/d57/d58/d59/a.ts",
    ),
  );
  assert.equal(g.size, 1 + 16 + 16);
});

Deno.test("grounded: a body full of distinct deep paths grounds at most 200,000 entries (plus the parts of the path that reaches it)", () => {
  // 60,000 paths of 52 segments each: all their parts would be about six million entries.
  const text = Array.from({ length: 60_000 }, (_, i) => "src/" + "a/".repeat(50) + i + ".ts");
  const g = groundedPaths({ messages: [{ role: "user", content: text.join(" ") }] });
  assert(g.size <= 200_000 + 33, `${g.size} entries`);
  assert(g.has(text[0]!) && g.has("0.ts"));
});
