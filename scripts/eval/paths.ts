/**
 * Evaluate `invalid_path` / `fabricated_path`. Cases are generated at eval time (seeded, so every
 * run builds the same ones) from real repository trees found on the machine: real paths in
 * realistic sentences and code (negatives), perturbed paths (case flip, typo, extension swap,
 * dropped directory level: positives with a fix) and invented files in real directories
 * (positives without a fix). Every case is also streamed in random pieces. The false-positive
 * rate on real answers is measured on `clean_outputs.jsonl` with this repository as workspace.
 * @module
 */
import { join } from "node:path";
import { pathDetector } from "../../src/detect/invalid_path.ts";
import type { DetectContext } from "../../src/detection.ts";
import { editDistance } from "../../src/text/edit_distance.ts";
import { buildWorkspaceIndex } from "../../src/workspace/index.ts";
import { groundedPaths } from "../../src/workspace/grounded.ts";
import type { WorkspaceIndex } from "../../src/workspace/types.ts";
import { randomCuts, runStream, runWhole, seeded } from "./chain.ts";
import { emptyRow, type EvalRow } from "./types.ts";

export type Kind =
  | "real"
  | "absolute"
  | "case"
  | "typo"
  | "typo2"
  | "extension"
  | "dropped_dir"
  | "fabricated"
  | "invented_dir"
  | "new_file"
  | "grounded"
  | "url";
const FIXABLE: ReadonlySet<Kind> = new Set(["case", "typo", "typo2", "extension", "dropped_dir"]);
const NEGATIVE: ReadonlySet<Kind> = new Set(["real", "absolute"]);
/** Missing paths a model may legitimately write: new files, paths the user showed, URLs. */
const HARD_NEGATIVE: ReadonlySet<Kind> = new Set(["new_file", "grounded", "url"]);
const CREATE_TEMPLATES = [
  "Create `{}` with the following content:",
  "I'll add a new file, {}, for the parser.",
  "```ts\n// {}\nexport const limit = 10;\n```",
  "Save the report to {} when the run finishes.",
  "- `{}` (new): the retry policy",
  "Next, write the migration in {}.",
];
interface PathCase {
  kind: Kind;
  text: string;
  expected: string;
  /** A request message that mentions the path (grounds it). */
  shown?: string;
}

const CASES_PER_KIND = 120;
const VERBOSE = Deno.env.get("HOTPATCH_EVAL_VERBOSE") === "1";
const TEMPLATES = [
  "The handler is defined in `{}`.",
  "Open {} and look at the exported function near the top.",
  "You can find the tests in {}:42, right after the setup block.",
  "- `{}`: loads the configuration and validates it",
  "In {}, the function calls `resolve()` before returning.",
  "Check `{}` — it re-exports everything the CLI needs.",
  "I changed two lines in {} so the error message includes the key.",
  '```js\nconst source = fs.readFileSync("{}", "utf8");\n```',
  "```diff\n--- a/{}\n+++ b/{}\n@@ -1,3 +1,4 @@\n```",
  "The bug is in `{}` (the loop never resets `i`).",
  "Running the tests touches {} as well, so keep it in sync.",
  "See {} for the full list of options.",
  "The new behaviour is implemented in [`{}`]({}).",
  "Run `node {}` to reproduce it, then `git add {}`.",
  '```json\n{ "main": "{}", "private": true }\n```',
  "1. Edit `{}`\n2. Run the tests again",
  "The stack trace points at {}:17:3 (inside the retry loop).",
  "After my change, {} still imports the old helper; I will update it next.",
  "```python\nwith open('{}') as fh:\n    text = fh.read()\n```",
  "**{}** — handles retries and backoff.",
  "Both `{}` and the tests depend on this constant.",
];
const WORDS = (
  "session cache auth token helper manager handler registry loader parser client service " +
  "store router validator formatter adapter bridge queue worker metrics policy resolver"
).split(" ");
const SWAPS: Record<string, string> = { js: "ts", ts: "js", jsx: "tsx", tsx: "jsx", mjs: "mts" };

/** Repository trees present on this machine, besides this repository. */
export function candidateTrees(repoRoot: string): string[] {
  const denoDir = Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache/deno");
  const found = [repoRoot];
  for (
    const dir of [
      "/usr/lib/node_modules/npm",
      "/usr/lib/node_modules/npm/node_modules",
      join(denoDir, "npm/registry.npmjs.org/hono/4.13.19"),
    ]
  ) {
    try {
      if (Deno.statSync(dir).isDirectory) found.push(dir);
    } catch {
      // not on this machine
    }
  }
  return found;
}

export const pick = <T>(items: readonly T[], rnd: () => number): T =>
  items[Math.floor(rnd() * items.length)]!;

/** Perturb a real path; null when this kind does not apply or the result exists. */
export function perturb(
  path: string,
  kind: Kind,
  index: WorkspaceIndex,
  rnd: () => number,
): string | null {
  const segs = path.split("/");
  const last = segs.length - 1;
  const base = segs[last]!;
  const dot = base.lastIndexOf(".");
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? base.slice(dot + 1) : "";
  let out: string | null = null;
  if (kind === "case") {
    const k = rnd() < 0.7 ? last : Math.floor(rnd() * segs.length);
    const seg = segs[k]!;
    const letters = [...seg].map((c, i) => (/[a-z]/i.test(c) ? i : -1)).filter((i) => i >= 0);
    if (letters.length === 0) return null;
    const i = pick(letters, rnd);
    const c = seg[i]!;
    const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
    segs[k] = seg.slice(0, i) + flipped + seg.slice(i + 1);
    out = segs.join("/");
  } else if (kind === "typo") {
    const onBase = rnd() < 0.7 || segs.length === 1;
    const k = onBase ? last : Math.floor(rnd() * last);
    const word = onBase ? stem : segs[k]!;
    if (word.length < 5) return null;
    const typo = typoOf(word, rnd);
    segs[k] = onBase ? typo + (ext ? "." + ext : "") : typo;
    out = segs.join("/");
  } else if (kind === "typo2") {
    if (stem.length < 7) return null;
    const twice = typoOf(typoOf(stem, rnd), rnd);
    if (editDistance(twice, stem, 2) !== 2) return null; // two edits, not one or three
    segs[last] = twice + (ext ? "." + ext : "");
    out = segs.join("/");
  } else if (kind === "extension") {
    const alt = SWAPS[ext];
    if (!alt) return null;
    segs[last] = `${stem}.${alt}`;
    out = segs.join("/");
  } else if (kind === "dropped_dir") {
    if (segs.length < 3) return null;
    segs.splice(Math.floor(rnd() * last), 1);
    out = segs.join("/");
  }
  return out !== null && out !== path && !index.exists(out) ? out : null;
}

function typoOf(word: string, rnd: () => number): string {
  const i = 1 + Math.floor(rnd() * (word.length - 2));
  const letter = "abcdefghijklmnopqrstuvwxyz"[Math.floor(rnd() * 26)]!;
  switch (Math.floor(rnd() * 4)) {
    case 0:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + letter + word.slice(i);
    default:
      return word.slice(0, i) + letter + word.slice(i + 1);
  }
}

/**
 * Distance between two paths in steps: inserting or deleting a whole directory level costs 1,
 * changing a segment costs its character edit distance (case counts). Capped at 3.
 */
function pathSteps(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + editDistance(a[i - 1]!, b[j - 1]!, 2);
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, sub));
    }
    prev = row;
  }
  return Math.min(3, prev[b.length]!);
}

/** True when some other real file is at least as close to `wrong` as `real` is. */
export function ambiguous(wrong: string, real: string, files: readonly string[]): boolean {
  const w = wrong.split("/");
  const own = pathSteps(w, real.split("/"));
  const depth = w.length;
  const base = w[depth - 1] ?? "";
  return files.some((f) => {
    if (f === real) return false;
    // Cheap bounds before the alignment: depth differs by at most `own`; at the same depth every
    // step is a character edit, so the lengths differ by at most `own` too.
    let slashes = 0;
    for (let i = f.indexOf("/"); i !== -1; i = f.indexOf("/", i + 1)) slashes++;
    const fDepth = slashes + 1;
    if (Math.abs(fDepth - depth) > own) return false;
    if (fDepth === depth && Math.abs(f.length - wrong.length) > own) return false;
    // The file name itself changes by at most `own` characters (or is another level's name).
    const fBase = f.slice(f.lastIndexOf("/") + 1);
    if (fDepth === depth && editDistance(fBase, base, own) > own) return false;
    return pathSteps(w, f.split("/")) <= own;
  });
}

/** An invented file in a real directory, with no real file of that name anywhere. */
export function fabricate(path: string, index: WorkspaceIndex, rnd: () => number): string | null {
  const slash = path.lastIndexOf("/");
  if (slash < 0) return null;
  const base = path.slice(slash + 1);
  const ext = base.includes(".") ? base.slice(base.lastIndexOf(".")) : ".ts";
  const [a, b] = [pick(WORDS, rnd), pick(WORDS, rnd)];
  const name = base.includes("_")
    ? `${a}_${b}`
    : base.includes("-")
    ? `${a}-${b}`
    : `${a}${b[0]!.toUpperCase()}${b.slice(1)}`;
  const invented = `${path.slice(0, slash)}/${name}${ext}`;
  return index.byBaseName(`${name}${ext}`).length === 0 && !index.exists(invented)
    ? invented
    : null;
}

/** An invented source file under invented directories that exist nowhere in the tree. */
function inventTree(index: WorkspaceIndex, rnd: () => number): string | null {
  const [a, b, c] = [pick(WORDS, rnd), pick(WORDS, rnd), pick(WORDS, rnd)];
  const ext = pick(["ts", "js", "py", "go", "rs", "tsx"], rnd);
  const path = `${a}s/${b}/${c}_${pick(WORDS, rnd)}.${ext}`;
  return index.exists(`${a}s`) ? null : path;
}

function buildCases(index: WorkspaceIndex, rnd: () => number): PathCase[] {
  const files = index.files().filter((f) => !/[\s*?{}$~@%+()[\]]/.test(f) && f.includes("/"));
  const cases: PathCase[] = [];
  const kinds: Kind[] = [
    "real",
    "absolute",
    "case",
    "typo",
    "typo2",
    "extension",
    "dropped_dir",
    "fabricated",
    "invented_dir",
    "new_file",
    "grounded",
    "url",
  ];
  for (const kind of kinds) {
    let made = 0;
    for (let attempt = 0; attempt < CASES_PER_KIND * 20 && made < CASES_PER_KIND; attempt++) {
      const real = pick(files, rnd);
      const wrong = kind === "real"
        ? real
        : kind === "absolute"
        ? `${index.roots[0]}/${real}`
        : kind === "fabricated"
        ? fabricate(real, index, rnd)
        : kind === "invented_dir" || kind === "new_file"
        ? inventTree(index, rnd)
        : kind === "grounded"
        ? fabricate(real, index, rnd)
        : kind === "url"
        ? perturb(real, "typo", index, rnd)
        : perturb(real, kind, index, rnd);
      if (wrong === null) continue;
      if (FIXABLE.has(kind) && ambiguous(wrong, real, index.files())) continue;
      if (HARD_NEGATIVE.has(kind)) {
        cases.push(hardNegative(kind, wrong, rnd));
        made++;
        continue;
      }
      const template = pick(TEMPLATES, rnd);
      const text = template.replaceAll("{}", wrong);
      const fixed = FIXABLE.has(kind) ? template.replaceAll("{}", real) : text;
      cases.push({ kind, text, expected: fixed });
      made++;
    }
  }
  return cases;
}

function hardNegative(kind: Kind, wrong: string, rnd: () => number): PathCase {
  const text = kind === "new_file"
    ? pick(CREATE_TEMPLATES, rnd).replaceAll("{}", wrong)
    : kind === "url"
    ? `The upstream version is at https://github.com/acme/project/blob/main/${wrong}#L10.`
    : pick(TEMPLATES, rnd).replaceAll("{}", wrong);
  const shown = kind === "grounded" ? `Please review ${wrong} — it is in my branch.` : undefined;
  return shown === undefined
    ? { kind, text, expected: text }
    : { kind, text, expected: text, shown };
}

/** Run one case whole and streamed; both must agree for a fix to count. */
function runCase(c: PathCase, base: Partial<DetectContext>, rnd: () => number) {
  const whole = runWhole(c.text, [pathDetector], base);
  const streamed = runStream(c.text, [pathDetector], base, randomCuts(c.text.length, 6, rnd));
  // Flag-only detections come out annotated (`[hotpatch: …]`, the shipped default): the path
  // itself must be left as written.
  const plain = (t: string) => t.replace(/ \[hotpatch: [^\]\n]*\]/g, "");
  const exact = plain(whole.content) === c.expected && plain(streamed.content) === c.expected;
  const negative = NEGATIVE.has(c.kind) || HARD_NEGATIVE.has(c.kind);
  const wrong = negative ? whole.detections.length > 0 : !exact;
  if (VERBOSE && (wrong || whole.detections.length === 0 && !negative)) {
    console.error(
      c.kind,
      JSON.stringify(c.text.slice(0, 300)),
      whole.detections.map((d) => `${d.type} ${d.found} -> ${d.replacement}`),
    );
  }
  return { flagged: whole.detections.length > 0, exact };
}

/**
 * Path-detector rows: per tree (`repoRoot` and the package trees found on this machine), fixable
 * perturbations (with real-path negatives) and invented files; then the false-positive rate on
 * `clean_outputs.jsonl` with each tree as the workspace.
 * @example
 * const rows = await evaluatePaths("data", ".");
 */
export async function evaluatePaths(datasetsDir: string, repoRoot: string): Promise<EvalRow[]> {
  const rows: EvalRow[] = [];
  for (const tree of candidateTrees(repoRoot)) {
    const index = await buildWorkspaceIndex([tree]);
    const label = tree === repoRoot ? "this repo" : tree.split("/").slice(-2).join("/");
    const fix = emptyRow(`invalid_path (perturbed ${label}, ${index.files().length} files)`);
    const fab = emptyRow(`fabricated_path (invented files/dirs, ${label})`);
    const hard = emptyRow(`invalid_path (hard negatives: new files, grounded, URLs; ${label})`);
    const rnd = seeded(20261126);
    for (const c of buildCases(index, rnd)) {
      const grounded = groundedPaths({ messages: [{ role: "user", content: c.shown ?? "" }] });
      const r = runCase(c, { workspace: index, grounded }, rnd);
      const target = HARD_NEGATIVE.has(c.kind)
        ? hard
        : FIXABLE.has(c.kind) || NEGATIVE.has(c.kind)
        ? fix
        : fab;
      target.cases++;
      if (NEGATIVE.has(c.kind) || HARD_NEGATIVE.has(c.kind)) {
        if (r.flagged) target.fp++;
        else target.tn++;
        continue;
      }
      if (r.flagged) target.tp++;
      else target.fn++;
      target.fixTotal++;
      if (r.exact) target.fixExact++;
    }
    rows.push(fix, fab, hard);
    index.close();
  }
  for (const tree of candidateTrees(repoRoot)) {
    const label = tree === repoRoot ? "this repo" : tree.split("/").slice(-2).join("/");
    rows.push(await cleanRow(datasetsDir, tree, label));
  }
  return rows;
}

/** Every flag on a clean real answer counts as a false positive. */
async function cleanRow(datasetsDir: string, tree: string, label: string): Promise<EvalRow> {
  const index = await buildWorkspaceIndex([tree]);
  const clean = emptyRow(`invalid_path (clean_outputs.jsonl, workspace: ${label})`);
  const text = await Deno.readTextFile(join(datasetsDir, "clean_outputs.jsonl"));
  const rnd = seeded(7);
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const answer = (JSON.parse(line) as { text: string }).text;
    const r = runCase({ kind: "real", text: answer, expected: answer }, { workspace: index }, rnd);
    clean.cases++;
    if (r.flagged || !r.exact) clean.fp++;
    else clean.tn++;
  }
  index.close();
  return clean;
}

if (import.meta.main) {
  const rows = await evaluatePaths(Deno.args[0] ?? "data", Deno.args[1] ?? ".");
  console.table(rows);
}
