import assert from "node:assert/strict";
import { ChannelWindow, type WindowOptions } from "../../src/chain/window.ts";
import { detectContext } from "../../src/detect/context.ts";
import type { Detection, Detector } from "../../src/detection.ts";
import { literal, testSettings } from "../intercept/harness.ts";

const { channel: _c, final: _f, state: _s, emitted: _e, ...base } = detectContext({
  settings: testSettings,
});

function windowWith(detectors: Detector[], extra: Partial<WindowOptions> = {}) {
  const reports: [Detection, string][] = [];
  const w = new ChannelWindow("content", {
    detectors,
    base,
    holdback: 512,
    tailMax: 1024,
    rewrite: true,
    report: (d, a) => void reports.push([d, a]),
    ...extra,
  });
  return { w, reports };
}

Deno.test("window: text without candidates goes out in the chunk that brought it", () => {
  const { w } = windowWith([literal("src/wrong.ts", "src/right.ts")]);
  for (const piece of ["Hello ", "world, ", "all ", "clear.\n"]) {
    assert.equal(w.push(piece).text, piece);
    assert.equal(w.held, 0);
  }
});

Deno.test("window: a partial candidate is held, then corrected when complete", () => {
  const { w, reports } = windowWith([literal("src/wrong.ts", "src/right.ts")]);
  assert.equal(w.push("see src/wr").text, "see ");
  assert.equal(w.held, 6);
  assert.equal(w.push("ong.ts now").text, "src/right.ts now");
  assert.equal(reports[0]?.[1], "corrected");
});

Deno.test("window: a partial candidate is held no longer than the holdback bound", () => {
  const hold: Detector = {
    type: "hold_all",
    detect: () => [],
    holdFrom: (_t, ctx) => ctx.emitted,
  };
  const { w } = windowWith([hold], { holdback: 10 });
  let out = "";
  for (let i = 0; i < 50; i++) {
    out += w.push("abc").text;
    assert.ok(w.held <= 10, `held ${w.held}`);
  }
  out += w.finish().text;
  assert.equal(out, "abc".repeat(50));
});

Deno.test("window: a surrogate pair is never cut at the holdback bound", () => {
  const hold: Detector = { type: "h", detect: () => [], holdFrom: (_t, ctx) => ctx.emitted };
  const { w } = windowWith([hold], { holdback: 3 });
  const outs: string[] = [];
  for (const piece of ["a🎉b", "🎉🎉", "c"]) outs.push(w.push(piece).text);
  outs.push(w.finish().text);
  for (const o of outs) assert.equal(o, Array.from(o).join(""), JSON.stringify(o));
  assert.ok(outs.every((o) => !/[\ud800-\udbff]$/.test(o)));
  assert.equal(outs.join(""), "a🎉b🎉🎉c");
});

Deno.test("window: below the threshold a detection is only logged", () => {
  const weak: Detector = {
    ...literal("x", "y"),
    detect: (t, ctx) => literal("x", "y").detect(t, ctx).map((d) => ({ ...d, confidence: 0.1 })),
  };
  const { w, reports } = windowWith([weak]);
  assert.equal(w.push("a x b").text, "a x b");
  assert.equal(reports[0]?.[1], "detected");
});

Deno.test("window: detect mode reports and never rewrites", () => {
  const { w, reports } = windowWith([literal("bad", "good")], { rewrite: false });
  assert.equal(w.push("a bad thing").text, "a bad thing");
  assert.deepEqual(reports.map((r) => r[1]), ["detected"]);
});

Deno.test("window: the tail is cut at line starts and the fence state follows", () => {
  const seen: boolean[] = [];
  const spy: Detector = {
    type: "spy",
    detect: (_t, ctx) => {
      seen.push(ctx.state.fence !== null);
      return [];
    },
    holdFrom: (t) => t.length,
  };
  const { w } = windowWith([spy], { tailMax: 40 });
  w.push("intro\n```ts\n");
  for (let i = 0; i < 20; i++) w.push(`const line${i} = ${i};\n`);
  assert.equal(seen.at(-1), true, "window starts inside the open fence");
  w.push("```\n");
  for (let i = 0; i < 20; i++) w.push(`prose line ${i}\n`);
  assert.equal(seen.at(-1), false, "fence closed once its line left the tail");
});

Deno.test("window: an end detection stops the channel", () => {
  const end: Detector = {
    type: "literal_fix",
    detect: (t, ctx) => {
      const i = t.indexOf("STOP", ctx.emitted);
      return i < 0 ? [] : [{
        type: "literal_fix",
        start: i,
        end: i + 4,
        found: "STOP",
        replacement: "",
        confidence: 1,
        reason: "end",
        effect: "end",
      }];
    },
    holdFrom: (t) => t.length,
  };
  const { w } = windowWith([end]);
  const r = w.push("one STOP two");
  assert.deepEqual([r.text, r.end], ["one ", true]);
  assert.equal(w.push("more").text, "");
  assert.equal(w.finish().text, "");
});

Deno.test("window: a detector with a lookback sees sent text beyond the tail, its offsets mapped back", () => {
  const lengths: number[] = [];
  const far: Detector = {
    type: "literal_fix",
    lookback: 5000,
    detect(t, ctx) {
      lengths.push(t.length);
      const i = t.indexOf("ZZ", ctx.emitted);
      return i < 0 ? [] : [{
        type: "literal_fix",
        start: i,
        end: i + 2,
        found: "ZZ",
        replacement: "yy",
        confidence: 1,
        reason: "test",
      }];
    },
    holdFrom: (t) => t.length,
  };
  const { w } = windowWith([far], { tailMax: 40 });
  for (let i = 0; i < 100; i++) w.push(`line ${i} of sent text\n`);
  assert.ok(Math.max(...lengths) > 1000, `longest text seen: ${Math.max(...lengths)}`);
  assert.equal(w.push("then ZZ here\n").text, "then yy here\n");
});

Deno.test("window: abandon gives the held text as received and ends the window", () => {
  const { w, reports } = windowWith([literal("src/wrong.ts", "src/right.ts")]);
  assert.equal(w.push("see src/wro").text, "see ");
  assert.equal(w.abandon(), "src/wro");
  assert.equal(w.push("ng.ts").text, "");
  assert.equal(reports.length, 0);
});
