import assert from "node:assert/strict";
import { matchName } from "../../src/repair/names.ts";

const offered = ["read_file", "write_file", "list_dir", "math.factorial", "search_files", "todo"];

Deno.test("matchName fixes a name when exactly one offered name is clearly meant", async (t) => {
  const cases: [string, string][] = [
    ["Read_file", "read_file"],
    ["read-file", "read_file"],
    ["readfile", "read_file"],
    ["math_factorial", "math.factorial"],
    ["raed_file", "read_file"],
    ["red_file", "read_file"],
    ["read_fiel", "read_file"],
    ["read_files", "read_file"],
    ["search_file", "search_files"],
    ["list_dirs", "list_dir"],
    ["tdo", "todo"],
    ["functions.read_file", "read_file"],
    ["serch_filez", "search_files"],
  ];
  for (const [name, expected] of cases) {
    await t.step(`${name} → ${expected}`, () => {
      const m = matchName(name, offered);
      assert.equal(m.kind, "fixed");
      assert.equal(m.kind === "fixed" && m.name, expected);
    });
  }
});

Deno.test("matchName keeps offered names and flags names nothing clearly matches", async (t) => {
  await t.step("exact", () => assert.deepEqual(matchName("read_file", offered), { kind: "exact" }));
  for (const name of ["get_weather", "delete_everything", "rd", "file"]) {
    await t.step(name, () => assert.equal(matchName(name, offered).kind, "unknown"));
  }
  await t.step("ties are not guessed", () => {
    assert.equal(matchName("read_fil", ["read_file", "read_fit"]).kind, "unknown");
  });
  await t.step("another namespace is not a prefix to strip", () => {
    assert.equal(matchName("geometry.area", ["area", "volume"]).kind, "unknown");
  });
  await t.step("no tools", () => assert.equal(matchName("read_file", []).kind, "unknown"));
});

Deno.test("matchName compares a name with the first 256 offered names only; an exact name counts anywhere", () => {
  const offered = Array.from({ length: 100_000 }, (_, i) => `tool_number_${i}_does_something`);
  offered[50_000] = "read_file";
  assert.equal(matchName("read_fil", offered).kind, "unknown");
  assert.equal(matchName("read_file", offered).kind, "exact");
  offered[255] = "read_file";
  assert.equal(matchName("read_fil", offered).kind, "fixed");
});
