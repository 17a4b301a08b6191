/**
 * The import graph of src/ (and main.ts) from a plain scan of the static `import`/`export … from`
 * lines, and the checks the layer test runs on it: layers read from docs/architecture.md, imports
 * that run against them, cycles between folders.
 * @module
 */
import { dirname, join } from "node:path";

/** One static import: the module that imports and the module it names (paths from the root). */
export interface Edge {
  from: string;
  to: string;
}

// A statement at the start of a line (deno fmt puts every import there; JSDoc lines start with
// ` * ` and never match): `import … from "x"`, `export … from "x"` or a bare `import "x"`.
const STATIC_IMPORT =
  /^[ \t]*(?:import|export)\b[^;"'`]*?\bfrom[ \t]*["']([^"']+)["']|^[ \t]*import[ \t]*["']([^"']+)["']/gm;

/**
 * The relative specifiers of the static imports and re-exports in `source`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(relativeImports('import type {\n  A,\n} from "./a.ts";\nimport "hono";'), [
 *   "./a.ts",
 * ]);
 * ```
 */
export function relativeImports(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(STATIC_IMPORT)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith("./") || spec.startsWith("../")) out.push(spec);
  }
  return out;
}

/** The .ts files under `dir` (a path from `root`), recursively. */
export function tsFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(join(root, dir))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...tsFiles(root, path));
    else if (e.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Every static relative import of main.ts and src/, as paths from `root`. */
export function scanImports(root: string): Edge[] {
  const edges: Edge[] = [];
  for (const file of ["main.ts", ...tsFiles(root, "src")]) {
    for (const spec of relativeImports(Deno.readTextFileSync(join(root, file)))) {
      edges.push({ from: file, to: join(dirname(file), spec) });
    }
  }
  return edges;
}

/**
 * The part of the architecture a module belongs to: its folder under src/ (`chain/`), or the
 * file itself for a module directly in src/ (`plan.ts`) or outside it (`main.ts`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(unitOf("src/protocols/framing/sse.ts"), "protocols/");
 * assert.equal(unitOf("src/plan.ts"), "plan.ts");
 * assert.equal(unitOf("main.ts"), "main.ts");
 * ```
 */
export function unitOf(path: string): string {
  const parts = path.split("/");
  if (parts[0] !== "src") return path;
  return parts.length > 2 ? `${parts[1]}/` : parts[1]!;
}

/**
 * The layers of a markdown document: the lines of the first fenced block after the heading
 * `## Layers`, top first; the names on one line are one layer.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const fence = "`".repeat(3);
 * assert.deepEqual(readLayers(`# A\n## Layers\n\n${fence}text\nmain.ts\ncli/ demo/\n${fence}\n`), [
 *   ["main.ts"],
 *   ["cli/", "demo/"],
 * ]);
 * ```
 */
export function readLayers(markdown: string): string[][] {
  const heading = markdown.indexOf("\n## Layers\n");
  if (heading === -1) throw new Error("no '## Layers' heading");
  const open = markdown.indexOf("```", heading);
  const start = markdown.indexOf("\n", open) + 1;
  const end = markdown.indexOf("```", start);
  if (open === -1 || end === -1) throw new Error("no fenced block after '## Layers'");
  return markdown.slice(start, end).split("\n")
    .map((line) => line.trim().split(/\s+/).filter((name) => name !== ""))
    .filter((layer) => layer.length > 0);
}

/**
 * The imports that do not run to a lower layer: upward, between two parts of one layer, or to a
 * module in no layer (`allowed` names files outside the layers any module may read).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const layers = [["src/a.ts"], ["src/b.ts", "src/c.ts"]].map((l) => l.map(unitOf));
 * assert.deepEqual(againstLayers(layers, [{ from: "src/b.ts", to: "src/a.ts" }]), [
 *   "src/b.ts → src/a.ts (b.ts is on layer 2, a.ts on layer 1)",
 * ]);
 * ```
 */
export function againstLayers(
  layers: readonly (readonly string[])[],
  edges: readonly Edge[],
  allowed: readonly string[] = [],
): string[] {
  const rank = new Map<string, number>();
  layers.forEach((layer, i) => layer.forEach((name) => rank.set(name, i + 1)));
  const out: string[] = [];
  for (const { from, to } of edges) {
    const a = unitOf(from);
    const b = unitOf(to);
    if (a === b || allowed.includes(to)) continue;
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra === undefined || rb === undefined) {
      out.push(`${from} → ${to} (${ra === undefined ? a : b} is on no layer)`);
    } else if (rb <= ra) {
      out.push(`${from} → ${to} (${a} is on layer ${ra}, ${b} on layer ${rb})`);
    }
  }
  return out;
}

/**
 * A cycle between the parts of the architecture (`chain/ → plan.ts → chain/`), or null.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const edges = [{ from: "src/a/x.ts", to: "src/b.ts" }, { from: "src/b.ts", to: "src/a/y.ts" }];
 * assert.deepEqual(unitCycle(edges), ["a/", "b.ts", "a/"]);
 * assert.equal(unitCycle(edges.slice(1)), null);
 * ```
 */
export function unitCycle(edges: readonly Edge[]): string[] | null {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = unitOf(from);
    const b = unitOf(to);
    if (a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)!.add(b);
  }
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (unit: string): string[] | null => {
    const at = path.indexOf(unit);
    if (at !== -1) return [...path.slice(at), unit];
    if (done.has(unit)) return null;
    path.push(unit);
    for (const b of next.get(unit) ?? []) {
      const cycle = visit(b);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(unit);
    return null;
  };
  for (const unit of [...next.keys()].sort()) {
    const cycle = visit(unit);
    if (cycle) return cycle;
  }
  return null;
}
