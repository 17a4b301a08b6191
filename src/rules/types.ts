/**
 * The rules' shapes: correction patterns, navigation fixes and behavior patches as stored, what
 * is accepted when creating them, and the snapshot one request works with.
 * @module
 */
import type { CompiledPattern, DetectorSetting } from "../detection.ts";

/** A user correction pattern as stored. */
export interface PatternRule {
  id: number;
  /** Detection type recorded for a hit (default `pattern_match`). */
  type: string;
  /** Literal text, or a regular expression source when `regex` is true. */
  match: string;
  regex: boolean;
  replacement: string;
  /** Confidence of a hit, in [0, 1]. */
  confidence: number;
  /** Model glob (`*`, `qwen*`, `*coder*`); `*` applies to every model. */
  model: string;
  enabled: boolean;
  hitCount: number;
  createdAt: number;
  updatedAt: number;
}

/** A wrong path → right path rule, stored by hand or learned from repeated corrections. */
export interface NavigationFix {
  id: number;
  incorrectPath: string;
  correctPath: string;
  /** Workspace root the fix belongs to; empty for any. */
  workspace: string;
  reasoning: string;
  /** Share of sightings of `incorrectPath` that were corrected to `correctPath`, in [0, 1]. */
  effectiveness: number;
  timesCorrected: number;
  timesSeen: number;
  /** Milliseconds since the epoch, or null when never applied. */
  lastApplied: number | null;
  createdAt: number;
}

/** Canonical request options a prompt modifier may set; mapped to each protocol's names. */
export interface PromptOptions {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  seed?: number;
  repeat_penalty?: number;
  /** Maximum generated tokens (Ollama `num_predict`, llama.cpp `n_predict`). */
  max_tokens?: number;
  /** Context size (Ollama only: `options.num_ctx`). */
  num_ctx?: number;
  stop?: string[];
}

/** A pattern inside a `validator` behavior patch. */
export interface ValidatorPattern {
  match: string;
  replacement: string;
  regex?: boolean;
  confidence?: number;
}

/** `prompt_modifier`: a system instruction to add and request options to set or override. */
export interface PromptModifier {
  system?: string;
  options?: PromptOptions;
}

/** `output_filter`: detector settings (enable/disable, threshold, action) for the model. */
export interface OutputFilter {
  detectors: Record<string, Partial<DetectorSetting>>;
}

/** `validator`: extra pattern checks for the model. */
export interface Validator {
  patterns: ValidatorPattern[];
}

/** What a behavior patch does, by kind. */
export type BehaviorSpec =
  | { kind: "prompt_modifier"; payload: PromptModifier }
  | { kind: "output_filter"; payload: OutputFilter }
  | { kind: "validator"; payload: Validator };

/** A per-model change of the request or of the detectors. */
export type BehaviorPatch = BehaviorSpec & {
  id: number;
  description: string;
  /** Model glob. */
  model: string;
  enabled: boolean;
  /** Requests the patch was applied to (validators: plus their pattern hits). */
  successCount: number;
  createdAt: number;
};

/** The rules one request works with; immutable, replaced whole when the rules change. */
export interface RuleSnapshot {
  /** Rules revision in the database; grows with every rule change from any process. */
  version: number;
  /** Enabled patterns with model glob `*` (model-specific ones: see `patternsFor`). */
  patterns: CompiledPattern[];
  /** Wrong path → right path, best fix per path. */
  navigationFixes: Map<string, string>;
  /** Enabled behavior patches. */
  behaviorPatches: BehaviorPatch[];
  /** Enabled patterns with their model globs (for per-model selection). */
  modelPatterns: { model: string; pattern: CompiledPattern }[];
}

/** Fields accepted when creating a pattern (validated: see `src/rules/validate.ts`). */
export type PatternInput =
  & Pick<PatternRule, "match" | "replacement">
  & Partial<
    Pick<PatternRule, "type" | "regex" | "confidence" | "model" | "enabled">
  >;

/** Fields accepted when creating a navigation fix. */
export type NavigationFixInput =
  & Pick<NavigationFix, "incorrectPath" | "correctPath">
  & Partial<
    Pick<NavigationFix, "workspace" | "reasoning" | "effectiveness">
  >;

/** Fields accepted when creating a behavior patch. */
export type BehaviorPatchInput = BehaviorSpec & {
  description: string;
  model?: string;
  enabled?: boolean;
};
