/**
 * `hotpatch check [--workspace DIR] [--json] [--model NAME] [--db PATH] [--exit-zero]`: run the
 * text detectors over model output read from stdin and print the detections and the corrected
 * text. Exits 1 when something was detected (so it can gate CI), unless `--exit-zero`. For trying
 * patterns and for bug reports. Patterns and navigation fixes come from the rules database
 * (`--db`, else `HOTPATCH_DB`, else the default database when it exists).
 * @module
 */
import type { CompiledPattern, Detection } from "../detection.ts";
import type { WorkspaceIndex } from "../workspace/types.ts";
import {
  actionFor,
  applyDetections,
  defaultDetectors,
  detectContext,
  runDetectors,
} from "../detect/mod.ts";
import { defaultSettings } from "../rules/detector_settings.ts";
import { buildWorkspaceIndex, type LiveWorkspaceIndex } from "../workspace/index.ts";
import { existsSync } from "node:fs";
import { defaultDbPath } from "../store/db_path.ts";
import { openFromFlags } from "./args.ts";
import { patternsFor } from "../store/rule_snapshot.ts";
import { quoteShort } from "../observe/describe.ts";
import { type CommandSpec, dbFlag, type Flags, parseFlags, UsageError } from "../command/flags.ts";

/** Where `check` reads and writes. `env` locates the default rules database. */
export interface CheckIo {
  stdin: ReadableStream<Uint8Array>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env?: Record<string, string | undefined>;
}

const flags = {
  workspace: {
    type: "string",
    arg: "DIR",
    help: "check paths against this directory (default: none, paths are not checked)",
  },
  model: { type: "string", arg: "NAME", help: "model name the rules are chosen for" },
  "exit-zero": { type: "boolean", help: "exit 0 even when something was detected" },
  json: { type: "boolean", help: "print JSON: the detections, the corrected text, the thinking" },
  ...dbFlag,
} as const satisfies Flags;

/** `--help` of check. */
export const checkSpec: CommandSpec = {
  name: "check",
  summary: "run the detectors over model output on stdin (exit 1 when something is detected)",
  usage: "[--workspace DIR] [--model NAME] [--json] [--exit-zero] < output.txt",
  flags,
  example: "printf 'Done.<|im_end|>junk' | hotpatch check --json",
};

interface Rules {
  patterns: CompiledPattern[];
  navigationFixes: Map<string, string>;
}

/**
 * Patterns and navigation fixes from the database (`--db`, else `HOTPATCH_DB`, else the default
 * one), or none when the default database does not exist. A named one that does not exist is
 * refused like the read commands refuse it.
 */
function loadRules(db: string | undefined, model: string, io: CheckIo): Rules {
  const none: Rules = { patterns: [], navigationFixes: new Map() };
  const env = io.env ?? {};
  if (db === undefined && !env.HOTPATCH_DB) {
    try {
      if (!existsSync(defaultDbPath(env, Deno.build.os))) return none;
    } catch {
      return none; // no home directory: no default database
    }
  }
  const store = openFromFlags(db, env, { create: false });
  try {
    const rules = store.rules();
    return { patterns: patternsFor(rules, model), navigationFixes: rules.navigationFixes };
  } finally {
    store.close();
  }
}

async function openWorkspace(dir: string): Promise<LiveWorkspaceIndex> {
  try {
    if (!Deno.statSync(dir).isDirectory) throw new Error("not a directory");
    return await buildWorkspaceIndex([dir]);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such directory" : (e as Error).message;
    throw new UsageError(`Cannot use workspace "${dir}": ${why}`);
  }
}

/** One human-readable line per detection. */
function describe(d: Detection, action: string): string {
  // The same words and quoting as `hotpatch log` and the proxy's log line (describe.ts).
  const found = quoteShort(d.found, 80);
  const fix = d.effect === "end"
    ? "→ answer ended here"
    : d.effect === "to_thinking"
    ? "→ moved to the reasoning channel"
    : d.effect === "tool_call"
    ? `→ a real tool call ${d.toolCall?.name ?? ""}`
    : d.replacement === null
    ? "(no fix)"
    : `→ ${quoteShort(d.replacement, 80)}`;
  return `${d.type} [${d.start}, ${d.end}) ${found} ${fix} (confidence ${
    d.confidence.toFixed(2)
  }, ${action}): ${d.reason}`;
}

/**
 * Run `hotpatch check`: exit 0 after printing (1 when something was detected, unless
 * `--exit-zero`), 2 on bad flags (one line on stderr).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const stdin = ReadableStream.from([new TextEncoder().encode("Done.<|im_end|>junk")]);
 * let out = "";
 * const io = { stdin, stdout: (s: string) => out += s, stderr: () => {}, env: {} };
 * assert.equal(await runCheck(["--json"], io), 1); // something was detected
 * assert.equal(JSON.parse(out).corrected, "Done.");
 * ```
 */
export async function runCheck(args: string[], io: CheckIo): Promise<number> {
  let workspace: LiveWorkspaceIndex | null = null;
  try {
    const { values } = parseFlags(args, flags, 0);
    const model = values.model ?? "";
    const rules = loadRules(values.db, model, io);
    if (values.workspace !== undefined) workspace = await openWorkspace(values.workspace);
    const text = await new Response(io.stdin).text();
    const { out, detected } = report(text, model, workspace, rules, values.json === true);
    io.stdout(out);
    return detected && !values["exit-zero"] ? 1 : 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`hotpatch check: ${e.message}\n`);
    return 2;
  } finally {
    workspace?.close();
  }
}

/** The printed report (JSON, or detection lines then the corrected text); whether any. */
function report(
  text: string,
  model: string,
  workspace: WorkspaceIndex | null,
  rules: Rules,
  json: boolean,
): { out: string; detected: boolean } {
  const ctx = detectContext({ model, workspace, ...rules });
  const detections = runDetectors(text, defaultDetectors(), ctx);
  const actions = detections.map((d) => actionFor(d, defaultSettings));
  const applied = detections.filter((_, i) => actions[i] === "correct");
  const corrected = applyDetections(text, applied);
  const thinking = applied.map((d) => d.moved ?? "").join("");
  if (json) {
    const list = detections.map((d, i) => ({ ...d, action: actions[i] }));
    const out = JSON.stringify({ detections: list, corrected, thinking }, null, 2) + "\n";
    return { out, detected: detections.length > 0 };
  }
  const lines = detections.map((d, i) => describe(d, actions[i] ?? "detect"));
  const head = lines.length === 0
    ? "No detections."
    : `${lines.length} detection(s):\n${lines.join("\n")}`;
  const think = thinking === "" ? "" : `\n--- moved to the reasoning channel ---\n${thinking}\n`;
  const end = corrected.endsWith("\n") ? "" : "\n";
  const out = `${head}\n${think}\n--- corrected text ---\n${corrected}${end}`;
  return { out, detected: detections.length > 0 };
}
