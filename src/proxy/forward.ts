/**
 * One upstream call: fetch with a first-byte timeout, abort when the client goes,
 * and a guarded body that enforces the idle timeout between chunks.
 * @module
 */
import { currentTrace } from "../observe/trace.ts";
import { ProxyError } from "./errors.ts";

/** The upstream's answer plus the handle to stop it. */
export interface UpstreamCall {
  response: Response;
  /** Aborts the upstream request (the model stops generating). */
  abort(reason?: string): void;
}

/** What `fetchUpstream` needs besides the request itself. */
export interface ForwardOptions {
  timeoutMs: number;
  /** Aborted when the client disconnects. */
  clientSignal: AbortSignal;
  fetch: typeof fetch;
}

/**
 * Send a request upstream. Unreachable → ProxyError 502; no first byte in time → 504.
 * @example
 * const call = await fetchUpstream("http://127.0.0.1:11434/api/tags",
 *   { method: "GET", headers: new Headers(), body: null },
 *   { timeoutMs: 1000, clientSignal: new AbortController().signal, fetch });
 */
export async function fetchUpstream(
  url: string,
  init: { method: string; headers: Headers; body: Uint8Array<ArrayBuffer> | null },
  opts: ForwardOptions,
): Promise<UpstreamCall> {
  const controller = new AbortController();
  let timedOut = false;
  const onClientGone = () => controller.abort(new Error("Client disconnected"));
  opts.clientSignal.addEventListener("abort", onClientGone, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("Upstream timeout"));
  }, opts.timeoutMs);
  try {
    const response = await opts.fetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body && init.body.byteLength > 0 ? init.body : null,
      redirect: "manual",
      signal: controller.signal,
    });
    return {
      response,
      abort: (reason = "aborted by hotpatch") => controller.abort(new Error(reason)),
    };
  } catch (e) {
    opts.clientSignal.removeEventListener("abort", onClientGone);
    if (timedOut) {
      throw new ProxyError(
        504,
        "upstream_timeout",
        `Upstream "${new URL(url).origin}" sent no response within ${opts.timeoutMs} ms`,
      );
    }
    if (opts.clientSignal.aborted) {
      throw new ProxyError(499, "client_closed", "Client disconnected");
    }
    throw new ProxyError(
      502,
      "upstream_unreachable",
      `Upstream "${new URL(url).origin}" is unreachable: ${errorText(e)}`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Callbacks of a guarded body. */
export interface GuardOptions {
  idleMs: number;
  abort(reason: string): void;
  /** A final frame to append when the upstream body fails; null makes the body error instead. */
  errorFrame: ((message: string) => string) | null;
  /** Called once when the body ends for any reason. */
  onEnd(): void;
}

/**
 * Wrap an upstream body: chunks pass as they come (pull-based, no buffering), an idle gap
 * longer than `idleMs` aborts the upstream, and a failure ends the body with `errorFrame`.
 * @example
 * const body = guardBody(new Response("hi").body!, {
 *   idleMs: 1000, abort() {}, errorFrame: null, onEnd() {} });
 */
export function guardBody(
  body: ReadableStream<Uint8Array>,
  opts: GuardOptions,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const trace = currentTrace(); // observer: first chunk, upstream wait, stream errors, end
  trace?.openBody();
  let ended = false;
  let idle = false;
  let last = performance.now();
  let waiting = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // One timer per idle period, not one per chunk: when it fires early, or while the client is
  // not reading (a slow client is not an idle upstream), it re-arms.
  const arm = (ms: number) => {
    timer = setTimeout(() => {
      const quiet = performance.now() - last;
      if (!waiting) return arm(opts.idleMs);
      if (quiet < opts.idleMs) return arm(opts.idleMs - quiet);
      idle = true;
      opts.abort(`Upstream idle for more than ${opts.idleMs} ms`);
    }, ms);
  };
  const end = () => {
    clearTimeout(timer);
    if (!ended) {
      ended = true;
      opts.onEnd();
      trace?.bodyEnded();
    }
  };
  return new ReadableStream<Uint8Array>({
    start() {
      arm(opts.idleMs);
    },
    async pull(ctrl) {
      waiting = true;
      last = performance.now();
      try {
        const { done, value } = await reader.read();
        waiting = false;
        if (trace) {
          trace.waited(performance.now() - last);
          if (!done) trace.firstChunk();
        }
        if (done) {
          ctrl.close();
          end();
        } else ctrl.enqueue(value);
      } catch (e) {
        const message = idle
          ? `Upstream stopped sending for more than ${opts.idleMs} ms`
          : `Upstream stream failed: ${errorText(e)}`;
        trace?.upstreamError(idle ? "upstream_idle" : "upstream_stream", message);
        if (opts.errorFrame) {
          ctrl.enqueue(new TextEncoder().encode(opts.errorFrame(message)));
          ctrl.close();
        } else ctrl.error(new Error(message));
        end();
      }
    },
    cancel(reason) {
      opts.abort("Client disconnected");
      end();
      return reader.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : "";
    return e.message + cause;
  }
  return String(e);
}
