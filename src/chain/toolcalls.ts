/**
 * Tool calls in a stream: OpenAI fragments are joined by `index` and held until the call is
 * complete; every complete call then goes through the repair hook.
 * @module
 */
import type { JsonObject } from "../protocols/adapter.ts";
import type { ToolCall } from "../types.ts";

/**
 * Repairs one complete call: the call to send, a text to answer with instead (a repeated call),
 * or null to drop it. `finish` is the finish reason known when the call completed (null: none).
 */
export type ToolHook = (call: ToolCall, finish?: string | null) => ToolCall | string | null;

interface Held {
  call: ToolCall;
  /** The chunk that opened the call: the shape a completed call goes out in. */
  chunk: JsonObject;
}

/**
 * Joins streamed tool-call fragments. A call is complete when a fragment of another index
 * arrives (calls stream one after another) or when the stream finishes.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const h = new FragmentJoiner();
 * const chunk = { choices: [] }; // the wire chunk each fragment came in
 * assert.deepEqual(h.add({ index: 0, id: "c1", name: "read_file", arguments: '{"pa' }, chunk), []);
 * assert.deepEqual(h.add({ index: 0, name: "", arguments: 'th":"a"}' }, chunk), []);
 * assert.deepEqual(h.drain(), [{
 *   index: 0,
 *   id: "c1",
 *   name: "read_file",
 *   arguments: '{"path":"a"}',
 * }]);
 * ```
 */
export class FragmentJoiner {
  #open = new Map<number, Held>();
  #first: JsonObject | null = null;
  #size = 0;

  /** Characters of name and arguments held. */
  get size(): number {
    return this.#size;
  }

  /** The chunk that opened the first held call (a template for the completed calls). */
  get template(): JsonObject | null {
    return this.#first;
  }

  /** Add one fragment; returns the calls it completes. */
  add(fragment: ToolCall, chunk: JsonObject): ToolCall[] {
    const done = this.#open.has(fragment.index) ? [] : this.drain();
    const held = this.#open.get(fragment.index);
    this.#size += fragment.name.length + fragment.arguments.length;
    if (held) {
      held.call.name += fragment.name;
      held.call.arguments += fragment.arguments;
      if (fragment.id !== undefined && held.call.id === undefined) held.call.id = fragment.id;
    } else {
      this.#open.set(fragment.index, { call: { ...fragment }, chunk });
      this.#first ??= chunk;
    }
    return done;
  }

  /** Every held call, complete now (in index order). */
  drain(): ToolCall[] {
    const calls = [...this.#open.values()].map((h) => h.call).sort((a, b) => a.index - b.index);
    this.#open.clear();
    this.#first = null;
    this.#size = 0;
    return calls;
  }
}

/**
 * A call id for a call hotpatch builds from text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(newCallId().startsWith("call_"), true);
 * ```
 */
export function newCallId(): string {
  return "call_" + crypto.randomUUID().replaceAll("-", "").slice(0, 24);
}
