/**
 * The store contract: rules (patterns, navigation fixes, behavior patches), the correction history
 * and lifetime counters, behind one interface with SQLite underneath.
 * @module
 */
import type { CorrectionRecord, CorrectionSink } from "../types.ts";
import type {
  BehaviorPatch,
  BehaviorPatchInput,
  NavigationFix,
  NavigationFixInput,
  PatternInput,
  PatternRule,
  RuleSnapshot,
} from "../rules/types.ts";

/** A lifetime counter: a number while it is a safe integer, a bigint beyond 2^53 - 1. */
export type Count = number | bigint;

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
