/**
 * Shared shape of evaluation results (one row per detector and data set).
 * @module
 */

/** Confusion counts and fix accuracy of one detector over one set of cases. */
export interface EvalRow {
  /** Detector type, optionally with the data set: `template_leak (template_leaks.jsonl)`. */
  detector: string;
  cases: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Cases whose corrected text equals the expected text exactly. */
  fixExact: number;
  /** Cases with an expected corrected text. */
  fixTotal: number;
}

/**
 * A row with every count at zero.
 * @example
 * emptyRow("template_leak").cases; // 0
 */
export function emptyRow(detector: string): EvalRow {
  return { detector, cases: 0, tp: 0, fp: 0, fn: 0, tn: 0, fixExact: 0, fixTotal: 0 };
}
