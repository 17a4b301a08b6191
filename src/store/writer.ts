/**
 * The write queue behind `record` and `countRequest`: callers only push to memory; a timer writes
 * the batch in one transaction (corrections, counters, hit counts, path learning) and appends it
 * to the correction log. Nothing here ever throws into a stream.
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { getLogger } from "@logtape/logtape";
import type { CorrectionLog } from "./corrections_log.ts";
import { type ObservePath, pathLearner } from "./navigation.ts";
import { transaction } from "./sqlite.ts";
import type { CorrectionEntry } from "./types.ts";

const logger = getLogger(["hotpatch", "store"]);

/** Detection types whose replacement is a path (learned as navigation fixes). */
const PATH_TYPES = new Set(["invalid_path"]);
/** Actions that count as a correction in the statistics. */
const CORRECTED = new Set(["corrected", "moved", "converted", "ended"]);
/** Entries kept in memory at most while the database cannot be written. */
const MAX_QUEUE = 50_000;

/** Queues records and request counts; writes them in batches. */
export class WriteQueue {
  #db: DatabaseSync;
  #log: CorrectionLog | null;
  #delayMs: number;
  #onRulesChanged: () => void;
  #entries: CorrectionEntry[] = [];
  #requests = 0;
  #patches = new Map<number, number>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #observe: ObservePath;
  #failures = 0;
  #dropped = 0;
  #keep: number;

  constructor(
    db: DatabaseSync,
    log: CorrectionLog | null,
    options: { delayMs: number; keep: number; onRulesChanged: () => void },
  ) {
    this.#db = db;
    this.#log = log;
    this.#delayMs = options.delayMs;
    this.#keep = options.keep;
    this.#onRulesChanged = options.onRulesChanged;
    this.#observe = pathLearner(db);
  }

  /** Correction records queued and not yet written. */
  get depth(): number {
    return this.#entries.length;
  }

  /** Queues one detection. */
  record(entry: CorrectionEntry): void {
    if (this.#entries.length >= MAX_QUEUE) {
      if (this.#dropped++ === 0) logger.error("Correction queue full: dropping new records");
      return;
    }
    this.#entries.push({ ...entry });
    this.#schedule();
  }

  /** Queues one request and the behavior patches applied to it. */
  countRequest(patches: readonly number[]): void {
    this.#requests++;
    for (const id of patches) this.#patches.set(id, (this.#patches.get(id) ?? 0) + 1);
    this.#schedule();
  }

  /** Writes everything queued now. Failures are logged and the batch retried on the next flush. */
  flush(): void {
    this.#clearTimer();
    const entries = this.#entries;
    if (entries.length === 0 && this.#requests === 0 && this.#patches.size === 0) return;
    let learned = false;
    try {
      learned = transaction(this.#db, () => this.#write(entries));
    } catch (error) {
      this.#failures++;
      logger.warn("Cannot write {count} corrections: {error}", { count: entries.length, error });
      if (this.#failures < 3) this.#schedule();
      else this.#drop(entries.length);
      return;
    }
    this.#failures = 0;
    this.#dropped = 0;
    this.#entries = [];
    this.#requests = 0;
    this.#patches.clear();
    if (learned) this.#onRulesChanged();
    try {
      this.#log?.append(entries);
    } catch (error) {
      logger.warn("Cannot append to the correction log: {error}", { error });
    }
  }

  /** Flushes and stops the timer. */
  close(): void {
    this.flush();
    this.#clearTimer();
  }

  /** Gives up on a batch that failed repeatedly (keeps the process healthy). */
  #drop(count: number): void {
    logger.error("Dropped {count} corrections after repeated write failures", { count });
    this.#entries = [];
    this.#requests = 0;
    this.#patches.clear();
    this.#failures = 0;
  }

  /** One transaction's work; true when a navigation fix was learned. */
  #write(entries: readonly CorrectionEntry[]): boolean {
    const db = this.#db;
    const insert = db.prepare(
      `INSERT INTO corrections (request_id, time, model, protocol, channel, type, found,
         replacement, confidence, action, pattern_id, reason, rule, context_before, context_after)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM correction_patterns WHERE id = ?),
         ?, ?, ?, ?)`,
    );
    const patternHit = db.prepare(
      "UPDATE correction_patterns SET hit_count = hit_count + 1 WHERE id = ?",
    );
    const patchCount = db.prepare(
      "UPDATE behavior_patches SET success_count = success_count + ? WHERE id = ?",
    );
    const counters = new Map<string, number>();
    const add = (name: string, n: number) => counters.set(name, (counters.get(name) ?? 0) + n);
    let learned = false;
    for (const e of entries) {
      const pid = e.patternId ?? null;
      insert.run(
        e.requestId,
        e.time,
        e.model,
        e.protocol,
        e.channel,
        e.type,
        e.found,
        e.replacement,
        e.confidence,
        e.action,
        pid,
        e.reason ?? "",
        e.rule ?? e.type,
        e.contextBefore ?? "",
        e.contextAfter ?? "",
      );
      if (pid !== null && pid > 0) patternHit.run(pid);
      if (pid !== null && pid < 0) patchCount.run(1, -pid);
      add("detected", 1);
      add(`type:${e.type}`, 1);
      if (CORRECTED.has(e.action)) add("corrected", 1);
      if (PATH_TYPES.has(e.type) && e.replacement && e.replacement !== e.found) {
        const seen = this.#observe(e.found, e.replacement, e.action === "corrected", e.time);
        learned ||= seen.learned;
        if (seen.applied) add("navigation_fixes_applied", 1);
      }
    }
    if (this.#requests > 0) add("requests", this.#requests);
    for (const [id, n] of this.#patches) patchCount.run(n, id);
    const bump = db.prepare(
      `INSERT INTO counters (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`,
    );
    for (const [name, n] of counters) bump.run(name, n);
    // Retention: the newest `keep` corrections stay (the counters keep lifetime totals).
    db.prepare("DELETE FROM corrections WHERE id <= (SELECT max(id) FROM corrections) - ?")
      .run(this.#keep);
    return learned;
  }

  #schedule(): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => this.flush(), this.#delayMs);
  }

  #clearTimer(): void {
    if (this.#timer === null) return;
    clearTimeout(this.#timer);
    this.#timer = null;
  }
}
