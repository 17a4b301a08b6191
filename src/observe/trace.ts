/**
 * One proxied request as the observer sees it: start, model, upstream wait, first chunk, status,
 * end. The trace of the request being handled is reachable through `currentTrace()` (an
 * AsyncLocalStorage set by the observe middleware), so the proxy reports to it without having
 * it passed through every call.
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestEnd, RequestStart } from "./bus.ts";

const storage = new AsyncLocalStorage<RequestTrace>();

/**
 * The trace of the request being handled, if any (undefined outside the proxy's requests).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(currentTrace(), undefined); // outside a proxied request
 * ```
 */
export function currentTrace(): RequestTrace | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` with `trace` as the current trace.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const sink = { upstreamError: () => {}, finish: () => {} };
 * const start = { requestId: "r1", time: 0, method: "POST", path: "/", route: "x", protocol: "x" };
 * const trace = new RequestTrace(start, sink, Date.now);
 * await withTrace(trace, async () => {
 *   await Promise.resolve();
 *   currentTrace()?.setModel("qwen3");
 * });
 * assert.equal(trace.model, "qwen3");
 * ```
 */
export function withTrace<T>(trace: RequestTrace, fn: () => T): T {
  return storage.run(trace, fn);
}

/** Where a trace reports. */
export interface TraceSink {
  upstreamError(requestId: string, kind: string, message: string): void;
  finish(end: RequestEnd, firstChunkMs: number | null): void;
}

/**
 * The observed life of one request. It ends when both the response went out (`respond`) and,
 * when an upstream body was opened (`openBody`), that body ended (`bodyEnded`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const ended: number[] = [];
 * const sink = {
 *   upstreamError: () => {},
 *   finish: (end: { status: number }) => ended.push(end.status),
 * };
 * const start = { requestId: "r1", time: 0, method: "POST", path: "/", route: "x", protocol: "x" };
 * const t = new RequestTrace(start, sink, Date.now);
 * t.openBody();
 * t.respond(200);
 * assert.deepEqual(ended, []); // the body is still being relayed
 * t.bodyEnded();
 * assert.deepEqual(ended, [200]);
 * ```
 */
export class RequestTrace {
  readonly start: RequestStart;
  model = "";
  /** True once the proxy read the request as a generation to inspect (mode not `off`). */
  inspected = false;
  /** Changes made to the answer so far. */
  corrections = 0;
  #sink: TraceSink;
  #now: () => number;
  #t0: number;
  #waited = 0;
  #firstChunk: number | null = null;
  #status: number | null = null;
  #overhead = 0;
  #bodyOpen = false;
  #done = false;

  constructor(start: RequestStart, sink: TraceSink, now: () => number) {
    this.start = start;
    this.#sink = sink;
    this.#now = now;
    this.#t0 = now();
  }

  /** The proxy inspects this generation request; `model` is the model it named. */
  setModel(model: string): void {
    this.model = model;
    this.inspected = true;
  }

  /** Adds time spent waiting for the upstream (fetch, body reads). */
  waited(ms: number): void {
    this.#waited += ms;
  }

  /** The upstream's first body chunk arrived. */
  firstChunk(): void {
    this.#firstChunk ??= this.#now() - this.#t0;
  }

  /** The upstream failed (`kind`: upstream_unreachable, upstream_timeout, upstream_idle, …). */
  upstreamError(kind: string, message: string): void {
    this.#sink.upstreamError(this.start.requestId, kind, message);
  }

  /** An upstream body is being relayed: the trace ends when it ends. */
  openBody(): void {
    this.#bodyOpen = true;
  }

  /** The relayed upstream body ended (done, failed or cancelled). */
  bodyEnded(): void {
    this.#bodyOpen = false;
    if (this.#status !== null) this.#finish();
  }

  /** The response headers go out now; returns hotpatch's own time so far in ms. */
  respond(status: number): number {
    this.#status = status;
    this.#overhead = Math.max(0, this.#now() - this.#t0 - this.#waited);
    if (!this.#bodyOpen) this.#finish();
    return this.#overhead;
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#sink.finish({
      ...this.start,
      model: this.model,
      status: this.#status ?? 0,
      durationMs: round(this.#now() - this.#t0),
      overheadMs: round(this.#overhead),
      corrections: this.corrections,
    }, this.#firstChunk);
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
