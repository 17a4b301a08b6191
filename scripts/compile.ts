/**
 * `deno task compile [--target T ...]`: one self-contained `hotpatch` executable per target in
 * dist/. Needs network access to Deno's runtime downloads (not available on every machine).
 * @module
 */
import { parseArgs } from "node:util";

const all = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];
const { values } = parseArgs({
  args: Deno.args,
  options: { target: { type: "string", multiple: true } },
});
const targets = values.target ?? all;
for (const target of targets) {
  if (!all.includes(target)) {
    console.error(`Invalid --target "${target}": must be one of ${all.join(", ")}`);
    Deno.exit(2);
  }
}

for (const target of targets) {
  const output = `dist/hotpatch-${target}${target.includes("windows") ? ".exe" : ""}`;
  const args = [
    "compile",
    "-A",
    "--unstable-no-legacy-abort",
    "--target",
    target,
    "--output",
    output,
    "main.ts",
  ];
  console.log(`deno ${args.join(" ")}`);
  const { code } = await new Deno.Command(Deno.execPath(), { args }).spawn().status;
  if (code !== 0) {
    console.error(`Compile for ${target} failed (exit ${code})`);
    Deno.exit(code);
  }
}
