/**
 * The `--help` texts: the overview, and one per command (usage, flags, an example).
 * @module
 */
import { commands, serveSpec } from "./commands.ts";
import { type CommandSpec, flagHelp } from "../command/flags.ts";

const helpFlags = {
  help: { type: "boolean", short: "h", help: "show this help" },
  version: { type: "boolean", short: "V", help: "print the version" },
} as const;

/** Shown by `hotpatch --help`. */
export const HELP = `hotpatch — hallucination hot-patching proxy for local LLM servers

Usage: hotpatch [COMMAND] [flags]      (no command: serve)

Commands:
${commands.map((c) => `  ${c.name.padEnd(19)} ${c.summary}`).join("\n")}

serve flags (each also reads HOTPATCH_<NAME>, e.g. HOTPATCH_UPSTREAM):
${flagHelp(serveSpec.flags)}

Flags may come anywhere on the line (hotpatch --db x.db patterns list).
hotpatch COMMAND --help shows a command's flags and an example.
Per request, the header "x-hotpatch-mode: off|detect|correct" overrides --mode.
Dashboard, admin API, live feed and metrics live under http://HOST:PORT/hotpatch/
(GET /hotpatch/api lists the routes).`;

/**
 * One command's help: what it does, its usage line, its flags and an example.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveSpec } from "./commands.ts";
 * assert.equal(commandHelp(serveSpec).startsWith("hotpatch serve"), true);
 * ```
 */
export function commandHelp(spec: CommandSpec): string {
  return `hotpatch ${spec.name} — ${spec.summary}

Usage: hotpatch ${spec.name} ${spec.usage}

Flags:
${flagHelp({ ...spec.flags, ...helpFlags })}

Example:
  ${spec.example}`;
}

/** What each command group manages, for its help's first line. */
const GROUP_SUMMARY: Record<string, string> = {
  patterns: "correction patterns: your own text (or regex) → replacement rules, per model",
  fixes: "navigation fixes: a wrong path models write → the real path (also learned)",
  behaviors: "behavior patches: request changes and detector settings, per model",
};

/**
 * The help of a command group (`hotpatch patterns --help`): what it manages and its actions.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(groupHelp("fixes").includes("fixes add"), true);
 * ```
 */
export function groupHelp(group: string): string {
  const actions = commands.filter((c) => c.name.startsWith(`${group} `));
  return `hotpatch ${group} — ${GROUP_SUMMARY[group] ?? "manage rules"}

Usage: hotpatch ${group} ACTION [flags]

${actions.map((c) => `  ${c.name.padEnd(19)} ${c.summary}`).join("\n")}

hotpatch ${group} ACTION --help shows an action's flags and an example.`;
}
