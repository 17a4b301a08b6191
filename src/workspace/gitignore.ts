/**
 * A small `.gitignore` matcher: globs (`*`, `?`, `[a-z]`), `**`, leading `/` (anchored), trailing
 * `/` (directories only), `!` negation, `#` comments and `\` escapes. Last matching rule wins.
 * @module
 */

/** One compiled `.gitignore` line. */
export interface IgnoreRule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

/**
 * Compile the text of a `.gitignore` file into rules, in file order.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const rules = parseGitignore("dist/\n*.log\n!keep.log\n");
 * assert.equal(matchIgnore(rules, "a/debug.log", false), true);
 * assert.equal(matchIgnore(rules, "keep.log", false), false);
 * ```
 */
export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.replace(/(?<!\\)\s+$/, "");
    if (line === "" || line.startsWith("#")) continue;
    let negate = false;
    if (line.startsWith("!")) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
      line = line.slice(1);
    }
    let dirOnly = false;
    if (line.endsWith("/")) {
      dirOnly = true;
      line = line.replace(/\/+$/, "");
    }
    if (line === "") continue;
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    const body = globToRegex(line);
    const regex = new RegExp(`^${anchored ? "" : "(?:.*/)?"}${body}$`);
    rules.push({ regex, negate, dirOnly });
  }
  return rules;
}

/**
 * Decide a path (relative to the `.gitignore`'s directory, `/`-separated) against the rules:
 * true = ignored, false = explicitly re-included, undefined = no rule matches.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(matchIgnore(parseGitignore("/build\n"), "build", true), true);
 * assert.equal(matchIgnore(parseGitignore("/build\n"), "src/build", true), undefined);
 * ```
 */
export function matchIgnore(
  rules: readonly IgnoreRule[],
  relPath: string,
  isDir: boolean,
): boolean | undefined {
  for (let k = rules.length - 1; k >= 0; k--) {
    const rule = rules[k];
    if (!rule || (rule.dirOnly && !isDir)) continue;
    if (rule.regex.test(relPath)) return !rule.negate;
  }
  return undefined;
}

/** Translate one glob (no leading `/`, no trailing `/`) to a regular expression body. */
function globToRegex(glob: string): string {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const c = glob[i] ?? "";
    if (c === "*" && glob[i + 1] === "*") {
      const atStart = i === 0 || glob[i - 1] === "/";
      const slashAfter = glob[i + 2] === "/";
      if (atStart && slashAfter) {
        out += "(?:.*/)?";
        i += 3;
      } else if (atStart && i + 2 === glob.length) {
        out += ".*";
        i += 2;
      } else {
        out += "[^/]*";
        i += 2;
      }
    } else if (c === "*") {
      out += "[^/]*";
      i++;
    } else if (c === "?") {
      out += "[^/]";
      i++;
    } else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) {
        out += "\\[";
        i++;
        continue;
      }
      let cls = glob.slice(i + 1, close).replace(/\\/g, "\\\\");
      if (cls.startsWith("!")) cls = "^" + cls.slice(1);
      out += `[${cls}]`;
      i = close + 1;
    } else if (c === "\\" && i + 1 < glob.length) {
      out += escapeChar(glob[i + 1] ?? "");
      i += 2;
    } else {
      out += escapeChar(c);
      i++;
    }
  }
  return out;
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
