/**
 * The observer: where corrections, request starts/ends and upstream errors go — the live feed,
 * the metrics and the log line per correction.
 * @module
 */
import { getLogger } from "@logtape/logtape";
import type { Store } from "../store/types.ts";
import type { CorrectionRecord } from "../types.ts";
import { EventBus, type RequestEnd, type RequestStart } from "./bus.ts";
import { describeChange } from "./describe.ts";
import { createMetrics, type HotpatchMetrics } from "./metrics.ts";
import { RequestTrace } from "./trace.ts";

const log = getLogger(["hotpatch", "corrections"]);

/** What the observer reads its gauges from. */
export interface ObserverOptions {
  bus?: EventBus;
  /** The rules revision (metrics). */
  rulesRevision?: () => number;
  /** Records waiting for the database (metrics). */
  storeQueueDepth?: () => number;
  /** Milliseconds since the epoch, for event times. */
  clock?: () => number;
  /** Monotonic milliseconds, for durations. */
  now?: () => number;
}

/**
 * Collects what hotpatch does and hands it to the feed, the metrics and the log.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const observer = new Observer();
 * const trace = observer.begin({ requestId: "r1", method: "POST", path: "/api/chat",
 *   route: "ollama_chat", protocol: "ollama" });
 * assert.equal(observer.active, 1);
 * trace.respond(200); // no upstream body open: the request ends here
 * assert.equal(observer.active, 0);
 * ```
 */
export class Observer {
  readonly bus: EventBus;
  readonly metrics: HotpatchMetrics;
  #traces = new Map<string, RequestTrace>();
  #clock: () => number;
  #now: () => number;

  constructor(opts: ObserverOptions = {}) {
    this.bus = opts.bus ?? new EventBus();
    this.#clock = opts.clock ?? Date.now;
    this.#now = opts.now ?? (() => performance.now());
    this.metrics = createMetrics({
      activeStreams: () => this.#traces.size,
      rulesRevision: opts.rulesRevision ?? (() => 0),
      storeQueueDepth: opts.storeQueueDepth ?? (() => 0),
      feedSubscribers: () => this.bus.subscribers,
      feedDropped: () => this.bus.dropped,
    });
  }

  /** Requests in flight. */
  get active(): number {
    return this.#traces.size;
  }

  /** A request starts: its trace (published as `request_start`). */
  begin(info: Omit<RequestStart, "time">): RequestTrace {
    const start: RequestStart = { ...info, time: this.#clock() };
    const trace = new RequestTrace(start, {
      upstreamError: (requestId, kind, message) => this.upstreamError(requestId, kind, message),
      finish: (end, firstChunkMs) => this.#finish(end, firstChunkMs),
    }, this.#now);
    this.#traces.set(start.requestId, trace);
    this.bus.publish({ type: "request_start", data: start });
    return trace;
  }

  /** A correction was recorded: feed, metrics, one log line, the request's count. */
  correction(record: CorrectionRecord): void {
    this.metrics.corrections.inc({ type: record.type, action: record.action });
    if (record.action !== "detected") {
      const trace = this.#traces.get(record.requestId);
      if (trace !== undefined) trace.corrections++;
    }
    this.bus.publish({ type: "correction", data: record });
    log.info(
      `${record.requestId} ${record.type} ${record.action}: ${describeChange(record)}`.replaceAll(
        "{",
        "{{",
      ).replaceAll("}", "}}"),
    );
  }

  /** An upstream failure (`upstream_error` event and counter). */
  upstreamError(requestId: string, kind: string, message: string): void {
    this.metrics.upstreamErrors.inc({ kind });
    this.bus.publish({
      type: "upstream_error",
      data: { requestId, time: this.#clock(), kind, message },
    });
  }

  #finish(end: RequestEnd, firstChunkMs: number | null): void {
    this.#traces.delete(end.requestId);
    const route = { route: end.route };
    this.metrics.requests.inc({ ...route, protocol: end.protocol, status: String(end.status) });
    this.metrics.duration.observe(route, end.durationMs / 1000);
    this.metrics.overhead.observe(route, end.overheadMs / 1000);
    if (firstChunkMs !== null) this.metrics.firstChunk.observe(route, firstChunkMs / 1000);
    this.bus.publish({ type: "request_end", data: end });
  }
}

/**
 * The store as the proxy's correction sink: every record also goes to the observer.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../store/store.ts";
 * const store = openStore(":memory:");
 * const observer = new Observer();
 * const sink = observedStore(store, observer);
 * sink.record({ requestId: "r1", time: 0, model: "m", protocol: "ollama", channel: "content",
 *   type: "template_leak", found: "<|im_end|>", replacement: "", confidence: 1, action: "ended" });
 * assert.match(observer.metrics.expose(), /hotpatch_corrections_total\{[^}]*\} 1/);
 * assert.equal(store.list({ requestId: "r1" }).length, 1);
 * store.close();
 * ```
 */
export function observedStore(store: Store, observer: Observer): Store {
  return {
    ...store,
    record(entry) {
      store.record(entry);
      observer.correction(entry);
    },
  };
}
