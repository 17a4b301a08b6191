/**
 * `hotpatch log [--follow]`: the correction log, from `<log-dir>/corrections.log` when a log
 * directory is given, else from the database's corrections table. `--follow` then prints new
 * corrections from the running proxy's live feed (`--url`), or from the table when no proxy
 * answers there.
 * @module
 */
import { join } from "node:path";
import { formatLogLine, LOG_FILE } from "../store/corrections_log.ts";
import type { CorrectionRecord } from "../types.ts";
import { describeChange } from "../observe/describe.ts";
import { openFeed } from "./feed.ts";
import type { CommandIo } from "../command/io.ts";
import { openFromFlags } from "./args.ts";
import {
  type CommandSpec,
  dbFlag,
  type Flags,
  intFlag,
  parseFlags,
  UsageError,
} from "../command/flags.ts";

const flags = {
  follow: { type: "boolean", short: "f", help: "keep printing new corrections as they come" },
  lines: { type: "string", short: "n", arg: "N", help: "print the last N (default 20)" },
  "log-dir": {
    type: "string",
    arg: "DIR",
    help: "read DIR/corrections.log (default: $HOTPATCH_LOG_DIR, else the database)",
  },
  url: {
    type: "string",
    arg: "URL",
    help: "--follow reads the live feed of the proxy at URL (default: $HOTPATCH_URL, else " +
      "http://127.0.0.1:$HOTPATCH_PORT or :11435); the database when none answers",
  },
  "admin-token": {
    type: "string",
    arg: "TOKEN",
    help: "the proxy's --admin-token, for the feed (default: $HOTPATCH_ADMIN_TOKEN)",
  },
  json: { type: "boolean", help: "print the corrections.log lines (every field, ISO 8601 times)" },
  ...dbFlag,
} as const satisfies Flags;

/** `--help` of log. */
export const logSpec: CommandSpec = {
  name: "log",
  summary: "the last corrections (from <log-dir>/corrections.log, else the database)",
  usage: "[--follow] [--lines N] [--json] [--log-dir DIR] [--url URL]",
  flags,
  example: "hotpatch log -n 50 --follow",
};

/** How often `--follow` looks for new entries (ms). */
const POLL_MS = 250;

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** The columns of a text line, in order: ISO 8601 time, action, type, model, request, change, why. */
const columns: ((r: CorrectionRecord) => string)[] = [
  (r) => new Date(r.time).toISOString() + " ",
  (r) => r.action.padEnd(9),
  (r) => r.type.padEnd(18),
  (r) => r.model + " ",
  (r) => r.requestId + " ",
  (r) => describeChange(r) + (r.reason ? ` — ${r.reason}` : ""),
];

/** A record as one readable line (the default) or its JSON log line with every field (`--json`). */
function show(r: CorrectionRecord, asJson: boolean): string {
  if (asJson) return formatLogLine(r) + "\n";
  return columns.map((c) => c(r)).join(" ") + "\n";
}

/**
 * Prints corrections from the proxy's live feed until `io.signal` aborts; false when the feed
 * cannot be reached.
 */
async function followFeed(url: string, token: string | null, asJson: boolean, io: CommandIo) {
  let feed;
  try {
    feed = await openFeed(url, token, io.signal);
  } catch {
    return false;
  }
  try {
    for await (const event of feed) {
      if (event.type === "correction") io.stdout(show(event.data as CorrectionRecord, asJson));
    }
  } catch (error) {
    if (!io.signal?.aborted) throw error;
  }
  return true;
}

/**
 * The last `n` items (none for 0).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(lastN([1, 2, 3], 2), [2, 3]);
 * ```
 */
export function lastN<T>(items: readonly T[], n: number): T[] {
  return n <= 0 ? [] : items.slice(Math.max(0, items.length - n));
}

/**
 * One `corrections.log` line as printed: as is with `--json`, else as the same text line as a
 * database record (a line that is not a log entry is printed as is).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const line = JSON.stringify({ timestamp: "2026-01-01T00:00:00.000Z", requestId: "r1",
 *   type: "template_leak", action: "ended", found: "<|im_end|>", replacement: "" });
 * assert.match(showLogLine(line, false), /^2026-01-01T00:00:00\.000Z {2}ended /);
 * assert.equal(showLogLine(line, true), line + "\n");
 * ```
 */
export function showLogLine(line: string, asJson: boolean): string {
  if (asJson) return line + "\n";
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return line + "\n";
  }
  const fields = entry as Record<string, unknown>;
  const time = typeof fields.timestamp === "string" ? Date.parse(fields.timestamp) : NaN;
  if (Number.isNaN(time) || typeof fields.type !== "string") return line + "\n";
  return show({ ...fields, time } as unknown as CorrectionRecord, false);
}

/** Prints the last `lines` lines of the log file, then (following) what is appended. */
async function fromFile(
  path: string,
  lines: number,
  follow: boolean,
  asJson: boolean,
  io: CommandIo,
) {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    text = "";
  }
  const all = text.split("\n").filter((l) => l !== "");
  for (const line of lastN(all, lines)) io.stdout(showLogLine(line, asJson));
  let offset = new TextEncoder().encode(text).length;
  let partial = "";
  while (follow && !io.signal?.aborted) {
    await sleep(POLL_MS, io.signal);
    let size = 0;
    try {
      size = (await Deno.stat(path)).size;
    } catch {
      continue;
    }
    if (size < offset) offset = 0; // rotated
    if (size === offset) continue;
    using file = await Deno.open(path);
    await file.seek(offset, Deno.SeekMode.Start);
    const chunk = new Uint8Array(size - offset);
    let read = 0;
    while (read < chunk.length) {
      const n = await file.read(chunk.subarray(read));
      if (n === null) break;
      read += n;
    }
    offset += read;
    const parts = (partial + new TextDecoder().decode(chunk.subarray(0, read))).split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) if (line !== "") io.stdout(showLogLine(line, asJson));
  }
}

/** True when `path` is an existing directory. */
async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Runs `hotpatch log`; returns the exit status.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/corrections.log`, "");
 * const io = { stdout: () => {}, stderr: () => {}, env: {} };
 * assert.equal(await runLogCommand(["--lines", "50", "--log-dir", dir], io), 0);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export async function runLogCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseFlags(args, flags, 0);
  const lines = intFlag("--lines", values.lines ?? "20", 0, 10_000);
  const logDir = values["log-dir"] ?? io.env.HOTPATCH_LOG_DIR;
  if (logDir !== undefined) {
    // Like a --db that does not exist: a mistyped directory must not look like an empty log.
    if (!(await isDirectory(logDir))) {
      throw new UsageError(`Invalid --log-dir "${logDir}": no such directory`);
    }
    await fromFile(join(logDir, LOG_FILE), lines, values.follow ?? false, values.json === true, io);
    return 0;
  }
  const store = openFromFlags(values.db, io.env, { create: false });
  try {
    const asJson = values.json === true;
    const newest = store.since(null, 1).at(-1)?.id ?? 0;
    for (const { record } of lastN(store.since(null, lines), lines)) {
      io.stdout(show(record, asJson));
    }
    let last = newest;
    if (values.follow) {
      const url = values.url ?? io.env.HOTPATCH_URL ??
        `http://127.0.0.1:${io.env.HOTPATCH_PORT ?? "11435"}`;
      const token = values["admin-token"] ?? io.env.HOTPATCH_ADMIN_TOKEN ?? null;
      if (await followFeed(url, token, asJson, io)) return 0;
      io.stderr(`No hotpatch feed at ${url}: following the database instead\n`);
    }
    while (values.follow && !io.signal?.aborted) {
      await sleep(POLL_MS, io.signal);
      for (const { id, record } of store.since(last, 1000)) {
        io.stdout(show(record, asJson));
        last = id;
      }
    }
    return 0;
  } finally {
    store.close();
  }
}
