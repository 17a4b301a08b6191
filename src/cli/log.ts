/**
 * `hotpatch log [--follow]`: the correction log, from `<log-dir>/corrections.log` when a log
 * directory is given, else from the database's corrections table. `--follow` then prints new
 * corrections from the running proxy's live feed (`--url`), or from the table when no proxy
 * answers there.
 * @module
 */
import { join } from "node:path";
import { formatLogLine, LOG_FILE } from "../store/log.ts";
import type { CorrectionRecord } from "../types.ts";
import { describeChange } from "../observe/describe.ts";
import { openFeed } from "./feed.ts";
import { type AdminIo, commonOptions, numberFlag, openFromFlags, parseFlags } from "./args.ts";

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

/** A record as one readable line (the default) or its JSON log line with every field (`--json`). */
function show(r: CorrectionRecord, asJson: boolean): string {
  if (asJson) return formatLogLine(r) + "\n";
  const time = new Date(r.time).toISOString();
  const why = r.reason ? `  — ${r.reason}` : "";
  return `${time}  ${r.action.padEnd(9)} ${r.type.padEnd(18)} ${r.model}  ${r.requestId}  ${
    describeChange(r)
  }${why}\n`;
}

/**
 * Prints corrections from the proxy's live feed until `io.signal` aborts; false when the feed
 * cannot be reached.
 */
async function followFeed(url: string, token: string | null, asJson: boolean, io: AdminIo) {
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

/** Prints the last `lines` lines of the log file, then (following) what is appended. */
async function fromFile(path: string, lines: number, follow: boolean, io: AdminIo) {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    text = "";
  }
  const all = text.split("\n").filter((l) => l !== "");
  for (const line of all.slice(-lines)) io.stdout(line + "\n");
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
    for (const line of parts) if (line !== "") io.stdout(line + "\n");
  }
}

/**
 * Runs `hotpatch log`; returns the exit status.
 * @example
 * await runLogCommand(["--lines", "50"], io);
 */
export async function runLogCommand(args: string[], io: AdminIo): Promise<number> {
  const { values } = parseFlags(args, {
    ...commonOptions,
    follow: { type: "boolean", short: "f" },
    "log-dir": { type: "string" },
    lines: { type: "string", short: "n" },
    json: { type: "boolean" },
    url: { type: "string" },
    "admin-token": { type: "string" },
  }, 0);
  const lines = numberFlag(values.lines ?? "20", "--lines", 0, 10_000);
  const logDir = values["log-dir"] ?? io.env.HOTPATCH_LOG_DIR;
  if (logDir !== undefined) {
    await fromFile(join(logDir, LOG_FILE), lines, values.follow ?? false, io);
    return 0;
  }
  const store = openFromFlags(values.db, io.env);
  try {
    const asJson = values.json ?? false;
    const recent = store.since(null, Math.max(1, lines));
    for (const { record } of recent.slice(recent.length - lines)) io.stdout(show(record, asJson));
    let last = recent.at(-1)?.id ?? 0;
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
