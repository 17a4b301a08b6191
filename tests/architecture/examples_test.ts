import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { tsFiles } from "./imports.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** `file:line` of every `@example` whose next line does not open a fenced `ts` block. */
function unfenced(file: string, source: string): string[] {
  const lines = source.split("\n");
  return lines.flatMap((line, i) =>
    /^\s*\* @example\b/.test(line) && !/^\s*\* ```ts\s*$/.test(lines[i + 1] ?? "")
      ? [`${file}:${i + 1}`]
      : []
  );
}

Deno.test("every @example in src/ is a fenced ts block, so deno test --doc runs it", () => {
  const found = tsFiles(root, "src").flatMap((file) =>
    unfenced(file, Deno.readTextFileSync(`${root}${file}`))
  );
  assert.deepEqual(found, []);
});

Deno.test("an @example written as a bare line is reported with its place", () => {
  const source =
    "/**\n * @example\n * f(1); // 2\n */\n/**\n * @example\n * ```ts\n * f(1);\n * ```\n */";
  assert.deepEqual(unfenced("src/x.ts", source), ["src/x.ts:2"]);
});

Deno.test("deno task test runs the JSDoc examples of src/ (--doc)", () => {
  const config = JSON.parse(Deno.readTextFileSync(`${root}deno.json`));
  const task = String(config.tasks.test).split(/\s+/);
  assert.ok(task.includes("--doc") && task.includes("src/"), task.join(" "));
});
