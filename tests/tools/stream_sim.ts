/**
 * Test helpers: split a text at random points, and a minimal streaming loop around one detector
 * (release text up to its hold offset, applying complete detections) as the corrector does.
 * @module
 */
import { applyDetections, runDetectors } from "../../src/detect/run.ts";
import { textToolCallDetector as detector } from "../../src/detect/text_tool_call.ts";
import type { DetectContext } from "../../src/detect/types.ts";

/**
 * Split `text` into pieces of 1..`max` characters, deterministically from `seed`.
 * @example
 * randomPieces("abcdef", 1, 3).join(""); // "abcdef"
 */
export function randomPieces(text: string, seed: number, max: number): string[] {
  let s = seed;
  const random = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pieces: string[] = [];
  for (let i = 0; i < text.length;) {
    const n = 1 + Math.floor(random() * max);
    pieces.push(text.slice(i, i + n));
    i += n;
  }
  return pieces;
}

/**
 * Stream `pieces` through the text_tool_call detector: the content the client sees and the calls.
 * @example
 * stream(["<tool_call>{\"name\":\"ls\"}", "</tool_call>"], ctx); // { content: "", calls: [...] }
 */
export function stream(
  pieces: string[],
  base: DetectContext,
): { content: string; calls: unknown[] } {
  let text = "";
  let emitted = 0;
  let content = "";
  const calls: unknown[] = [];
  const step = (final: boolean) => {
    const c = { ...base, final, emitted };
    const found = runDetectors(text, [detector], c);
    let release = final ? text.length : detector.holdFrom(text, c);
    for (const d of found) if (d.start < release) release = Math.max(release, d.end);
    const applied = found.filter((d) => d.start < release);
    content += applyDetections(
      text.slice(emitted, release),
      applied.map((d) => ({
        ...d,
        start: d.start - emitted,
        end: d.end - emitted,
      })),
    );
    calls.push(...applied.map((d) => d.toolCall));
    emitted = release;
  };
  for (const piece of pieces) {
    text += piece;
    step(false);
  }
  step(true);
  return { content, calls };
}
