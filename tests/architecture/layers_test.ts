import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { againstLayers, readLayers, scanImports, unitCycle, unitOf } from "./imports.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const layers = readLayers(Deno.readTextFileSync(`${root}docs/architecture.md`));
const edges = scanImports(root);

Deno.test("every folder and module of src/ is on exactly one layer of docs/architecture.md", () => {
  const listed = layers.flat();
  assert.deepEqual(listed.filter((name, i) => listed.indexOf(name) !== i), [], "listed twice");
  const present = [
    "main.ts",
    ...[...Deno.readDirSync(`${root}src`)]
      .filter((e) => e.isDirectory || e.name.endsWith(".ts"))
      .map((e) => e.isDirectory ? `${e.name}/` : e.name),
  ];
  assert.deepEqual(present.filter((name) => !listed.includes(name)).sort(), [], "on no layer");
  assert.deepEqual(listed.filter((name) => !present.includes(name)), [], "listed, not in src/");
});

Deno.test("the import scan reads every static import of src/, and each names a file", () => {
  const files = new Set(edges.map((e) => e.from));
  assert.ok(files.has("main.ts") && files.has("src/chain/mod.ts"), "scanned main.ts and src/");
  assert.ok(edges.length > 300, `only ${edges.length} imports found`);
  assert.deepEqual(edges.filter((e) => !existsSync(`${root}${e.to}`)), []);
});

Deno.test("every import in src/ runs to a lower layer (none up, none sideways)", () => {
  assert.deepEqual(againstLayers(layers, edges, ["deno.json"]), []);
});

Deno.test("no folder of src/ imports itself back through other folders", () => {
  assert.equal(unitCycle(edges), null);
});

Deno.test("a back-edge and a cycle are reported with the modules that form them", () => {
  const up = { from: "src/observe/instrument.ts", to: "src/proxy/middleware.ts" };
  assert.deepEqual(againstLayers(layers, [up]), [
    `src/observe/instrument.ts → src/proxy/middleware.ts (observe/ is on layer ${
      rankOf("observe/")
    }, proxy/ on layer ${rankOf("proxy/")})`,
  ]);
  const sideways = { from: "src/observe/bus.ts", to: "src/detect/mod.ts" };
  assert.equal(againstLayers(layers, [sideways]).length, 1, "siblings on one layer");
  const unplaced = { from: "src/plan.ts", to: "src/newfolder/x.ts" };
  assert.deepEqual(againstLayers(layers, [unplaced]), [
    "src/plan.ts → src/newfolder/x.ts (newfolder/ is on no layer)",
  ]);
  const cycle = unitCycle([...edges, up]);
  assert.ok(cycle?.includes("observe/") && cycle.includes(unitOf(up.to)), `cycle: ${cycle}`);
});

function rankOf(unit: string): number {
  return layers.findIndex((layer) => layer.includes(unit)) + 1;
}
