/**
 * The guard at the head of every response chain: reads the upstream body under the idle timeout.
 *
 * Reads go through a BYOB reader into one reused buffer per response when the body supports it
 * (Deno's `fetch` bodies do). A default reader makes the runtime allocate a fresh 64 KiB buffer
 * for every read, however small the chunk: that allocation was most of the per-chunk CPU and of
 * the memory of many concurrent streams. A chunk returned by {@link UpstreamReader.read} is only
 * valid until the next read; {@link UpstreamReader.copy} keeps it.
 * @module
 */
import { errorText } from "../http/proxy_error.ts";

/** Bytes of the reused read buffer (a read returns at most this much). */
const READ_SIZE = 16 * 1024;

/** The upstream body failed or went quiet; `message` is what the client is told. */
export class UpstreamFailure extends Error {
  override name = "UpstreamFailure";
}

/** Where the reader reports what it sees of the upstream (the observer's request trace). */
export interface ReadTrace {
  /** Time spent waiting for the upstream, in ms. */
  waited(ms: number): void;
  /** A body chunk arrived (the first one counts). */
  firstChunk(): void;
  /** The body failed: `upstream_idle` or `upstream_stream`. */
  upstreamError(kind: string, message: string): void;
}

/** How the reader enforces the idle timeout. */
export interface ReaderOptions {
  /** Longest wait for the next chunk while the client is reading. */
  idleMs: number;
  /** Stops the upstream request (its pending read then fails). */
  abort(reason: string): void;
  trace?: ReadTrace;
}

/**
 * Reads one upstream body chunk by chunk. An idle gap longer than `idleMs` while a read waits
 * aborts the upstream; that read then fails with an {@link UpstreamFailure} saying so.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = new UpstreamReader(new Response("hi").body!, { idleMs: 1000, abort() {} });
 * assert.deepEqual(await r.read(), new Uint8Array([104, 105]));
 * assert.equal(await r.read(), null); // the end
 * ```
 */
export class UpstreamReader {
  #byob: ReadableStreamBYOBReader | null = null;
  #plain: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #buffer: ArrayBuffer | null = null;
  #opts: ReaderOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #waiting = false;
  #since = 0;
  /** When the pending read started (performance.now), for the trace. */
  #started = 0;
  #idle = false;
  #closed = false;
  /** True when chunks are views of the reused buffer (copy them to keep them). */
  readonly reuses: boolean;

  constructor(body: ReadableStream<Uint8Array>, opts: ReaderOptions) {
    this.#opts = opts;
    try {
      this.#byob = body.getReader({ mode: "byob" });
      this.#buffer = new ArrayBuffer(READ_SIZE);
    } catch {
      this.#plain = body.getReader();
    }
    this.reuses = this.#byob !== null;
    this.#arm(opts.idleMs);
  }

  /** The next chunk, or null at the end. Throws {@link UpstreamFailure}. */
  read(): Promise<Uint8Array | null> {
    this.#waiting = true;
    this.#since = Date.now();
    if (this.#opts.trace) this.#started = performance.now();
    const next = this.#byob !== null
      ? this.#byob.read(new Uint8Array(this.#buffer!))
      : this.#plain!.read();
    return next.then(this.#got, this.#failed);
  }

  #got = (
    r: ReadableStreamReadResult<Uint8Array>,
  ): Promise<Uint8Array | null> | Uint8Array | null => {
    this.#waiting = false;
    const chunk = r.value;
    this.#opts.trace?.waited(performance.now() - this.#started);
    if (r.done || chunk === undefined) {
      this.close();
      return null;
    }
    if (this.#byob !== null) this.#buffer = chunk.buffer as ArrayBuffer;
    this.#opts.trace?.firstChunk();
    return chunk.byteLength > 0 ? chunk : this.read();
  };

  #failed = (e: unknown): never => {
    this.#waiting = false;
    this.close();
    const message = this.#idle
      ? `Upstream stopped sending for more than ${this.#opts.idleMs} ms`
      : `Upstream stream failed: ${errorText(e)}`;
    this.#opts.trace?.upstreamError(this.#idle ? "upstream_idle" : "upstream_stream", message);
    throw new UpstreamFailure(message);
  };

  /**
   * A chunk that outlives the next read (a copy when reads reuse the buffer).
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * const reader = new UpstreamReader(new Response("hi").body!, { idleMs: 1000, abort() {} });
   * const kept = reader.copy((await reader.read())!);
   * await reader.read(); // may reuse the buffer the first chunk was read into
   * assert.deepEqual(kept, new Uint8Array([104, 105]));
   * ```
   */
  copy(chunk: Uint8Array): Uint8Array {
    return this.reuses ? chunk.slice() : chunk;
  }

  /** Stop reading: the timer goes, the upstream body is cancelled. Safe to call twice. */
  close(reason?: unknown): void {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    this.#closed = true;
    (this.#byob ?? this.#plain)?.cancel(reason).catch(() => {});
  }

  /** One timer per idle period, not one per chunk: it re-arms while the client is not reading. */
  #arm(ms: number): void {
    this.#timer = setTimeout(() => {
      if (this.#closed) return;
      const quiet = Date.now() - this.#since;
      if (!this.#waiting) return this.#arm(this.#opts.idleMs);
      if (quiet < this.#opts.idleMs) return this.#arm(this.#opts.idleMs - quiet);
      this.#idle = true;
      this.#opts.abort(`Upstream idle for more than ${this.#opts.idleMs} ms`);
    }, ms);
  }
}
