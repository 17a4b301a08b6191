/**
 * hotpatch's metrics (`GET /hotpatch/metrics`), each documented in the README.
 * @module
 */
import { Counter, exposition, Gauge, Histogram } from "./prometheus.ts";

/** Values read when the metrics are exposed. */
export interface MetricSources {
  activeStreams(): number;
  rulesRevision(): number;
  storeQueueDepth(): number;
  feedSubscribers(): number;
  feedDropped(): number;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const OVERHEAD = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5];

/** The metrics hotpatch keeps. */
export interface HotpatchMetrics {
  requests: Counter;
  duration: Histogram;
  overhead: Histogram;
  firstChunk: Histogram;
  corrections: Counter;
  upstreamErrors: Counter;
  /** The whole registry in the text exposition format. */
  expose(): string;
}

/**
 * A fresh set of metrics reading live values from `sources`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const zero = () => 0;
 * const m = createMetrics({
 *   activeStreams: zero,
 *   rulesRevision: zero,
 *   storeQueueDepth: zero,
 *   feedSubscribers: zero,
 *   feedDropped: zero,
 * });
 * m.corrections.inc({ type: "template_leak", action: "ended" });
 * assert.match(
 *   m.expose(),
 *   /^hotpatch_corrections_total\{type="template_leak",action="ended"\} 1$/m,
 * );
 * ```
 */
export function createMetrics(sources: MetricSources): HotpatchMetrics {
  const route = ["route"];
  const m = {
    requests: new Counter(
      "hotpatch_requests_total",
      "Proxied requests, by generation route (or other), protocol and response status.",
      ["route", "protocol", "status"],
    ),
    duration: new Histogram(
      "hotpatch_request_duration_seconds",
      "Time from a request's arrival to the end of its response body.",
      route,
      SECONDS,
    ),
    overhead: new Histogram(
      "hotpatch_overhead_seconds",
      "hotpatch's own time before the first byte: time to the response headers minus the time spent waiting for the upstream.",
      route,
      OVERHEAD,
    ),
    firstChunk: new Histogram(
      "hotpatch_first_chunk_seconds",
      "Time from a request's arrival to the upstream's first body chunk.",
      route,
      SECONDS,
    ),
    corrections: new Counter(
      "hotpatch_corrections_total",
      "Detections recorded, by detection type and action (corrected, moved, converted, ended, annotated, detected).",
      ["type", "action"],
    ),
    upstreamErrors: new Counter(
      "hotpatch_upstream_errors_total",
      "Upstream failures by kind: upstream_unreachable, upstream_timeout, upstream_idle, upstream_stream, upstream_status.",
      ["kind"],
    ),
  };
  const memory = (key: "rss" | "heapUsed") => () => Deno.memoryUsage()[key];
  const gauges = [
    new Gauge(
      "hotpatch_active_streams",
      "Proxied requests in flight (a stream counts until its body ends).",
      sources.activeStreams,
    ),
    new Gauge(
      "hotpatch_rules_revision",
      "Revision of the rules in the database; grows with every rule change.",
      sources.rulesRevision,
    ),
    new Gauge(
      "hotpatch_store_queue_depth",
      "Correction records waiting for the next batched database write.",
      sources.storeQueueDepth,
    ),
    new Gauge(
      "hotpatch_feed_subscribers",
      "Clients connected to the live event feed.",
      sources.feedSubscribers,
    ),
    new Gauge(
      "hotpatch_feed_dropped_events_total",
      "Feed events dropped because a subscriber read too slowly.",
      sources.feedDropped,
      "counter",
    ),
    new Gauge(
      "hotpatch_process_resident_memory_bytes",
      "Resident memory of the process.",
      memory("rss"),
    ),
    new Gauge("hotpatch_process_heap_used_bytes", "JavaScript heap in use.", memory("heapUsed")),
  ];
  const all = [m.requests, m.duration, m.overhead, m.firstChunk, m.corrections, m.upstreamErrors];
  return { ...m, expose: () => exposition([...all, ...gauges]) };
}
