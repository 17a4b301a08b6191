/**
 * Prints hotpatch's added latency against a direct connection to the same fake upstream:
 * non-streaming p50/p99, for a 200-chunk stream the time to first chunk and total time, and the
 * total time of a paced stream (chunks 2 ms apart, as a model sends them), in microseconds and as
 * a ratio to direct.   deno run -A bench/overhead.ts [--runs N]
 */
import { parseArgs } from "node:util";
import { type Served, startHotpatch, startUpstream, timed } from "./servers.ts";

const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string" } } });
const runs = Number(values.runs ?? 300);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function sample(target: Served, body: Record<string, unknown>, count = runs) {
  for (let i = 0; i < 10; i++) await timed(target.url, body);
  const first: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = await timed(target.url, body);
    first.push(t.first * 1000);
    total.push(t.total * 1000);
  }
  return { first, total };
}

const upstream = await startUpstream();
const targets: Array<[string, Served]> = [
  ["direct", upstream],
  ["hotpatch off", await startHotpatch(upstream.url, "off")],
  ["hotpatch detect", await startHotpatch(upstream.url, "detect")],
  ["hotpatch correct", await startHotpatch(upstream.url, "correct")],
];
try {
  const rows: string[][] = [];
  const base: Record<string, number> = {};
  for (const [name, target] of targets) {
    const single = await sample(target, { model: "bench", stream: false, messages: [] });
    const stream = await sample(target, { model: "bench", chunks: 200, messages: [] });
    const paced = await sample(
      target,
      { model: "bench", chunks: 50, delayMs: 2, messages: [] },
      60,
    );
    const cells: Record<string, number> = {
      "JSON p50": pct(single.total, 50),
      "JSON p99": pct(single.total, 99),
      "stream first p50": pct(stream.first, 50),
      "stream total p50": pct(stream.total, 50),
      "stream total p99": pct(stream.total, 99),
      "paced total p50": pct(paced.total, 50),
    };
    if (name === "direct") Object.assign(base, cells);
    rows.push([
      name,
      ...Object.entries(cells).map(([k, v]) => {
        const added = v - base[k]!;
        return name === "direct"
          ? `${v.toFixed(0)} µs`
          : `${v.toFixed(0)} µs (+${added.toFixed(0)}, ${(v / base[k]!).toFixed(2)}x)`;
      }),
    ]);
  }
  const head = ["target", ...Object.keys(base)];
  console.log(
    `${runs} runs each (paced: 60); stream = 200 NDJSON chunks as fast as read; ` +
      "paced = 50 chunks 2 ms apart (faster than a local model); each server in its own process",
  );
  console.log("| " + head.join(" | ") + " |");
  console.log("|" + head.map(() => "---").join("|") + "|");
  for (const r of rows) console.log("| " + r.join(" | ") + " |");
} finally {
  for (const [, t] of targets) await t.stop();
}
