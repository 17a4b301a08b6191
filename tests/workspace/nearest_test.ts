import assert from "node:assert/strict";
import { nearestBaseName, nearestPath, withinOneEdit } from "../../src/workspace/nearest.ts";
import { Snapshot } from "../../src/workspace/snapshot.ts";

const FILES = [
  "src/app.ts",
  "src/App.css",
  "src/detect/paths.ts",
  "src/detect/types.ts",
  "src/store/types.ts",
  "src/components/Button.tsx",
  "lib/color.ts",
  "lib/colour.ts",
  "docs/GUIDE.md",
];
const DIRS = ["src", "src/detect", "src/store", "src/components", "lib", "docs"];
const index = new Snapshot(["/w"], {
  files: [FILES],
  dirs: [DIRS],
  opaque: [[]],
  truncated: false,
});

Deno.test("nearest: one clear candidate per kind, with its confidence", async (t) => {
  const cases: [string, string, string][] = [
    ["src/APP.ts", "src/app.ts", "case"],
    ["src/detect/paths.js", "src/detect/paths.ts", "extension"],
    ["src/components/Button.jsx", "src/components/Button.tsx", "extension"],
    ["detect/paths.ts", "src/detect/paths.ts", "missing_dir"],
    ["src/paths.ts", "src/detect/paths.ts", "missing_dir"],
    ["src/detect/extra/paths.ts", "src/detect/paths.ts", "extra_dir"],
    ["src/detect/ptahs.ts", "src/detect/paths.ts", "typo"],
    ["src/detcet/paths.ts", "src/detect/paths.ts", "typo"],
    ["other/place/Button.tsx", "src/components/Button.tsx", "basename"],
    ["src/components/Buttonnn.tsx", "src/components/Button.tsx", "typo2"],
  ];
  for (const [wrong, right, kind] of cases) {
    await t.step(wrong, () => {
      const near = nearestPath(index, wrong);
      assert.equal(near?.path, right);
      assert.equal(near?.kind, kind);
    });
  }
  assert.ok(
    nearestPath(index, "src/APP.ts")!.confidence >
      nearestPath(index, "src/components/Buttonnn.tsx")!.confidence,
  );
});

Deno.test("nearest: ambiguous or far-off paths get no candidate", () => {
  assert.equal(nearestPath(index, "lib/colur.ts"), null); // color.ts and colour.ts
  assert.equal(nearestPath(index, "src/types.ts"), null); // detect/ or store/
  assert.equal(nearestPath(index, "src/nothing/like/it.ts"), null);
  assert.equal(nearestPath(index, "x/types.ts"), null); // generic names do not travel
});

Deno.test("nearest: bare names by case or one typing edit (stems of 6+)", () => {
  assert.equal(nearestBaseName(index, "guide.md")?.path, "GUIDE.md");
  assert.equal(nearestBaseName(index, "Buton.tsx"), null); // stem too short for a typo fix
  assert.equal(nearestBaseName(index, "coluor.ts"), null);
});

Deno.test("nearest: withinOneEdit", () => {
  for (
    const [a, b, want] of [
      ["paths", "paths", true],
      ["paths", "path", true],
      ["paths", "ptahs", true],
      ["paths", "pbths", true],
      ["paths", "pahts", true],
      ["paths", "ptash", false],
      ["paths", "pat", false],
    ] as const
  ) assert.equal(withinOneEdit(a, b), want, `${a} ${b}`);
});
