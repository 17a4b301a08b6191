/**
 * The live event feed behind `GET /hotpatch/api/events`: every correction, request start/end and
 * upstream error goes to each subscriber as one Server-Sent Event. A subscriber's queue is
 * bounded: a reader that falls behind loses events (counted, and told with a `dropped` event
 * when it catches up) instead of making the proxy wait or buffer without bound.
 * @module
 */
import type { CorrectionRecord } from "../types.ts";

/** A request hotpatch started forwarding. */
export interface RequestStart {
  requestId: string;
  time: number;
  method: string;
  path: string;
  /** Generation route (`ollama_chat`, `openai_chat`, …) or `other`. */
  route: string;
  protocol: string;
}

/** A request that finished (its body ended, or it failed). */
export interface RequestEnd extends RequestStart {
  model: string;
  status: number;
  /** From arrival to the end of the response body. */
  durationMs: number;
  /** hotpatch's own time before the first byte (as in `server-timing`). */
  overheadMs: number;
  /** Changes made to the answer (records other than `detected`). */
  corrections: number;
}

/** An upstream failure: unreachable, timed out, failed mid-stream, or answered 5xx. */
export interface UpstreamError {
  requestId: string;
  time: number;
  kind: string;
  message: string;
}

/** One feed event. */
export type FeedEvent =
  | { type: "correction"; data: CorrectionRecord }
  | { type: "request_start"; data: RequestStart }
  | { type: "request_end"; data: RequestEnd }
  | { type: "upstream_error"; data: UpstreamError };

/** Limits of the feed. */
export interface BusOptions {
  /** Events queued per subscriber before new ones are dropped (default 1000). */
  queue?: number;
  /** Most subscribers at once (default 64). */
  maxSubscribers?: number;
  /** Interval of the keep-alive comment (default 15 s). */
  keepAliveMs?: number;
}

const encoder = new TextEncoder();

/**
 * One event in SSE form.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   sseText(7, "hello", { version: "0.1.0" }),
 *   'id: 7\nevent: hello\ndata: {"version":"0.1.0"}\n\n',
 * );
 * ```
 */
export function sseText(id: number, type: string, data: unknown): string {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

interface Subscriber {
  ctrl: ReadableStreamDefaultController<Uint8Array>;
  /** Events lost since the last one delivered. */
  lost: number;
  timer: ReturnType<typeof setInterval> | undefined;
}

/**
 * Fan-out of feed events to SSE subscribers.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const bus = new EventBus();
 * const body = bus.subscribe({ version: "0.1.0" })!; // null when the subscriber limit is reached
 * const data = { requestId: "r1", time: 0, kind: "upstream_timeout", message: "" };
 * bus.publish({ type: "upstream_error", data });
 * const reader = body.pipeThrough(new TextDecoderStream()).getReader();
 * assert.match((await reader.read()).value!, /event: hello/);
 * assert.match((await reader.read()).value!, /event: upstream_error/);
 * await reader.cancel();
 * ```
 */
export class EventBus {
  #subs = new Set<Subscriber>();
  #seq = 0;
  #queue: number;
  #max: number;
  #keepAliveMs: number;
  /** Events lost by slow subscribers, ever. */
  dropped = 0;
  /** Events published, ever. */
  published = 0;

  constructor(opts: BusOptions = {}) {
    this.#queue = opts.queue ?? 1000;
    this.#max = opts.maxSubscribers ?? 64;
    this.#keepAliveMs = opts.keepAliveMs ?? 15_000;
  }

  /** Subscribers connected now. */
  get subscribers(): number {
    return this.#subs.size;
  }

  /** Sends `event` to every subscriber with room in its queue; counts the others' losses. */
  publish(event: FeedEvent): void {
    this.published++;
    if (this.#subs.size === 0) return;
    const id = ++this.#seq;
    let bytes: Uint8Array | null = null;
    for (const sub of this.#subs) {
      if ((sub.ctrl.desiredSize ?? 0) <= 0) {
        sub.lost++;
        this.dropped++;
        continue;
      }
      if (sub.lost > 0) {
        sub.ctrl.enqueue(encoder.encode(sseText(id, "dropped", { count: sub.lost })));
        sub.lost = 0;
      }
      bytes ??= encoder.encode(sseText(id, event.type, event.data));
      sub.ctrl.enqueue(bytes);
    }
  }

  /**
   * A new subscriber's body: a `hello` event with `hello`, then every event published; null when
   * the subscriber limit is reached. The stream ends when the client goes away or on `close`.
   */
  subscribe(hello: unknown): ReadableStream<Uint8Array> | null {
    if (this.#subs.size >= this.#max) return null;
    let sub: Subscriber | null = null;
    return new ReadableStream<Uint8Array>({
      start: (ctrl) => {
        const s: Subscriber = { ctrl, lost: 0, timer: undefined };
        sub = s;
        this.#subs.add(s);
        ctrl.enqueue(encoder.encode(`retry: 2000\n${sseText(this.#seq, "hello", hello)}`));
        s.timer = setInterval(() => {
          if ((ctrl.desiredSize ?? 0) > 0) ctrl.enqueue(encoder.encode(": keep-alive\n\n"));
        }, this.#keepAliveMs);
      },
      cancel: () => {
        if (sub === null) return;
        clearInterval(sub.timer);
        this.#subs.delete(sub);
      },
    }, new CountQueuingStrategy({ highWaterMark: this.#queue }));
  }

  /** Ends every subscriber's stream (shutdown). */
  close(): void {
    for (const sub of this.#subs) {
      clearInterval(sub.timer);
      try {
        sub.ctrl.close();
      } catch {
        // already closed
      }
    }
    this.#subs.clear();
  }
}
