/**
 * A minimal model of the corrector's window, for the eval: text arrives in pieces; each arrival
 * runs the pure pipeline over `tail + pending` with the right `emitted`, fence and think state,
 * sends everything before the hold offset (at most `holdMax` characters are held) and applies
 * the detections that start in what is sent.
 * @module
 */
import type { DetectContext, Detection, Detector } from "../../src/detect/types.ts";
import { applyDetections, holdOffset, runDetectors } from "../../src/detect/run.ts";
import { detectContext } from "../../src/detect/context.ts";
import { advanceFence } from "../../src/detect/markdown.ts";

/** What a client would have received. */
export interface SimResult {
  content: string;
  thinking: string;
  detections: Detection[];
}

/** Window options: bytes of emitted tail re-scanned, and the holdback bound. */
export interface SimOptions {
  tail?: number;
  holdMax?: number;
}

/**
 * The whole text at once (a non-streaming body).
 * @example
 * runWhole("hi<|im_end|>", defaultDetectors(), {}).content; // "hi"
 */
export function runWhole(
  text: string,
  detectors: readonly Detector[],
  base: Partial<DetectContext>,
): SimResult {
  const detections = runDetectors(text, detectors, detectContext({ ...base, final: true }));
  const thinking = detections.map((d) => d.moved ?? "").join("");
  return { content: applyDetections(text, detections), thinking, detections };
}

/**
 * Feed `text` in pieces ending at `cuts` (sorted offsets; the end is added), as the corrector
 * would see it.
 * @example
 * simulateStream("hi<|im_", defaultDetectors(), {}, [4]).content; // "hi"
 */
export function simulateStream(
  text: string,
  detectors: readonly Detector[],
  base: Partial<DetectContext>,
  cuts: readonly number[],
  opts: SimOptions = {},
): SimResult {
  const tail = opts.tail ?? 4096;
  const holdMax = opts.holdMax ?? 512;
  let pos = 0;
  let content = "";
  let thinking = "";
  let thinkFrom: number | null = null;
  let fence: string | null = null; // fence state at `fenceAt` (a line start), carried forward
  let fenceAt = 0;
  const detections: Detection[] = [];
  for (const k of [...cuts.filter((c) => c > 0 && c < text.length), text.length]) {
    if (k <= pos) continue;
    const final = k === text.length;
    const winStart = text.lastIndexOf("\n", Math.max(0, pos - tail) - 1) + 1;
    if (winStart > fenceAt) {
      fence = advanceFence(fence, text.slice(fenceAt, winStart));
      fenceAt = winStart;
    }
    const window = text.slice(winStart, k);
    const ctx = detectContext({
      ...base,
      final,
      state: {
        fence,
        inThink: thinkFrom !== null && thinkFrom < winStart,
      },
      emitted: pos - winStart,
    });
    const found = runDetectors(window, detectors, ctx);
    let release = final
      ? window.length
      : Math.max(holdOffset(window, detectors, ctx), k - holdMax - winStart, ctx.emitted);
    const applied: Detection[] = [];
    for (const d of found) {
      if (d.start >= release) break;
      applied.push(d);
      release = Math.max(release, d.end);
    }
    content += applyDetections(window.slice(0, release), applied).slice(ctx.emitted);
    for (const d of applied) {
      detections.push({ ...d, start: d.start + winStart, end: d.end + winStart });
      if (d.effect !== "to_thinking") continue;
      thinking += d.moved ?? "";
      thinkFrom = d.open === true ? (thinkFrom ?? winStart + d.start) : null;
    }
    if (applied.some((d) => d.effect === "end")) break;
    pos = winStart + release;
  }
  return { content, thinking, detections };
}

/**
 * Deterministic pseudo-random numbers in [0, 1) (mulberry32).
 * @example
 * const rnd = seeded(1); rnd(); // same value on every run
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` random sorted cut offsets inside a text of length `n`.
 * @example
 * randomCuts(100, 3, seeded(7)); // three increasing offsets in 1..99
 */
export function randomCuts(n: number, count: number, rnd: () => number): number[] {
  const cuts = new Set<number>();
  for (let i = 0; i < count && n > 1; i++) cuts.add(1 + Math.floor(rnd() * (n - 1)));
  return [...cuts].sort((a, b) => a - b);
}
