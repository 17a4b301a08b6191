/**
 * The store's public surface: open it, take rule snapshots, apply behavior patches.
 * @module
 */
export { openStore, type StoreOptions } from "./store.ts";
export { defaultDbPath } from "./paths.ts";
export { type AppliedBehavior, applyBehaviorPatches } from "./behavior.ts";
export { patternsFor } from "./snapshot.ts";
export { countsToJson } from "./stats.ts";
export { StoreError } from "./sqlite.ts";
export { ValidationError } from "./fields.ts";
export { modelMatches } from "./glob.ts";
export type * from "./types.ts";
