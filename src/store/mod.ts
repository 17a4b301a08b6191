/**
 * The store's public surface: open it, take rule snapshots, apply behavior patches.
 * @module
 */
export { openStore, type StoreOptions } from "./store.ts";
export { defaultDbPath } from "./db_path.ts";
export { type AppliedBehavior, applyBehaviorPatches } from "../rules/apply_behavior.ts";
export { patternsFor } from "./rule_snapshot.ts";
export { countsToJson } from "./stats.ts";
export { StoreError } from "./sqlite.ts";
export { ValidationError } from "../rules/fields.ts";
export { modelMatches } from "../rules/glob.ts";
export type * from "./types.ts";
export type * from "../rules/types.ts";
