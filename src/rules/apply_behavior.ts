/**
 * Applying behavior patches to one request: prompt modifiers change the body sent upstream,
 * output filters change detector settings, validators add patterns — all for matching models.
 * @module
 */
import type { CompiledPattern, DetectorSetting } from "../detection.ts";
import type { RouteKind } from "../protocols/routes.ts";
import { compileValidator } from "./compile.ts";
import { modelMatches } from "./glob.ts";
import type { BehaviorPatch, PromptModifier, PromptOptions } from "./types.ts";

/** What the patches did to one request. */
export interface AppliedBehavior {
  /** The request body to send upstream (a copy when a prompt modifier changed it). */
  body: Record<string, unknown>;
  /** Detector setting overrides (later patches win). */
  settings: Record<string, Partial<DetectorSetting>>;
  /** Extra patterns of validator patches (id `-patch.id`). */
  patterns: CompiledPattern[];
  /** Ids of the patches applied. */
  applied: number[];
}

/** Canonical option → the name each protocol uses (absent: the protocol has no such option). */
const OPTION_NAMES: Record<"ollama" | "openai" | "llamacpp", Record<string, string>> = {
  ollama: { max_tokens: "num_predict" },
  openai: { num_ctx: "" },
  llamacpp: { max_tokens: "n_predict", num_ctx: "" },
};

const compiled = new WeakMap<BehaviorPatch, CompiledPattern[]>();

/** The validator patterns of a patch, compiled once per patch object (one per snapshot). */
function validatorPatterns(patch: BehaviorPatch): CompiledPattern[] {
  let patterns = compiled.get(patch);
  if (!patterns) {
    patterns = compileValidator(patch);
    compiled.set(patch, patterns);
  }
  return patterns;
}

/** Prepends `text` as a system message, or appends it to a leading string system message. */
function withSystemMessage(messages: unknown, text: string): unknown {
  if (!Array.isArray(messages)) return messages;
  const first = messages[0] as Record<string, unknown> | undefined;
  if (first?.role === "system" && typeof first.content === "string") {
    return [{ ...first, content: `${first.content}\n\n${text}` }, ...messages.slice(1)];
  }
  return [{ role: "system", content: text }, ...messages];
}

/** Puts `text` before a prompt (a string, or each string of a prompt array). */
function withPromptPrefix(prompt: unknown, text: string): unknown {
  if (typeof prompt === "string") return `${text}\n\n${prompt}`;
  if (Array.isArray(prompt)) {
    return prompt.map((p) => typeof p === "string" ? `${text}\n\n${p}` : p);
  }
  return prompt;
}

/** Sets the options under their protocol names (Ollama: inside `options`). */
function withOptions(kind: RouteKind, body: Record<string, unknown>, options: PromptOptions) {
  const dialect = kind.startsWith("ollama")
    ? "ollama"
    : kind.startsWith("openai")
    ? "openai"
    : "llamacpp";
  const names = OPTION_NAMES[dialect];
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const name = names[key] ?? key;
    if (name !== "" && value !== undefined) set[name] = value;
  }
  if (dialect !== "ollama") return { ...body, ...set };
  const current = body.options;
  const base = typeof current === "object" && current !== null && !Array.isArray(current)
    ? current
    : {};
  return { ...body, options: { ...base, ...set } };
}

/** Applies one prompt modifier to a body of route `kind`. */
function modify(kind: RouteKind, body: Record<string, unknown>, m: PromptModifier) {
  let out = body;
  if (m.system !== undefined) {
    if (kind === "ollama_chat" || kind === "openai_chat") {
      out = { ...out, messages: withSystemMessage(out.messages, m.system) };
    } else if (kind === "ollama_generate") {
      const system = typeof out.system === "string" && out.system !== ""
        ? `${out.system}\n\n${m.system}`
        : m.system;
      out = { ...out, system };
    } else out = { ...out, prompt: withPromptPrefix(out.prompt, m.system) };
  }
  return m.options ? withOptions(kind, out, m.options) : out;
}

/**
 * Applies the enabled patches whose model glob matches `model`, in order. The input body is not
 * changed; the returned body is what goes upstream.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const patch = {
 *   id: 1, kind: "prompt_modifier", payload: { options: { max_tokens: 64 } }, description: "",
 *   model: "qwen*", enabled: true, successCount: 0, createdAt: 0,
 * } as const;
 * const out = applyBehaviorPatches("ollama_chat", { model: "qwen3" }, "qwen3", [patch]);
 * assert.deepEqual(out.body, { model: "qwen3", options: { num_predict: 64 } });
 * assert.deepEqual(out.applied, [1]);
 * ```
 */
export function applyBehaviorPatches(
  kind: RouteKind,
  body: Record<string, unknown>,
  model: string,
  patches: readonly BehaviorPatch[],
): AppliedBehavior {
  const out: AppliedBehavior = { body, settings: {}, patterns: [], applied: [] };
  for (const patch of patches) {
    if (!patch.enabled || !modelMatches(patch.model, model)) continue;
    if (patch.kind === "prompt_modifier") out.body = modify(kind, out.body, patch.payload);
    else if (patch.kind === "output_filter") {
      for (const [type, s] of Object.entries(patch.payload.detectors)) {
        out.settings[type] = { ...out.settings[type], ...s };
      }
    } else out.patterns.push(...validatorPatterns(patch));
    out.applied.push(patch.id);
  }
  return out;
}
