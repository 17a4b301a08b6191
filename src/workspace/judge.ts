/**
 * The verdict on one normalized path token against the workspace: fine, wrong with a clear fix, or
 * made up. Context-free (text around the token is the detector's business).
 * @module
 */
import { isGrounded } from "./grounded.ts";
import { nearestBaseName, nearestPath } from "./nearest.ts";
import { extensionOf } from "./tokens.ts";
import type { WorkspaceIndex } from "./types.ts";
import { isInside } from "./walk.ts";

/** What the detector needs from its context. */
export interface JudgeContext {
  workspace: WorkspaceIndex | null;
  grounded: ReadonlySet<string>;
  navigationFixes: ReadonlyMap<string, string>;
}

/** How to read the path. */
export interface JudgeOptions {
  /** Written `./x/y` (an import relative to some file): a real path ending in `x/y` is fine. */
  dotRelative?: boolean;
  /** A tool argument: relative to a root even without a `/`, and always about the workspace. */
  rooted?: boolean;
}

/** The outcome for one path. */
export type PathVerdict =
  | { kind: "ok" }
  | { kind: "fix"; replacement: string; confidence: number; reason: string }
  | { kind: "fabricated"; confidence: number; reason: string; anchored: boolean };

const OK: PathVerdict = { kind: "ok" };

/** Extensions an import specifier may leave out. */
const IMPLIED = ["ts", "tsx", "js", "jsx", "mjs", "mts", "py", "d.ts"];

/** What a file extension looks like (`ts`, `1` of `npm.1`; `agent/1.0` is no file name). */
const FILE_EXT = /^([a-z][a-z0-9]{0,9}|\d)$/i;

/** Source and config files: a missing `dir/x.py` is a claim even when `dir/` exists nowhere. */
const CODE_EXTENSIONS = new Set(
  ("ts tsx js jsx mjs cjs mts cts py rs go java kt rb php c h cc cpp hpp cs swift scala vue svelte " +
    "dart lua json yaml yml toml")
    .split(" "),
);

/** Framework names that look like file names in prose. */
const PROSE_NAMES =
  /^(node|vue|next|nuxt|express|react|d3|three|chart|angular|ember|backbone|deno|bun|solid|svelte|alpine|moment|day|anime|pixi|babylon|leaflet|phaser|paper|fabric|video|ext|knockout|meteor|nest|gatsby|remix|redux|immutable|handlebars|mustache|underscore|lodash|require|preact|mithril|riot|marko|feathers|sails|hapi|koa|fastify|adonis|strapi|socket|p5|tensorflow|brain|ml5|plotly|highcharts|sigma|cytoscape|vis|matter|cannon|tone|howler|hammer|popper|tippy|swiper|glide|quill|slate|draft|prism|highlight|marked|showdown|mermaid|katex|math|big|decimal|bignumber|crypto|zod|yup|joi|ajv|luxon|date-fns|dayjs|ramda|rx|most|xstate|mobx|zustand|jotai|recoil|valtio|apollo|relay|urql|axios|got|ky|superagent|cheerio|puppeteer|playwright|cypress|jest|mocha|chai|sinon|vitest|ava|tape|jasmine|karma|protractor|nightwatch|webdriver|selenium)\.js$/i;

/** Example file names (`test/foo.js`, `src/a.ts`, `path/to/file.ts`, `my-app.js`). */
const PLACEHOLDER =
  /^(foo|bar|baz|qux|quux|example|sample|(my|your|some)([-_][\w-]+|(file|app|module|component|project|script|package|lib|service|class|test)s?)|xxx|yyy|[a-z])(\.[a-z0-9]+)?$/i;

/** Framework names and placeholders: never judged. */
function isExcluded(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (PLACEHOLDER.test(base) || path.includes("path/to/")) return true;
  if (base.endsWith(".js") && base.length === path.length && PROSE_NAMES.test(base)) return true;
  return false;
}

/** Dependencies and VCS internals are never indexed; do not judge paths into them. */
const UNINDEXED = /(^|\/)(node_modules|\.git)(\/|$)/;

/**
 * Judge a normalized path token (see `extractPathTokens`) against the workspace. Paths are
 * relative to a root; a bare file name in text is a mention (fine when the name exists anywhere)
 * unless `opts.rooted`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Snapshot } from "./snapshot.ts";
 * const files = [["src/App.tsx"]];
 * const workspace = new Snapshot(["/w"], {
 *   files,
 *   dirs: [["src"]],
 *   opaque: [[]],
 *   truncated: false,
 * });
 * const verdict = judgePath("src/App.TSX", {
 *   workspace,
 *   grounded: new Set(),
 *   navigationFixes: new Map(),
 * });
 * assert.equal(verdict.kind, "fix");
 * ```
 */
export function judgePath(path: string, ctx: JudgeContext, opts: JudgeOptions = {}): PathVerdict {
  const index = ctx.workspace;
  if (index === null || isExcluded(path)) return OK;
  if (isGrounded(ctx.grounded, path)) return OK;
  const learned = ctx.navigationFixes.get(path);
  if (learned !== undefined && learned !== path && !index.exists(path)) {
    return { kind: "fix", replacement: learned, confidence: 0.9, reason: "stored navigation fix" };
  }
  if (path.startsWith("../")) return OK; // relative to a file we do not know
  const diffSide = /^[ab]\//.exec(path)?.[0];
  if (diffSide !== undefined && !index.exists(diffSide)) {
    // `a/src/x.ts` / `b/src/x.ts` in a diff header: judge the path after the side marker.
    const inner = judgePath(path.slice(2), ctx, { ...opts, rooted: true });
    return inner.kind === "fix" ? { ...inner, replacement: diffSide + inner.replacement } : inner;
  }
  let root = "";
  let rel = path;
  if (path.startsWith("/")) {
    const inside = index.roots.find((r) => isInside(r, path));
    if (inside === undefined) return OK; // system paths and anything outside the workspace
    root = inside.endsWith("/") ? inside : inside + "/";
    rel = path.slice(root.length);
    if (rel === "") return OK;
  }
  if (index.exists(rel) || UNINDEXED.test(rel)) return OK;
  const slash = rel.lastIndexOf("/");
  const base = rel.slice(slash + 1);
  const ext = extensionOf(base);
  const head = slash < 0 ? rel : rel.slice(0, rel.indexOf("/"));
  if (
    ext === "" && !opts.rooted && !opts.dotRelative && root === "" && !index.exists(head) &&
    index.byBaseName(base).length === 0
  ) {
    // "before/after", "react-dom/client": not about the workspace unless only the case is off
    // (extension-less files such as LICENSE or Makefile go on to the full check).
    const cased = index.byLowerPath(rel.toLowerCase());
    return cased.length === 1 && cased[0] !== undefined
      ? { kind: "fix", replacement: cased[0], confidence: 0.9, reason: `"${rel}" differs in case` }
      : OK;
  }
  if (resolvesAsModule(index, rel)) return OK;
  if (!rel.includes("/") && !opts.rooted) {
    if (index.byBaseName(rel).length > 0) return OK;
    const near = nearestBaseName(index, rel);
    return near === null ? OK : {
      kind: "fix",
      replacement: near.path,
      confidence: near.confidence,
      reason: `no file "${rel}" in the workspace; "${near.path}" differs by ${near.kind}`,
    };
  }
  if (opts.dotRelative && endsLikeExisting(index, rel)) return OK;
  const near = nearestPath(index, rel);
  if (near !== null) {
    return {
      kind: "fix",
      replacement: root + near.path,
      confidence: near.confidence,
      reason: `"${rel}" does not exist; "${near.path}" is the one path close to it (${near.kind})`,
    };
  }
  // Without a fix, a claim about the workspace is: an absolute path inside a root, a tool
  // argument, a file name under a real top-level directory, or a source file under directories
  // that exist nowhere (anchored: false). "scripts/notebooks", "out/data.csv", "agent/1.0" are not.
  const named = FILE_EXT.test(ext) && /[A-Za-z]/.test(base.slice(0, -ext.length));
  const anchored = root !== "" || opts.rooted === true || (named && index.exists(head));
  if (anchored || CODE_EXTENSIONS.has(ext)) {
    return {
      kind: "fabricated",
      confidence: anchored ? 0.7 : 0.6,
      reason: `"${rel}" does not exist in the workspace and no real path is close to it`,
      anchored,
    };
  }
  return OK;
}

/** An extension-less import specifier that names a module file or a package directory index. */
function resolvesAsModule(index: WorkspaceIndex, rel: string): boolean {
  if (extensionOf(rel.slice(rel.lastIndexOf("/") + 1)) !== "") return false;
  return IMPLIED.some((ext) =>
    index.exists(`${rel}.${ext}`) || index.exists(`${rel}/index.${ext}`)
  );
}

/** True when `rel` is a real path's tail (`detect/paths.ts` of `src/detect/paths.ts`). */
function endsLikeExisting(index: WorkspaceIndex, rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf("/") + 1);
  return index.byBaseName(base).some((real) => real.endsWith("/" + rel));
}
