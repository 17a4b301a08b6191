/**
 * The store contract: rules (patterns, navigation fixes, behavior patches), the correction history
 * and lifetime counters, behind one interface with SQLite underneath.
 * @module
 */
import type { CompiledPattern, DetectorSetting } from "../detect/types.ts";
import type { CorrectionRecord, CorrectionSink } from "../types.ts";

/** A lifetime counter: a number while it is a safe integer, a bigint beyond 2^53 - 1. */
export type Count = number | bigint;

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

/** Process state the statistics report next to the lifetime counts. */
export interface LiveInfo {
  activeConnections: number;
  serverListening: boolean;
  listenPort: number;
  upstream: string;
  mode: string;
}

/** Statistics, with the seed's names. */
export interface Stats {
  totalHallucinationsDetected: Count;
  hallucinationsCorrected: Count;
  hallucinationTypes: Record<string, Count>;
  totalNavigationFixesApplied: Count;
  averageNavigationFixEffectiveness: number;
  totalBehaviorPatches: number;
  enabledPatches: number;
  hotPatchingEnabled: boolean;
  totalCorrectionPatterns: number;
  totalNavigationPatterns: number;
  requestsProcessed: Count;
  activeConnections: number;
  serverListening: boolean;
  listenPort: number;
  ggufEndpoint: string;
}

/** Rules a merge added and updated, per list. */
export interface MergeCounts {
  patterns: { added: number; updated: number };
  navigationFixes: { added: number; updated: number };
  behaviorPatches: { added: number; updated: number };
}

/** Every rule as one JSON document (export / import; the rollback procedure). */
export interface RulesDocument {
  format: "hotpatch-rules";
  version: 1;
  patterns: PatternRule[];
  navigationFixes: NavigationFix[];
  behaviorPatches: BehaviorPatch[];
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

/** A correction as recorded; `patternId` links a pattern hit (negative: a validator patch). */
export type CorrectionEntry = CorrectionRecord & { patternId?: number };

/** CRUD over one rule table. */
export interface RuleTable<Row, Input> {
  list(): Row[];
  get(id: number): Row | null;
  create(input: Input): number;
  /** Applies a validated partial change; false when the id does not exist. */
  update(id: number, change: Partial<Input>): boolean;
  remove(id: number): boolean;
}

/** The store: rules, history and counters in one SQLite file. */
export interface Store extends CorrectionSink {
  /** Queues a detection (never blocks); `list`, `stats` and `close` flush first. */
  record(entry: CorrectionEntry): void;
  /** Counts one proxied request and the behavior patches applied to it (queued). */
  countRequest(patchesApplied?: readonly number[]): void;
  /** The current rules; cheap, re-read only when they changed (checked at most every ~200 ms). */
  rules(): RuleSnapshot;
  readonly patterns: RuleTable<PatternRule, PatternInput>;
  readonly navigationFixes: RuleTable<NavigationFix, NavigationFixInput>;
  readonly behaviorPatches: RuleTable<BehaviorPatch, BehaviorPatchInput>;
  /** Corrections with row ids, oldest first: above `afterId`, or (null) the newest `limit`. */
  since(afterId: number | null, limit: number): { id: number; record: CorrectionRecord }[];
  stats(live: LiveInfo): Stats;
  exportRules(): RulesDocument;
  /** Replaces every rule with the document's, in one transaction. */
  importRules(doc: RulesDocument): void;
  /** Adds the document's rules to the ones there (same key: updated), in one transaction. */
  mergeRules(doc: RulesDocument): MergeCounts;
  /** Writes queued records now (one transaction). */
  flush(): void;
  /** Correction records waiting for the next batch write. */
  queued?(): number;
  /** Flushes, stops timers, closes the database. */
  close(): void;
}
