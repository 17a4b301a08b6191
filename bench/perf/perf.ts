// The full perf comparison (run it through perf.sh): direct, nginx, Portkey, a bare Deno proxy (the floor) and hotpatch in modes off / detect /
// correct, all in front of the same fast mock (perf_mock.ts), measured in one run with the systems interleaved.
//   1. non-streaming latency: sequential requests, rounds × per-round per system: p50/p99 and added p50 vs direct
//   2. a 200-chunk stream sent back to back: time to first chunk, total, added µs per chunk
//   3. 256 concurrent streams of 100 chunks 10 ms apart: errors, completed, p99 vs direct, peak RSS
// Prints tables and a last summary line; writes the JSON report to --out.
// Reading it: "added" is the median over rounds of (system's round median - direct's round median); within a round
// the systems take turns in slices (20 requests, 5 streams), the order rotated each turn. On a stream sent back to
// back the client pays per HTTP chunk it reads, so a proxy that merges chunks (nginx) comes out faster than direct
// and its "per chunk" is negative; "CPU/chunk" and "CPU/req" (CPU time of the proxy's own processes) do not depend
// on that. Portkey waits 25 ms before its first streamed chunk by design (readStream in its streamHandler).
import { parseArgs } from "node:util";
import { hotpatchCmd, stopAll } from "./lib.ts";
import * as P from "./perf_lib.ts";

const { values: o } = parseArgs({
  options: {
    out: { type: "string", default: "/tmp/hp-perf/report.json" },
    rounds: { type: "string", default: "7" },
    "per-round": { type: "string", default: "200" },
    "streams-per-round": { type: "string", default: "30" },
    "burst-rounds": { type: "string", default: "3" },
    concurrency: { type: "string", default: "256" },
    "no-nginx": { type: "boolean", default: false },
    "no-portkey": { type: "boolean", default: false },
    "no-burst-others": { type: "boolean", default: false },
    "js-floor": { type: "boolean", default: false }, // also the floor proxy with one JS stream per body // concurrency test for direct and hotpatch(correct) only
    deadline: { type: "string", default: "450" }, // seconds; perf.sh's own timeout is longer
  },
});
const ROUNDS = Number(o.rounds),
  PER_ROUND = Number(o["per-round"]),
  STREAMS = Number(o["streams-per-round"]);
const BURST_ROUNDS = Number(o["burst-rounds"]), CONC = Number(o.concurrency);
const started = Date.now(), ticks0 = P.cpuTicks();

const report: Record<string, unknown> = {
  when: new Date().toISOString(),
  machine: {
    cores: navigator.hardwareConcurrency,
    cpu: cpuModel(),
    kernel: Deno.osRelease(),
    loadavgAtStart: Deno.loadavg(),
  },
  versions: {} as Record<string, unknown>,
  hotpatchCmd: hotpatchCmd().join(" "),
  config: {
    nonStreaming: {
      rounds: ROUNDS,
      perRound: PER_ROUND,
      slice: 20,
      model: "perf-n16-d0 (16-word JSON answer)",
    },
    streaming: { rounds: ROUNDS, streamsPerRound: STREAMS, slice: 5, chunks: 200, interChunkMs: 0 },
    concurrency: { streams: CONC, chunks: 100, interChunkMs: 10, rounds: BURST_ROUNDS },
    nginx:
      "1 worker, upstream keepalive 128, proxy_buffering off, proxy_request_buffering off, 127.0.0.1 only",
    portkey:
      "node start-server.js --headless, x-portkey-provider: openai, x-portkey-custom-host: <mock>/v1",
    added:
      "median over rounds of (round median of system - round median of direct in the same round)",
    rss:
      "VmHWM of the largest process in the system's process group, read at the end (direct: the mock's)",
    cpu:
      "CPU time of the system's process group (all threads, /proc/*/task/*/schedstat) during its batches, per request or per content chunk (direct: the mock's)",
    chunkUs:
      "(median total - direct's, paired per round) / 200; chunkUsAfterFirst leaves out the time to first chunk; negative when a proxy merges chunks (the client reads fewer)",
  },
  systems: {} as Record<string, string>,
  startupMs: {} as Record<string, number>,
};
const systemsNote = report.systems as Record<string, string>;
const startupMs = report.startupMs as Record<string, number>;

let finishing = false;
async function finish(why = ""): Promise<never> {
  if (finishing) return await new Promise<never>(() => {});
  finishing = true;
  await stopAll().catch(() => {});
  report.seconds = Math.round((Date.now() - started) / 1000);
  const load = P.machineLoad(ticks0); // steal above a few % makes the numbers noisy
  (report.machine as Record<string, unknown>).duringRun = load;
  if (why) report.stoppedEarly = why;
  await Deno.mkdir(o.out!.replace(/\/[^/]*$/, "") || ".", { recursive: true }).catch(() => {});
  await Deno.writeTextFile(o.out!, JSON.stringify(report, null, 2) + "\n");
  console.log(
    `machine during the run: ${load.busyPct}% busy, ${load.stealPct}% steal; ${report.seconds} s`,
  );
  console.log(`report: ${o.out}`);
  if (why) console.log(`stopped early: ${why}`);
  if (report.summary) console.log(report.summary);
  Deno.exit(why ? 1 : 0);
}
setTimeout(() => finish(`deadline: not done within ${o.deadline} s`), Number(o.deadline) * 1000);
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(sig, () => finish(`stopped by ${sig}`));
}
globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  finish(`internal error: ${e.reason}`);
});

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.*)/.exec(Deno.readTextFileSync("/proc/cpuinfo"))?.[1] ?? "?";
  } catch {
    return "?";
  }
}
async function version(cmd: string[]): Promise<string> {
  try {
    const r = await new Deno.Command(cmd[0], {
      args: cmd.slice(1),
      stdout: "piped",
      stderr: "piped",
    }).output();
    return (new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr)).trim().split(
      "\n",
    )[0];
  } catch {
    return "not found";
  }
}

try {
  const versions = report.versions as Record<string, unknown>;
  versions.deno = Deno.version.deno;
  P.log("starting the mock");
  const direct = await P.startMock();
  const systems: P.System[] = [direct];
  const bursting: P.System[] = [direct];

  if (o["no-nginx"]) systemsNote.nginx = "skipped (--no-nginx)";
  else {
    try {
      systems.push(await P.startNginx(Number(new URL(direct.base).port)));
      versions.nginx = await version([P.nginxBin()!, "-v"]);
    } catch (e) {
      systemsNote.nginx = `skipped: ${e instanceof Error ? e.message : e}`;
    }
  }
  if (o["no-portkey"]) systemsNote.portkey = "skipped (--no-portkey)";
  else {
    try {
      const t0 = Date.now();
      systems.push(await P.startPortkey(direct.base));
      startupMs.portkey = Date.now() - t0;
      versions.node = await version(["node", "--version"]);
      versions.portkey = P.portkeyVersions();
    } catch (e) {
      systemsNote.portkey = `skipped: ${e instanceof Error ? e.message : e}`;
    }
  }
  try {
    systems.push(await P.startFloor(direct.base)); // bare Deno.serve + fetch: the least a Deno proxy can cost
  } catch (e) {
    systemsNote["deno-floor"] = `skipped: ${e instanceof Error ? e.message : e}`;
  }
  if (o["js-floor"]) {
    try {
      systems.push(await P.startFloor(direct.base, true)); // the least a proxy that watches bytes can cost
    } catch (e) {
      systemsNote["deno-js-floor"] = `skipped: ${e instanceof Error ? e.message : e}`;
    }
  }
  P.log(`starting hotpatch: ${hotpatchCmd().join(" ")}`);
  const t0 = Date.now();
  const hp = await P.startHotpatch(direct.base);
  startupMs.hotpatch = Date.now() - t0;
  systems.push(...hp);

  for (const s of [...systems]) {
    const why = await P.probe(s);
    if (!why) {
      systemsNote[s.name] ??= "ok";
      continue;
    }
    if (s === direct) throw new Error(`the mock itself fails the probe: ${why}`);
    systemsNote[s.name] = `left out: probe failed: ${why}`;
    systems.splice(systems.indexOf(s), 1);
  }
  const hpCorrect = systems.find((s) => s.name === "hotpatch(correct)");
  if (hpCorrect) bursting.push(hpCorrect);
  if (!o["no-burst-others"]) {
    bursting.push(
      ...systems.filter((s) =>
        s.name === "nginx" || s.name === "portkey" || s.name === "deno-floor" ||
        s.name === "deno-js-floor"
      ),
    );
  }
  P.log(`systems: ${systems.map((s) => s.name).join(", ")}`);

  P.log("warming up");
  await P.warmUp(systems, 300, 20);

  const routes = (r: P.Route) => systems.filter((s) => s.routes.includes(r));
  const ns: Record<string, Record<string, P.LatencyRow>> = {};
  const st: Record<string, Record<string, P.StreamRow>> = {};
  for (const r of ["openai", "ollama"] as const) {
    P.log(
      `non-streaming ${P.PATHS[r]}: ${ROUNDS} rounds × ${PER_ROUND} requests × ${
        routes(r).length
      } systems`,
    );
    ns[r] = await P.nonStreaming(routes(r), r, ROUNDS, PER_ROUND);
  }
  report.nonStreaming = ns;
  for (const r of ["openai", "ollama"] as const) {
    P.log(
      `streaming ${P.PATHS[r]}: ${ROUNDS} rounds × ${STREAMS} streams of 200 chunks × ${
        routes(r).length
      } systems`,
    );
    st[r] = await P.streaming(routes(r), r, ROUNDS, STREAMS, 200);
  }
  report.streaming = st;
  P.log(`concurrency: ${CONC} streams × ${BURST_ROUNDS} rounds × ${bursting.length} systems`);
  const burst = await P.concurrency(bursting, BURST_ROUNDS, CONC, 100, 10);
  const rss: Record<string, number> = {}; // mock, nginx, portkey, hotpatch
  const rssKey = (name: string) => (name === "direct" ? "mock" : name.replace(/\(.*/, ""));
  for (const s of systems) {
    if (s.proc && rss[rssKey(s.name)] === undefined) {
      rss[rssKey(s.name)] = Math.round(P.groupPeakRssKb(s.proc.pid).kb / 102.4) / 10;
    }
  }
  for (const [k, v] of Object.entries(burst)) v.peakRssMB = rss[rssKey(k)];
  report.concurrency = burst;
  report.peakRssMB = rss;

  const out: string[] = [];
  for (const r of ["openai", "ollama"] as const) {
    out.push(
      `\nNon-streaming POST ${P.PATHS[r]} (${ROUNDS}×${PER_ROUND} sequential requests per system)`,
    );
    out.push(
      P.table(
        ["system", "p50", "p99", "added p50", "added p99", "x direct", "CPU/req", "errors"],
        Object.entries(ns[r]).map((
          [k, v],
        ) => [
          k,
          P.fmtMs(v.p50Ms),
          P.fmtMs(v.p99Ms),
          k === "direct" ? "-" : P.fmtMs(v.addedP50Ms),
          k === "direct" ? "-" : P.fmtMs(v.addedP99Ms),
          v.ratioP50.toFixed(2),
          `${k === "direct" ? "mock " : ""}${P.fmtUs(v.cpuUsPerReq)}`,
          v.errors,
        ]),
      ),
    );
  }
  for (const r of ["openai", "ollama"] as const) {
    out.push(
      `\nStreaming POST ${
        P.PATHS[r]
      }, 200 chunks back to back (${ROUNDS}×${STREAMS} streams per system)`,
    );
    out.push(
      P.table(
        [
          "system",
          "first chunk",
          "total",
          "added first",
          "added total",
          "per chunk",
          "per chunk after 1st",
          "x direct",
          "CPU/chunk",
          "errors",
        ],
        Object.entries(st[r]).map((
          [k, v],
        ) => [
          k,
          P.fmtMs(v.ttfcP50Ms),
          P.fmtMs(v.totalP50Ms),
          k === "direct" ? "-" : P.fmtMs(v.addedTtfcMs),
          k === "direct" ? "-" : P.fmtMs(v.addedTotalMs),
          k === "direct" ? "-" : P.fmtUs(v.chunkUs),
          k === "direct" ? "-" : P.fmtUs(v.chunkUsAfterFirst),
          v.ratioTotal.toFixed(2),
          `${k === "direct" ? "mock " : ""}${P.fmtUs(v.cpuUsPerChunk)}`,
          v.errors,
        ]),
      ),
    );
  }
  out.push(
    `\nConcurrency: ${CONC} streams at once, 100 chunks 10 ms apart, ${BURST_ROUNDS} rounds`,
  );
  out.push(
    P.table(
      [
        "system",
        "completed",
        "errors",
        "p50",
        "p99",
        "max",
        "p99 added",
        "p99 x direct",
        "CPU/chunk",
        "peak RSS",
      ],
      Object.entries(burst).map((
        [k, v],
      ) => [
        k,
        `${v.completed}/${v.streams}`,
        v.errors,
        P.fmtMs(v.p50Ms),
        P.fmtMs(v.p99Ms),
        P.fmtMs(v.maxMs),
        k === "direct" ? "-" : P.fmtMs(v.p99AddedMs),
        v.p99Ratio.toFixed(2),
        `${k === "direct" ? "mock " : ""}${P.fmtUs(v.cpuUsPerChunk)}`,
        v.peakRssMB === undefined ? "n/a" : `${k === "direct" ? "mock " : ""}${v.peakRssMB}MB`,
      ]),
    ),
  );
  const errs = [...Object.values(ns), ...Object.values(st), burst].flatMap((g) => Object.entries(g))
    .filter(([, v]) => v.firstError);
  if (errs.length) {
    out.push(
      "\nFirst error per system:",
      ...errs.map(([k, v]) => `  ${k}: ${v.firstError}`),
    );
  }
  const notes = Object.entries(systemsNote).filter(([, v]) => v !== "ok");
  if (notes.length) out.push("\nSystems left out:", ...notes.map(([k, v]) => `  ${k}: ${v}`));
  out.push(
    `\nStartup to first healthy answer: ${
      Object.entries(startupMs).map(([k, v]) => `${k} ${v} ms`).join(", ")
    }`,
  );
  console.log(out.join("\n") + "\n");
  report.summary = P.summaryLine(ns.openai, st.openai, burst["hotpatch(correct)"], rss.hotpatch);
} catch (e) {
  await finish(`setup failed: ${e instanceof Error ? e.message : e}`);
}
await finish();
