/**
 * The path rows over the team's own wordings (`data/own/`): new-file answers (hard negatives),
 * paths in link text, shell commands in code blocks, absolute paths and Windows separators
 * (each template with a real path = negative, a perturbed one = positive with the fix), and shell
 * tool arguments. Every row is reported for the tuning half and the held-out half separately.
 * @module
 */
import { join } from "node:path";
import { fixPathArguments, pathDetector } from "../../src/detect/invalid_path.ts";
import { detectContext } from "../../src/detect/context.ts";
import { groundedPaths } from "../../src/workspace/grounded.ts";
import type { DetectContext } from "../../src/detection.ts";
import { buildWorkspaceIndex } from "../../src/workspace/index.ts";
import type { WorkspaceIndex } from "../../src/workspace/types.ts";
import { ambiguous, candidateTrees, fabricate, type Kind, perturb, pick } from "./paths.ts";
import { randomCuts, runStream, runWhole, seeded } from "./chain.ts";
import { emptyRow, type EvalRow } from "./types.ts";

type Half =
  | "tune"
  | "held"
  | "fresh"
  | "fresh2"
  | "fresh3"
  | "fresh4"
  | "fresh5"
  | "fresh6"
  | "fresh7"
  | "fresh8";

interface Template {
  id: string;
  half: Half;
  kind?: string;
  template?: string;
  /** A user message of the request (filled like the template): its paths are grounded. */
  user?: string;
  tool?: string;
  arguments?: unknown;
}

const VERBOSE = Deno.env.get("HOTPATCH_EVAL_VERBOSE") === "1";
const FIXES: Kind[] = ["case", "typo", "extension", "dropped_dir"];

async function readTemplates(path: string): Promise<Template[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Template);
}

/**
 * Fill a template: `{path}` relative, `{abs}` absolute, `{win}` with backslashes, `{dir}` and
 * `{base}` its directory and file name, `{real}` another (real) path.
 */
function fill(template: string, rel: string, root: string, real = ""): string {
  const slash = rel.lastIndexOf("/");
  return template.replaceAll("{abs}", `${root}/${rel}`).replaceAll(
    "{win}",
    rel.replaceAll("/", "\\"),
  )
    .replaceAll("{dir}", rel.slice(0, Math.max(slash, 0)))
    .replaceAll("{base}", rel.slice(slash + 1))
    .replaceAll("{real}", real)
    .replaceAll("{path}", rel);
}

/** Whole and streamed through the path detector; the output both ways. */
function run(text: string, base: Partial<DetectContext>, rnd: () => number) {
  const whole = runWhole(text, [pathDetector], base);
  const streamed = runStream(text, [pathDetector], base, randomCuts(text.length, 8, rnd));
  return { whole, streamed };
}

/** A real path and a fixable wrong form of it (null when none could be made). */
function pair(index: WorkspaceIndex, files: string[], rnd: () => number) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const real = pick(files, rnd);
    const kind = pick(FIXES, rnd);
    const wrong = perturb(real, kind, index, rnd);
    if (wrong !== null && !ambiguous(wrong, real, index.files())) return { real, wrong };
  }
  return null;
}

/** A new file: an invented name in a real directory, or a sibling named after a real file. */
function newPath(index: WorkspaceIndex, files: string[], rnd: () => number): string {
  for (;;) {
    const real = pick(files, rnd);
    if (rnd() < 0.5) {
      const made = fabricate(real, index, rnd);
      if (made !== null) return made;
      continue;
    }
    const dot = real.lastIndexOf(".");
    if (dot <= real.lastIndexOf("/")) continue;
    const suffix = pick(["_v2", "2", "_extra", "_new", ".spec", "s", "_util"], rnd);
    const sibling = real.slice(0, dot) + suffix + real.slice(dot);
    if (!index.exists(sibling)) return sibling;
  }
}

function rowsFor(name: string) {
  return {
    tune: emptyRow(`${name} · tune`),
    held: emptyRow(`${name} · held-out`),
    fresh: emptyRow(`${name} · fresh (written after tuning)`),
    fresh2: emptyRow(`${name} · fresh2 (written after fresh)`),
    fresh3: emptyRow(`${name} · fresh3 (written after fresh2)`),
    fresh4: emptyRow(`${name} · fresh4 (written after fresh3)`),
    fresh5: emptyRow(`${name} · fresh5 (written after fresh4)`),
    fresh6: emptyRow(`${name} · fresh6 (written after fresh5)`),
    fresh7: emptyRow(`${name} · fresh7 (written after fresh6)`),
    fresh8: emptyRow(`${name} · fresh8 (written last, never tuned on)`),
  };
}

/** The rows of a set that has cases (a file without fresh rows adds no fresh row). */
const used = (rows: ReturnType<typeof rowsFor>) => Object.values(rows).filter((r) => r.cases > 0);

/**
 * Own-wording rows for one workspace tree.
 * @example
 * const rows = await evaluateOwnPaths("data", ".");
 */
export async function evaluateOwnPaths(datasetsDir: string, repoRoot: string): Promise<EvalRow[]> {
  const own = join(datasetsDir, "own");
  const newFiles = await readTemplates(join(own, "paths_new_file.jsonl"));
  const places = await readTemplates(join(own, "paths_places.jsonl"));
  const shellArgs = await readTemplates(join(own, "shell_args.jsonl"));
  const fresh = [
    ...await readTemplates(join(own, "paths_fresh.jsonl")),
    ...await readTemplates(join(own, "paths_fresh2.jsonl")),
    ...await readTemplates(join(own, "paths_fresh3.jsonl")),
    ...await readTemplates(join(own, "paths_fresh4.jsonl")),
    ...await readTemplates(join(own, "paths_fresh5.jsonl")),
    ...await readTemplates(join(own, "paths_fresh6.jsonl")),
    ...await readTemplates(join(own, "paths_fresh7.jsonl")),
    ...await readTemplates(join(own, "paths_fresh8.jsonl")),
  ];
  const negatives = fresh.filter((t) => t.kind === "negative");
  newFiles.push(...fresh.filter((t) => t.kind === "new_file"));
  places.push(...fresh.filter((t) => t.kind === "mention"));
  const out: EvalRow[] = [];
  for (const tree of candidateTrees(repoRoot)) {
    const index = await buildWorkspaceIndex([tree]);
    const label = tree === repoRoot ? "this repo" : tree.split("/").slice(-2).join("/");
    const root = index.roots[0] ?? tree;
    const files = index.files().filter((f) => !/[\s*?{}$~@%+()[\]]/.test(f) && f.includes("/"));
    const rnd = seeded(20261204);
    const base = { workspace: index };
    const nf = rowsFor(`invalid_path · own new-file wordings (${label})`);
    for (const t of newFiles) {
      for (let k = 0; k < 6; k++) {
        const text = fill(t.template ?? "", newPath(index, files, rnd), root, pick(files, rnd));
        const { whole, streamed } = run(text, base, rnd);
        const row = nf[t.half];
        row.cases++;
        const changed = whole.detections.length > 0 || streamed.content !== text;
        if (changed) row.fp++;
        else row.tn++;
        if (VERBOSE && changed) {
          console.error("new_file FP", t.id, JSON.stringify(text.slice(0, 160)));
        }
      }
    }
    out.push(...used(nf));
    const byKind = new Map<string, ReturnType<typeof rowsFor>>();
    for (const t of places) {
      const kind = t.kind ?? "";
      const rows = byKind.get(kind) ?? rowsFor(`invalid_path · own ${kind} (${label})`);
      byKind.set(kind, rows);
      for (let k = 0; k < 4; k++) {
        const p = pair(index, files, rnd);
        if (p === null) continue;
        const row = rows[t.half];
        const good = fill(t.template ?? "", p.real, root);
        const neg = run(good, base, rnd);
        row.cases++;
        if (neg.whole.detections.length > 0 || neg.streamed.content !== good) {
          row.fp++;
          if (VERBOSE) console.error(kind, "FP", t.id, JSON.stringify(good.slice(0, 160)));
        } else row.tn++;
        const bad = fill(t.template ?? "", p.wrong, root);
        const pos = run(bad, base, rnd);
        row.cases++;
        row.fixTotal++;
        if (pos.whole.detections.length > 0) row.tp++;
        else row.fn++;
        const exact = pos.whole.content === good && pos.streamed.content === good;
        if (exact) row.fixExact++;
        else if (VERBOSE) {
          console.error(
            kind,
            "miss",
            t.id,
            JSON.stringify(bad.slice(0, 160)),
            "->",
            JSON.stringify(pos.whole.content.slice(0, 160)),
          );
        }
      }
    }
    for (const rows of byKind.values()) out.push(...used(rows));
    out.push(...hardNegatives(negatives, index, files, root, rnd, label));
    const sa = rowsFor(`invalid_path · own shell tool arguments (${label})`);
    for (const t of shellArgs) {
      for (let k = 0; k < 4; k++) {
        const p = pair(index, files, rnd);
        if (p === null) continue;
        const row = sa[t.half];
        const argsOf = (path: string) =>
          JSON.parse(fill(JSON.stringify(t.arguments), path, root)) as Record<string, unknown>;
        const ctx = detectContext(base);
        const neg = fixPathArguments(argsOf(p.real), t.tool ?? "shell", ctx);
        row.cases++;
        if (neg.detections.length > 0) row.fp++;
        else row.tn++;
        const pos = fixPathArguments(argsOf(p.wrong), t.tool ?? "shell", ctx);
        row.cases++;
        row.fixTotal++;
        if (pos.detections.length > 0) row.tp++;
        else row.fn++;
        const exact = JSON.stringify(pos.args) === JSON.stringify(argsOf(p.real));
        if (exact) row.fixExact++;
        else if (VERBOSE) {
          console.error(
            "shell args miss",
            t.id,
            JSON.stringify(argsOf(p.wrong)),
            "->",
            JSON.stringify(pos.args),
          );
        }
      }
    }
    out.push(...used(sa));
    index.close();
  }
  return out;
}

/**
 * Hard negatives of other kinds (URLs, package and import specifiers, globs, real paths, paths
 * quoted from the user's message): `{path}` is a wrong form of a real path, `{real}` a real one;
 * nothing may change.
 */
function hardNegatives(
  templates: readonly Template[],
  index: WorkspaceIndex,
  files: string[],
  root: string,
  rnd: () => number,
  label: string,
): EvalRow[] {
  const rows = rowsFor(`invalid_path · own hard negatives (${label})`);
  for (const t of templates) {
    for (let k = 0; k < 4; k++) {
      const p = pair(index, files, rnd);
      if (p === null) continue;
      const text = fill(t.template ?? "", p.wrong, root, p.real);
      const user = t.user === undefined
        ? []
        : [{ role: "user", content: fill(t.user, p.wrong, root) }];
      const base = { workspace: index, grounded: groundedPaths({ messages: user }) };
      const { whole, streamed } = run(text, base, rnd);
      const row = rows[t.half];
      row.cases++;
      if (whole.detections.length > 0 || streamed.content !== text) {
        row.fp++;
        if (VERBOSE) console.error("negative FP", t.id, JSON.stringify(text.slice(0, 160)));
      } else row.tn++;
    }
  }
  return used(rows);
}

if (import.meta.main) {
  for (const r of await evaluateOwnPaths(Deno.args[0] ?? "data", Deno.args[1] ?? ".")) {
    console.log(JSON.stringify(r));
  }
}
