/**
 * Path detector throughput on real answers (`clean_outputs.jsonl`, with workspace paths mixed in)
 * against a generated 20,000-file workspace, and the time to build that index from disk.
 * MB/s = text size (printed at start) / time per iteration.
 */
import { pathDetector } from "../src/detect/invalid_path.ts";
import { defaultDetectors, detectContext, runDetectors } from "../src/detect/mod.ts";
import { buildWorkspaceIndex } from "../src/workspace/index.ts";

const FILES = 20_000;
const MODULES = ["api", "core", "ui", "store", "auth", "jobs", "util", "net", "db", "cli"];
const NAMES = ["handler", "service", "model", "view", "client", "schema", "queue", "cache"];

/** Deterministic relative paths: src/<module>/<group>/<name><n>.ts and friends. */
function generatedPaths(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const mod = MODULES[i % MODULES.length];
    const name = NAMES[(i >> 3) % NAMES.length];
    const ext = i % 5 === 0 ? "tsx" : i % 7 === 0 ? "json" : "ts";
    out.push(`src/${mod}/group${i % 200}/${name}${i}.${ext}`);
  }
  return out;
}

const paths = generatedPaths(FILES);
const dir = await Deno.makeTempDir({ prefix: "hotpatch_bench_" });
const made = new Set<string>();
for (const rel of paths) {
  const parent = `${dir}/${rel.slice(0, rel.lastIndexOf("/"))}`;
  if (!made.has(parent)) {
    Deno.mkdirSync(parent, { recursive: true });
    made.add(parent);
  }
  Deno.writeTextFileSync(`${dir}/${rel}`, "");
}
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

const index = await buildWorkspaceIndex([dir]);
const answers = Deno.readTextFileSync(
  new URL("../data/clean_outputs.jsonl", import.meta.url),
).split("\n").filter((l) => l.trim() !== "").map((l) => (JSON.parse(l) as { text: string }).text);
// Each answer also names workspace paths: real, wrong case, a typo and a made-up one.
const texts = answers.map((text, i) => {
  const real = paths[(i * 97) % FILES] ?? "";
  const other = paths[(i * 31) % FILES] ?? "";
  return `${text}\n\nSee \`${real}\` and ${other.toUpperCase()}, ${
    real.replace("handler", "handlr")
  } and src/${MODULES[i % 10]}/made_up_${i}.ts.\n`;
});
const bytes = texts.reduce((n, t) => n + new TextEncoder().encode(t).length, 0);
console.log(`paths bench: ${index.size} entries, ${(bytes / 1e6).toFixed(2)} MB of answer text`);

const ctx = detectContext({ workspace: index });
const pipeline = defaultDetectors();
if (!pipeline.includes(pathDetector)) pipeline.push(pathDetector);

Deno.bench("invalid_path detect over all answers (20k-file index)", () => {
  for (const text of texts) pathDetector.detect(text, ctx);
});

Deno.bench("invalid_path holdFrom over all answers (streaming, not final)", () => {
  const open = detectContext({ workspace: index, final: false });
  for (const text of texts) pathDetector.holdFrom(text, open);
});

Deno.bench("whole pipeline (default detectors, invalid_path included) over all answers", () => {
  for (const text of texts) runDetectors(text, pipeline, ctx);
});

Deno.bench({
  name: `build the workspace index (${FILES} files on disk)`,
  n: 5,
  async fn() {
    const built = await buildWorkspaceIndex([dir]);
    built.close();
  },
});
