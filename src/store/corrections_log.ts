/**
 * `corrections.log`: one JSON line per detection, appended in batches, rotated by size
 * (`corrections.log` → `.1` → `.2` …, the oldest dropped).
 * @module
 */
import { join } from "node:path";
import type { CorrectionRecord } from "../types.ts";

/** Rotation settings. */
export interface LogOptions {
  /** Rotate before the file would grow past this many bytes (default 10 MiB). */
  maxBytes?: number;
  /** Rotated files kept next to the live one (default 5). */
  keep?: number;
}

/** The log file name inside the log directory. */
export const LOG_FILE = "corrections.log";

/**
 * One log line (no newline): timestamp, request id, model, type, confidence, found, replacement,
 * action, plus protocol, channel, reason, rule and the text around the finding.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const line = formatLogLine({ requestId: "r1", time: 0, model: "m", protocol: "ollama",
 *   channel: "content", type: "template_leak", found: "<|im_end|>", replacement: "", confidence: 1,
 *   action: "corrected" });
 * assert.ok(line.startsWith('{"timestamp":"1970-01-01T00:00:00.000Z","requestId":"r1",'));
 * ```
 */
export function formatLogLine(r: CorrectionRecord): string {
  return JSON.stringify({
    timestamp: new Date(r.time).toISOString(),
    requestId: r.requestId,
    model: r.model,
    type: r.type,
    confidence: r.confidence,
    found: r.found,
    replacement: r.replacement,
    action: r.action,
    protocol: r.protocol,
    channel: r.channel,
    reason: r.reason ?? "",
    rule: r.rule ?? r.type,
    contextBefore: r.contextBefore ?? "",
    contextAfter: r.contextAfter ?? "",
  });
}

/** Appends batches of records to `<dir>/corrections.log`, rotating by size. Synchronous. */
export class CorrectionLog {
  readonly path: string;
  #dir: string;
  #maxBytes: number;
  #keep: number;
  #size: number | null = null;
  #encoder = new TextEncoder();

  constructor(dir: string, options: LogOptions = {}) {
    this.#dir = dir;
    this.path = join(dir, LOG_FILE);
    this.#maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.#keep = Math.max(1, options.keep ?? 5);
  }

  /**
   * Appends one line per record, creating the directory when needed — also when it was deleted
   * while hotpatch ran. Throws on other I/O errors.
   */
  append(records: readonly CorrectionRecord[]): void {
    if (records.length === 0) return;
    const bytes = this.#encoder.encode(records.map((r) => formatLogLine(r) + "\n").join(""));
    if (this.#size === null) {
      Deno.mkdirSync(this.#dir, { recursive: true });
      this.#size = fileSize(this.path);
    }
    if (this.#size > 0 && this.#size + bytes.length > this.#maxBytes) this.#rotate();
    try {
      Deno.writeFileSync(this.path, bytes, { append: true, create: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      Deno.mkdirSync(this.#dir, { recursive: true });
      Deno.writeFileSync(this.path, bytes, { append: true, create: true });
      this.#size = 0;
    }
    this.#size += bytes.length;
  }

  /** Shifts `.N-1` → `.N` … `log` → `.1`; the oldest falls off. */
  #rotate(): void {
    for (let i = this.#keep - 1; i >= 1; i--) {
      renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    }
    renameIfExists(this.path, `${this.path}.1`);
    this.#size = 0;
  }
}

/** Size of a file, 0 when it does not exist. */
function fileSize(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
}

/** Renames when `from` exists (replacing `to`). */
function renameIfExists(from: string, to: string): void {
  try {
    Deno.renameSync(from, to);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
