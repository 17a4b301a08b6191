/**
 * The client body of every proxied response: one pull-based stream around a {@link Stage}, with
 * one end path for every way a response can finish: the upstream ends, the upstream fails or goes
 * quiet, the stage ends the generation early, the stage throws, or the client goes away. Each of
 * them closes the upstream read and releases the request's slot exactly once.
 * @module
 */
import { errorText } from "../http/proxy_error.ts";
import type { SendTrack, SendTracker } from "../http/send_timeout.ts";
import { UpstreamFailure, type UpstreamReader } from "./upstream.ts";

/** What turns upstream reads into client bytes for one response. */
export interface Stage {
  /**
   * Client bytes for one upstream read (`""` while everything is held). `chunk` is only valid
   * during the call: `keep(chunk)` is a copy that outlives it.
   */
  push(chunk: Uint8Array, keep: (chunk: Uint8Array) => Uint8Array): Uint8Array | string;
  /** The upstream ended: whatever is still held, corrected. */
  end(): Uint8Array | string;
  /** The upstream failed: held text, then the protocol's error frame; null errors the body. */
  fail(message: string): Uint8Array | string | null;
  /**
   * The stage itself threw: held text as received (no detector runs again), then the error
   * frame; null errors the body. Must not throw.
   */
  abandon(message: string): Uint8Array | string | null;
  /** True once the stage ended the generation early: the upstream is stopped. */
  readonly ended: boolean;
}

/** What the body does besides moving bytes. */
export interface BodyHooks {
  /** Stops the upstream request (early end, internal error, client gone). */
  abort(reason: string): void;
  /** Called once when the body ends for any reason (frees the connection slot). */
  release(): void;
  /** An internal error ended the response (for the log, with the request id). */
  crashed(error: unknown): void;
  /**
   * The client-send timeout, enforced by this body itself (no stream around it): a chunk the
   * client leaves untaken too long ends the body as if the client went away.
   */
  send?: SendTracker;
}

const encoder = new TextEncoder();

function bytesOf(out: Uint8Array | string): Uint8Array | null {
  if (typeof out !== "string") return out.byteLength > 0 ? out : null;
  return out === "" ? null : encoder.encode(out);
}

/**
 * The client body: reads the upstream only when the client asks (`highWaterMark: 0`), so a slow
 * client slows the upstream instead of filling memory.
 */
export function chainBody(
  reader: UpstreamReader,
  stage: Stage,
  hooks: BodyHooks,
): ReadableStream<Uint8Array> {
  let done = false;
  let track: SendTrack | undefined;
  const keep = (chunk: Uint8Array) => reader.copy(chunk);
  const stop = (abort: string, reason?: unknown) => {
    done = true;
    track?.done();
    hooks.abort(abort);
    reader.close(reason);
    hooks.release();
  };
  const finish = (
    ctrl: ReadableStreamDefaultController<Uint8Array>,
    out: Uint8Array | string | null,
    abort: string | null,
  ) => {
    done = true;
    track?.done();
    if (abort !== null) hooks.abort(abort);
    reader.close();
    hooks.release();
    if (out === null) return ctrl.error(new Error("Upstream body failed"));
    const bytes = bytesOf(out);
    if (bytes !== null) ctrl.enqueue(bytes);
    ctrl.close();
  };
  const crash = (ctrl: ReadableStreamDefaultController<Uint8Array>, e: unknown) => {
    hooks.crashed(e);
    finish(ctrl, stage.abandon(`Internal error in hotpatch: ${errorText(e)}`), "hotpatch failed");
  };
  return new ReadableStream<Uint8Array>({
    start(ctrl) {
      // Ended, not errored, when the client stalls: it gets no more data either way, and an
      // errored body makes Deno print a stack trace for an expected event.
      track = hooks.send?.((reason) => {
        if (done) return;
        stop("Client took no data (send timeout)", reason);
        ctrl.close();
      });
    },
    async pull(ctrl) {
      track?.taken();
      while (!done) {
        let chunk: Uint8Array | null;
        try {
          chunk = await reader.read();
        } catch (e) {
          if (!(e instanceof UpstreamFailure)) return crash(ctrl, e);
          try {
            return finish(ctrl, stage.fail(e.message), null);
          } catch (inner) {
            return crash(ctrl, inner);
          }
        }
        try {
          if (chunk === null) return finish(ctrl, stage.end(), null);
          const out = stage.push(chunk, keep);
          if (stage.ended) {
            return finish(ctrl, typeof out === "string" ? out : "", "Generation ended by hotpatch");
          }
          const bytes = bytesOf(out);
          if (bytes !== null) {
            ctrl.enqueue(bytes);
            return track?.handed();
          }
        } catch (e) {
          return crash(ctrl, e);
        }
      }
    },
    cancel(reason) {
      if (!done) stop("Client disconnected", reason);
    },
  }, { highWaterMark: 0 });
}

/**
 * The stage of a response nothing looks into: every read goes out as it came. On an upstream
 * failure a stream gets `errorFrame(message)` as its last frame; other bodies error.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const stage = passStage((m) => `{"error":${JSON.stringify(m)}}\n`);
 * assert.equal(stage.fail("Upstream stream failed"), '{"error":"Upstream stream failed"}\n');
 * assert.equal(passStage(null).fail("x"), null); // not a stream: the body errors instead
 * ```
 */
export function passStage(errorFrame: ((message: string) => string) | null): Stage {
  const fail = (message: string) => errorFrame === null ? null : errorFrame(message);
  return {
    push: (chunk, keep) => keep(chunk),
    end: () => "",
    fail,
    abandon: fail,
    ended: false,
  };
}
