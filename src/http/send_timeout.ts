/**
 * The client-send timeout: a response whose client stops taking bytes (a full socket for longer
 * than `--send-timeout`) is ended, which cancels its source — the upstream request is aborted and
 * the connection slot freed — instead of holding both while the client sleeps. One sweep timer
 * per app checks every waiting stream, so a chunk costs a clock read, not a timer.
 *
 * A body that marks its own hand-offs (the proxy's chain, through the `sendTrack` context
 * variable) is watched as it is; any other streamed body is wrapped in one more stream.
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { getLogger } from "@logtape/logtape";
import { isStreamType } from "../protocols/errors.ts";

const log = getLogger(["hotpatch", "proxy"]);

/** A guarded stream: since when its last chunk waits to be taken (null: not waiting). */
interface Waiting {
  since: number | null;
  expire: () => void;
}

/**
 * What a body that enforces the send timeout itself reports: a chunk was handed to the client
 * (`handed`), the client asked for more (`taken`), the body ended (`done`).
 */
export interface SendTrack {
  handed(): void;
  taken(): void;
  done(): void;
}

/** Starts watching a body that reports its hand-offs; `end` ends it when the client stalls. */
export type SendTracker = (end: (reason: Error) => void) => SendTrack;

/** The set of guarded streams of one app and the sweep that ends the stalled ones. */
export class SendWatch {
  #streams = new Set<Waiting>();
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #ms: number;

  /** Streams stalled for more than `ms` are ended. */
  constructor(ms: number) {
    this.#ms = ms;
  }

  /**
   * Watches a body that reports its own hand-offs: `end` is called once when a chunk it handed
   * out waits longer than the timeout, then the body must end and cancel its source.
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * const ended: string[] = [];
   * const watch = new SendWatch(60_000);
   * const track = watch.track((why) => ended.push(why.message));
   * track.handed(); // after each enqueue
   * track.taken(); // when the client pulls again
   * track.done(); // the body ended: no longer watched
   * assert.deepEqual(ended, []);
   * ```
   */
  track(end: (reason: Error) => void): SendTrack {
    const entry: Waiting & SendTrack = {
      since: null,
      expire: () => {
        this.#drop(entry);
        end(new Error(`Client took no data for ${this.#ms} ms (--send-timeout)`));
      },
      handed: () => {
        entry.since = Date.now();
      },
      taken: () => {
        entry.since = null;
      },
      done: () => this.#drop(entry),
    };
    this.#add(entry);
    return entry;
  }

  /**
   * `body` as a stream that ends, and cancels `body`, when a chunk it handed out is not taken
   * by the reader within the timeout.
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * const upstream = new Response("hi");
   * const guarded = new SendWatch(60_000).guard(upstream.body!, () => {});
   * assert.equal(await new Response(guarded).text(), "hi");
   * ```
   */
  guard(body: ReadableStream<Uint8Array>, onTimeout: () => void): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    const ms = this.#ms;
    let controller: ReadableStreamDefaultController<Uint8Array>;
    let cancelled = false;
    const entry: Waiting = {
      since: null,
      expire: () => {
        this.#drop(entry);
        onTimeout();
        // Ended, not errored: the client gets no more data either way, and an errored body
        // makes Deno print a stack trace for what is an expected event (logged by onTimeout).
        cancelled = true;
        controller.close();
        reader.cancel(new Error(`Client took no data for ${ms} ms (--send-timeout)`))
          .catch(() => {});
      },
    };
    this.#add(entry);
    return new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      pull: async (c) => {
        entry.since = null;
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (e) {
          this.#drop(entry);
          c.error(e);
          return;
        }
        if (cancelled) return; // ended meanwhile (send timeout or client gone)
        if (next.done) {
          this.#drop(entry);
          c.close();
          return;
        }
        c.enqueue(next.value);
        entry.since = Date.now();
      },
      cancel: (reason) => {
        cancelled = true;
        this.#drop(entry);
        return reader.cancel(reason);
      },
    }, { highWaterMark: 0 });
  }

  #add(entry: Waiting): void {
    this.#streams.add(entry);
    if (this.#timer !== undefined) return;
    const timer = setInterval(() => this.#sweep(), Math.max(10, Math.min(1000, this.#ms / 4)));
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #drop(entry: Waiting): void {
    this.#streams.delete(entry);
    if (this.#streams.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #sweep(): void {
    const now = Date.now();
    for (const s of this.#streams) if (s.since !== null && now - s.since > this.#ms) s.expire();
  }
}

/** The context variable the middleware offers to the handler. */
export interface SendVariables {
  /** Watches a streamed body that reports its own hand-offs (it is then not wrapped). */
  sendTrack: SendTracker;
}

/**
 * Middleware: every successful streamed response (NDJSON, SSE) goes out under a
 * {@link SendWatch} of `ms`; other bodies keep their fixed length.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.use(sendTimeout(60_000));
 * app.get("/", (c) => c.body("{}\n", 200, { "content-type": "application/x-ndjson" }));
 * assert.equal(await (await app.request("/")).text(), "{}\n");
 * ```
 */
export function sendTimeout(ms: number): MiddlewareHandler<{ Variables: SendVariables }> {
  const watch = new SendWatch(ms);
  return async (c, next) => {
    const path = c.req.path;
    const onTimeout = () => log.warn(`Send timeout on ${path}: stream closed`);
    let tracked = false;
    c.set("sendTrack", (end) => {
      tracked = true;
      return watch.track((reason) => (onTimeout(), end(reason)));
    });
    await next();
    if (tracked) return;
    const res = c.res;
    // `.body` is read last: reading it turns a fixed-length body into a stream.
    if (!res.ok || !isStreamType(res.headers.get("content-type") ?? "") || res.body === null) {
      return;
    }
    const body = watch.guard(res.body, onTimeout);
    c.res = new Response(body, res);
  };
}
