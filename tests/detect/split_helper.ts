/**
 * Test helper: run a text through the shipped response chain at many random split points and check that
 * the client-side content equals the whole-text result.
 * @module
 */
import { deepStrictEqual } from "node:assert/strict";
import type { DetectContext, Detector } from "../../src/detection.ts";
import { randomCuts, runStream, runWhole, seeded } from "../../scripts/eval/chain.ts";

/**
 * Assert that `seeds` random splits (every split of 1 to 40 pieces) give `expected` content,
 * and the same thinking text as a whole run. With `trimEndWhenStreamed`, streamed content is
 * compared without trailing whitespace (whitespace sent before an end token stays sent).
 */
export function assertSplitInvariant(
  text: string,
  detectors: readonly Detector[],
  expected: string,
  seeds = 200,
  base: Partial<DetectContext> = {},
  trimEndWhenStreamed = false,
): void {
  const whole = runWhole(text, detectors, base);
  deepStrictEqual(whole.content, expected, "whole text");
  for (let seed = 1; seed <= seeds; seed++) {
    const rnd = seeded(seed);
    const cuts = randomCuts(text.length, 1 + Math.floor(rnd() * 40), rnd);
    const got = runStream(text, detectors, base, cuts);
    const content = trimEndWhenStreamed ? got.content.trimEnd() : got.content;
    deepStrictEqual(content, expected, `seed ${seed}, cuts ${cuts.join(",")}`);
    deepStrictEqual(got.thinking, whole.thinking, `thinking, seed ${seed}`);
  }
}
