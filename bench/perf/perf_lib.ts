// The perf comparison's machinery (perf.ts, perf_bar.ts): the mock, nginx, Portkey and hotpatch on loopback,
// the three measurements (sequential non-streaming latency, a fast 200-chunk stream, 256 concurrent paced
// streams), interleaved in rounds, and the statistics.
import { EVAL_DIR, freePort, Proc, prose, sleep, startProxy, tempDir, waitHttp } from "./lib.ts";

export type Route = "openai" | "ollama";
export const PATHS: Record<Route, string> = { openai: "/v1/chat/completions", ollama: "/api/chat" };

/** One thing a client can talk to: the mock itself or a proxy in front of it (several systems may share a process). */
export interface System {
  name: string;
  base: string;
  headers: Record<string, string>;
  routes: Route[];
  proc?: Proc;
}

const MOCK_WORDS = prose(4000, 11).split(" ");
/** The words the mock streams for n chunks, each with its leading space (perf_mock.ts uses this too). */
export const mockWords = (n: number) =>
  Array.from({ length: n }, (_, i) => " " + MOCK_WORDS[i % MOCK_WORDS.length]);
export const mockText = (n: number) => mockWords(n).join("").trimStart();

const exists = (p: string) => {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
};
export const log = (s: string) => console.error(`· ${s}`);

// ---------- starting things ----------

export async function startMock(): Promise<System> {
  const port = freePort();
  const proc = new Proc([
    Deno.execPath(),
    "run",
    "-A",
    "--no-config",
    `${EVAL_DIR}perf_mock.ts`,
    "--port",
    String(port),
  ]);
  const base = `http://127.0.0.1:${port}`;
  if (!(await waitHttp(`${base}/health`, 15000, proc))) {
    throw new Error(`perf mock did not start: ${proc.lastErr()}`);
  }
  return { name: "direct", base, headers: {}, routes: ["openai", "ollama"], proc };
}

/**
 * A bare Deno.serve + fetch pass-through proxy (floor_proxy.ts): the runtime floor, measured in the same run.
 * `watched`: the body through one minimal JavaScript stream (the floor of a proxy that watches its bytes).
 */
export async function startFloor(upstreamBase: string, watched = false): Promise<System> {
  const port = freePort();
  const proc = new Proc([
    Deno.execPath(),
    "run",
    "-A",
    "--no-config",
    `${EVAL_DIR}floor_proxy.ts`,
    "--port",
    String(port),
    "--upstream",
    upstreamBase,
    ...(watched ? ["--watched"] : []),
  ]);
  const base = `http://127.0.0.1:${port}`;
  if (!(await waitHttp(`${base}/hotpatch/health`, 15000, proc))) {
    throw new Error(`floor proxy did not start: ${proc.lastErr()}`);
  }
  return {
    name: watched ? "deno-js-floor" : "deno-floor",
    base,
    headers: {},
    routes: ["openai", "ollama"],
    proc,
  };
}

export function nginxBin(): string | null {
  const dirs = [
    ...(Deno.env.get("PATH") ?? "").split(":"),
    "/usr/sbin",
    "/usr/local/sbin",
    "/usr/local/nginx/sbin",
  ];
  return dirs.map((d) => `${d}/nginx`).find(exists) ?? null;
}

/** nginx as a plain reverse proxy: one worker, keep-alive to the upstream, no buffering, loopback only. */
export async function startNginx(upstreamPort: number): Promise<System> {
  const bin = nginxBin();
  if (!bin) throw new Error("nginx is not installed (apt-get install nginx)");
  const dir = await tempDir();
  await Deno.chmod(dir, 0o755); // the worker runs as nobody when started by root
  const port = freePort();
  const conf = `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream mock {
    server 127.0.0.1:${upstreamPort};
    keepalive 128;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 120s;
    }
  }
}
`;
  await Deno.writeTextFile(`${dir}/nginx.conf`, conf);
  const proc = new Proc([
    bin,
    "-p",
    `${dir}/`,
    "-c",
    `${dir}/nginx.conf`,
    "-e",
    `${dir}/error.log`,
  ]);
  const base = `http://127.0.0.1:${port}`;
  if (!(await waitHttp(`${base}/health`, 10000, proc))) {
    await proc.stop();
    throw new Error(
      `nginx did not start: ${
        proc.lastErr() || Deno.readTextFileSync(`${dir}/error.log`).trim().split("\n").at(-1)
      }`,
    );
  }
  return { name: "nginx", base, headers: {}, routes: ["openai", "ollama"], proc };
}

export const PORTKEY_DIR = Deno.env.get("PORTKEY_DIR") ?? "/tmp/portkey";
export const PORTKEY_ENTRY =
  `${PORTKEY_DIR}/node_modules/@portkey-ai/gateway/build/start-server.js`;
export const portkeyInstalled = () => exists(PORTKEY_ENTRY);

/** Its start-server.js listens on every interface (no host option): this preload puts a bare port on 127.0.0.1. */
const LOOPBACK_PRELOAD = `import net from "node:net";
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...a) {
  if (typeof a[0] === "number" && (a[1] === undefined || typeof a[1] === "function")) a.splice(1, a[1] === undefined ? 1 : 0, "127.0.0.1");
  return listen.apply(this, a);
};
`;

function pkgVersion(dir: string): string {
  try {
    return JSON.parse(Deno.readTextFileSync(`${dir}/package.json`)).version;
  } catch {
    return "?";
  }
}
export function portkeyVersions(): Record<string, string> {
  const nm = `${PORTKEY_DIR}/node_modules`;
  return {
    gateway: pkgVersion(`${nm}/@portkey-ai/gateway`),
    "@hono/node-server": pkgVersion(`${nm}/@hono/node-server`),
    hono: pkgVersion(`${nm}/hono`),
  };
}

/** Portkey's gateway on Node, routing OpenAI-shaped requests to the mock as a custom host. */
export async function startPortkey(upstreamBase: string, readyMs = 15000): Promise<System> {
  if (!portkeyInstalled()) {
    throw new Error(`Portkey is not installed in ${PORTKEY_DIR} (eval/perf.sh installs it)`);
  }
  const dir = await tempDir();
  await Deno.writeTextFile(`${dir}/loopback.mjs`, LOOPBACK_PRELOAD);
  const port = freePort();
  const proc = new Proc([
    "node",
    "--import",
    `file://${dir}/loopback.mjs`,
    PORTKEY_ENTRY,
    `--port=${port}`,
    "--headless",
  ]);
  const base = `http://127.0.0.1:${port}`;
  if (!(await waitHttp(`${base}/`, readyMs, proc))) {
    await proc.stop();
    throw new Error(
      `Portkey did not answer GET / within ${readyMs / 1000} s: ${proc.lastErr() || "no stderr"}`,
    );
  }
  const headers = {
    "x-portkey-provider": "openai",
    "x-portkey-custom-host": `${upstreamBase}/v1`,
    authorization: "Bearer sk-perf",
  };
  return { name: "portkey", base, headers, routes: ["openai"], proc };
}

/** hotpatch (or $HOTPATCH_CMD) in front of the mock, as three systems: one per x-hotpatch-mode. */
export async function startHotpatch(upstreamBase: string): Promise<System[]> {
  const p = await startProxy(upstreamBase);
  return (["off", "detect", "correct"] as const).map((mode) => ({
    name: `hotpatch(${mode})`,
    base: p.base,
    headers: { "x-hotpatch-mode": mode },
    routes: ["openai", "ollama"] as Route[],
    proc: p.proc,
  }));
}

/** The pids of a process group's processes. */
export function groupPids(pgid: number): number[] {
  const out: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) === pgid) {
        out.push(Number(e.name));
      }
    } catch { /* gone */ }
  }
  return out;
}

/** The largest VmHWM (peak RSS, kB) among the processes of a process group, and how many there are. */
export function groupPeakRssKb(pgid: number): { kb: number; procs: number } {
  let kb = 0, procs = 0;
  for (const pid of groupPids(pgid)) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
      if (m) {
        kb = Math.max(kb, Number(m[1]));
        procs++;
      }
    } catch { /* gone */ }
  }
  return { kb, procs };
}

/** CPU time (ms) used so far by every thread of the given processes (schedstat: ns on CPU). */
export function cpuMs(pids: number[]): number {
  let ns = 0;
  for (const pid of pids) {
    try {
      for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
        try {
          ns += Number(
            Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/schedstat`).split(" ")[0],
          );
        } catch { /* gone */ }
      }
    } catch { /* gone */ }
  }
  return ns / 1e6;
}

/** The machine's CPU counters (/proc/stat "cpu" line, in ticks): `since(before)` gives busy and steal % in between. */
export function cpuTicks(): number[] {
  try {
    return Deno.readTextFileSync("/proc/stat").split("\n")[0].trim().split(/\s+/).slice(1).map(
      Number,
    );
  } catch {
    return [];
  }
}
export function machineLoad(
  before: number[],
  after = cpuTicks(),
): { busyPct: number; stealPct: number } {
  const d = after.map((x, i) => x - (before[i] ?? 0));
  const total = d.slice(0, 8).reduce((a, b) => a + b, 0) || 1; // user nice system idle iowait irq softirq steal
  const pct = (x: number) => Math.round((1000 * x) / total) / 10;
  return {
    busyPct: pct(total - (d[3] ?? 0) - (d[4] ?? 0) - (d[7] ?? 0)),
    stealPct: pct(d[7] ?? 0),
  };
}

/** A CPU meter per system: `take(i)` is the CPU ms its process group used since the last take. */
function cpuMeters(systems: System[]) {
  const pids = systems.map((s) => (s.proc ? groupPids(s.proc.pid) : []));
  const last = pids.map((p) => cpuMs(p));
  return {
    take(i: number): number {
      const now = cpuMs(pids[i]), d = now - last[i];
      last.forEach((_, j) => {
        if (pids[j].join() === pids[i].join()) last[j] = now;
      }); // modes share a process
      return d;
    },
  };
}

// ---------- requests ----------

const JSON_CT = { "content-type": "application/json", authorization: "Bearer sk-perf" };

/** A prepared request (the same for every call, so the client's own cost is the same for all systems); both routes
 * take the same body shape. `model` tells the mock what to send: "perf-n200-d0" = 200 chunks, 0 ms apart. */
export interface Req {
  url: string;
  init: RequestInit;
  route: Route;
}
export function req(sys: System, route: Route, model: string, stream: boolean): Req {
  const body = JSON.stringify({
    model,
    messages: [{ role: "user", content: "Tell me something." }],
    stream,
  });
  return {
    url: sys.base + PATHS[route],
    init: { method: "POST", headers: { ...JSON_CT, ...sys.headers }, body },
    route,
  };
}

/** One non-streaming request: wall time in ms; throws on a bad status. */
export async function timedJson(r: Req): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(r.url, { ...r.init, signal: AbortSignal.timeout(15000) });
  const b = await res.arrayBuffer();
  const dt = performance.now() - t0;
  if (res.status !== 200) {
    throw new Error(`status ${res.status}: ${new TextDecoder().decode(b.slice(0, 160))}`);
  }
  return dt;
}

export interface StreamResult {
  ttfc: number;
  total: number;
  events: number;
  bytes: number;
  text?: string;
}

const END: Record<Route, (tail: string) => boolean> = {
  openai: (t) => /data: \[DONE\]\s*$/.test(t),
  ollama: (t) => /"done"\s*:\s*true[^\n]*\n?\s*$/.test(t),
};

/** Reads one stream to its end: ms to the first body bytes, ms to the end, events (SSE blank lines / NDJSON lines);
 * throws on a bad status, a read error, or a missing end marker. `collect` also returns the concatenated content. */
export async function timedStream(
  r: Req,
  collect = false,
  timeoutMs = 30000,
): Promise<StreamResult> {
  const t0 = performance.now();
  const res = await fetch(r.url, { ...r.init, signal: AbortSignal.timeout(timeoutMs) });
  if (res.status !== 200) {
    throw new Error(`status ${res.status}: ${(await res.text()).slice(0, 160)}`);
  }
  const reader = res.body!.getReader();
  const sse = r.route === "openai";
  let ttfc = -1, events = 0, bytes = 0, prev = 0;
  let last = new Uint8Array(0), before = last; // the last two reads: the end marker may straddle them
  const parts: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value.length) continue;
    if (ttfc < 0) ttfc = performance.now() - t0;
    bytes += value.length;
    for (let i = 0; i < value.length; i++) {
      const c = value[i];
      if (c === 10 && (!sse || prev === 10)) events++;
      if (c !== 13) prev = c;
    }
    if (collect) parts.push(value);
    before = last;
    last = value;
  }
  const total = performance.now() - t0;
  const tailText = new TextDecoder().decode(
    concatBytes([before.subarray(-512), last.subarray(-512)]),
  ).slice(-512);
  if (!END[r.route](tailText)) {
    throw new Error(`no end marker; ends ${JSON.stringify(tailText.slice(-80))}`);
  }
  const out: StreamResult = { ttfc, total, events, bytes };
  if (collect) out.text = content(r.route, new TextDecoder().decode(concatBytes(parts)));
  return out;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The text content a client sees in a streamed body. */
export function content(route: Route, raw: string): string {
  let s = "";
  if (route === "openai") {
    for (const block of raw.split(/\r?\n\r?\n/)) {
      const data = block.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) =>
        l.slice(5).trimStart()
      ).join("\n");
      if (!data || data === "[DONE]") continue;
      const o = JSON.parse(data);
      const c = o.choices?.[0]?.delta?.content;
      if (typeof c === "string") s += c;
    }
  } else {
    for (const line of raw.split("\n")) {
      if (!line.trim()) continue;
      const c = JSON.parse(line).message?.content;
      if (typeof c === "string") s += c;
    }
  }
  return s;
}

/** Checks that a system answers both shapes with the mock's content; "" when fine, else why not. */
export async function probe(sys: System): Promise<string> {
  try {
    for (const route of sys.routes) {
      const r = req(sys, route, "perf-n16-d0", false);
      const res = await fetch(r.url, { ...r.init, signal: AbortSignal.timeout(10000) });
      const t = await res.text();
      if (res.status !== 200) {
        return `${PATHS[route]} non-stream: status ${res.status}: ${t.slice(0, 160)}`;
      }
      const j = JSON.parse(t);
      const got = route === "openai" ? j.choices?.[0]?.message?.content : j.message?.content;
      if (got !== mockText(16)) {
        return `${PATHS[route]} non-stream: content ${JSON.stringify(String(got).slice(0, 80))}`;
      }
      const s = await timedStream(req(sys, route, "perf-n24-d0", true), true, 10000);
      if (s.text?.trim() !== mockText(24)) {
        return `${PATHS[route]} stream: content ${JSON.stringify(s.text?.slice(0, 80))}`;
      }
    }
    return "";
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// ---------- statistics ----------

export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
export const median = (xs: number[]) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** The paired per-round difference, summarised: median over rounds of (stat(sys in round r) − stat(direct in round r)). */
export const pairedAdded = (sys: number[][], direct: number[][], stat: (xs: number[]) => number) =>
  median(sys.map((xs, r) => stat(xs) - stat(direct[r])));
const rotate = <T>(xs: T[], k: number) => xs.map((_, i) => xs[(i + k) % xs.length]);
const round3 = (x: number) => Math.round(x * 1000) / 1000;

// ---------- the three measurements ----------

export interface LatencyRow {
  cpuUsPerReq: number;
  p50Ms: number;
  p99Ms: number;
  roundMediansMs: number[];
  addedP50Ms: number;
  addedP99Ms: number;
  ratioP50: number;
  errors: number;
  firstError?: string;
}

/** Runs `one(i, first)` for each system i: `rounds` rounds of `perRound` calls per system, the systems taking turns
 * in slices of `slice` calls (the order rotated every turn) so that drift hits them alike; the CPU time of each
 * system's process group is metered per slice. `first` is true for the first call of a system in a round. */
async function interleaved<T>(
  systems: System[],
  rounds: number,
  perRound: number,
  slice: number,
  one: (i: number, first: boolean) => Promise<T>,
) {
  const res = systems.map(() => Array.from({ length: rounds }, () => [] as T[]));
  const errors = systems.map(() => ({ n: 0, first: "" }));
  const cpu = systems.map(() => 0), meter = cpuMeters(systems);
  let turn = 0;
  for (let r = 0; r < rounds; r++) {
    for (let from = 0; from < perRound; from += slice) {
      for (const i of rotate(systems.map((_, i) => i), turn++)) {
        meter.take(i);
        for (let k = from; k < Math.min(perRound, from + slice); k++) {
          try {
            res[i][r].push(await one(i, k === 0));
          } catch (e) {
            errors[i].n++;
            errors[i].first ||= String(e instanceof Error ? e.message : e);
          }
        }
        cpu[i] += meter.take(i);
      }
    }
  }
  return {
    res,
    cpu,
    errors: errors.map((e) => ({ errors: e.n, ...(e.first ? { firstError: e.first } : {}) })),
  };
}

/** Sequential non-streaming requests: `rounds` rounds of `perRound` requests per system, interleaved in slices. */
export async function nonStreaming(
  systems: System[],
  route: Route,
  rounds: number,
  perRound: number,
  slice = 20,
  model = "perf-n16-d0",
): Promise<Record<string, LatencyRow>> {
  const reqs = systems.map((s) => req(s, route, model, false));
  const { res: samples, cpu, errors } = await interleaved(
    systems,
    rounds,
    perRound,
    slice,
    (i) => timedJson(reqs[i]),
  );
  const out: Record<string, LatencyRow> = {};
  const d = samples[0], dAll = d.flat();
  systems.forEach((s, i) => {
    const all = samples[i].flat();
    out[s.name] = {
      cpuUsPerReq: Math.round((cpu[i] * 10000) / (rounds * perRound)) / 10,
      p50Ms: round3(quantile(all, 0.5)),
      p99Ms: round3(quantile(all, 0.99)),
      roundMediansMs: samples[i].map((xs) => round3(median(xs))),
      addedP50Ms: round3(pairedAdded(samples[i], d, median)),
      addedP99Ms: round3(quantile(all, 0.99) - quantile(dAll, 0.99)),
      ratioP50: round3(quantile(all, 0.5) / quantile(dAll, 0.5)),
      ...errors[i],
    };
  });
  return out;
}

export interface StreamRow {
  cpuUsPerChunk: number;
  ttfcP50Ms: number;
  totalP50Ms: number;
  totalP99Ms: number;
  addedTtfcMs: number;
  addedTotalMs: number;
  chunkUs: number;
  chunkUsAfterFirst: number;
  ratioTotal: number;
  eventsMin: number;
  errors: number;
  firstError?: string;
}

/** Sequential streams of `chunks` content chunks sent back to back, interleaved in slices; the first stream of each
 * system in a round has its text checked against the mock's. */
export async function streaming(
  systems: System[],
  route: Route,
  rounds: number,
  perRound: number,
  chunks = 200,
  slice = 5,
): Promise<Record<string, StreamRow>> {
  const reqs = systems.map((s) => req(s, route, `perf-n${chunks}-d0`, true));
  const want = mockText(chunks);
  const { res, cpu, errors } = await interleaved(
    systems,
    rounds,
    perRound,
    slice,
    async (i, first) => {
      const s = await timedStream(reqs[i], first);
      if (first && s.text?.trim() !== want) {
        throw new Error(
          `content differs: ${JSON.stringify(s.text?.slice(0, 60))}`,
        );
      }
      return s;
    },
  );
  const totals = res.map((rs) => rs.map((xs) => xs.map((x) => x.total)));
  const ttfcs = res.map((rs) => rs.map((xs) => xs.map((x) => x.ttfc)));
  const rest = res.map((rs) => rs.map((xs) => xs.map((x) => x.total - x.ttfc)));
  const out: Record<string, StreamRow> = {};
  systems.forEach((s, i) => {
    const addedTotal = pairedAdded(totals[i], totals[0], median);
    out[s.name] = {
      cpuUsPerChunk: Math.round((cpu[i] * 10000) / (rounds * perRound * chunks)) / 10,
      ttfcP50Ms: round3(median(ttfcs[i].flat())),
      totalP50Ms: round3(median(totals[i].flat())),
      totalP99Ms: round3(quantile(totals[i].flat(), 0.99)),
      addedTtfcMs: round3(pairedAdded(ttfcs[i], ttfcs[0], median)),
      addedTotalMs: round3(addedTotal),
      chunkUs: Math.round((addedTotal / chunks) * 10000) / 10,
      chunkUsAfterFirst: Math.round((pairedAdded(rest[i], rest[0], median) / chunks) * 10000) / 10,
      ratioTotal: round3(median(totals[i].flat()) / median(totals[0].flat())),
      eventsMin: res[i].flat().length ? Math.min(...res[i].flat().map((x) => x.events)) : 0,
      ...errors[i],
    };
  });
  return out;
}

export interface BurstRow {
  concurrent: number;
  rounds: number;
  streams: number;
  cpuUsPerChunk: number;
  completed: number;
  errors: number;
  firstError?: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  p99AddedMs: number;
  p99Ratio: number;
  eventsMin: number;
  peakRssMB?: number;
}

/** `n` concurrent paced streams (chunks × delayMs each), `rounds` times per system, systems rotated per round. */
export async function concurrency(
  systems: System[],
  rounds: number,
  n = 256,
  chunks = 100,
  delayMs = 10,
): Promise<Record<string, BurstRow>> {
  const reqs = systems.map((s) => req(s, "openai", `perf-n${chunks}-d${delayMs}`, true));
  const totals = systems.map(() => [] as number[]);
  const events = systems.map(() => [] as number[]);
  const errors = systems.map(() => ({ n: 0, first: "" }));
  const want = mockText(chunks);
  const cpu = systems.map(() => 0), meter = cpuMeters(systems);
  for (let r = 0; r < rounds; r++) {
    for (const i of rotate(systems.map((_, i) => i), r)) {
      meter.take(i);
      await Promise.all(Array.from({ length: n }, async (_, k) => {
        try {
          const s = await timedStream(reqs[i], k === 0, 60000);
          if (k === 0 && s.text?.trim() !== want) {
            throw new Error(`content differs: ${JSON.stringify(s.text?.slice(0, 60))}`);
          }
          totals[i].push(s.total);
          events[i].push(s.events);
        } catch (e) {
          errors[i].n++;
          errors[i].first ||= String(e instanceof Error ? e.message : e);
        }
      }));
      cpu[i] += meter.take(i);
      await sleep(200);
    }
  }
  const out: Record<string, BurstRow> = {};
  const d99 = quantile(totals[0], 0.99);
  systems.forEach((s, i) => {
    const p99 = quantile(totals[i], 0.99);
    out[s.name] = {
      concurrent: n,
      rounds,
      streams: n * rounds,
      cpuUsPerChunk: Math.round((cpu[i] * 10000) / (n * rounds * chunks)) / 10,
      completed: totals[i].length,
      errors: errors[i].n,
      ...(errors[i].first ? { firstError: errors[i].first } : {}),
      p50Ms: round3(quantile(totals[i], 0.5)),
      p99Ms: round3(p99),
      maxMs: round3(Math.max(...totals[i])),
      p99AddedMs: round3(p99 - d99),
      p99Ratio: round3(p99 / d99),
      eventsMin: events[i].length ? Math.min(...events[i]) : 0,
    };
  });
  return out;
}

/** Warms each system's JIT and connection pool: `json` non-streaming requests and `streams` short streams per route. */
export async function warmUp(systems: System[], json: number, streams: number): Promise<void> {
  for (const s of systems) {
    for (const route of s.routes) {
      const j = req(s, route, "perf-n16-d0", false), st = req(s, route, "perf-n200-d0", true);
      for (let k = 0; k < json; k++) await timedJson(j).catch(() => {});
      for (let k = 0; k < streams; k++) await timedStream(st).catch(() => {});
    }
  }
}

// ---------- presenting ----------

export const fmtMs = (
  x: number | undefined,
) => (x === undefined || Number.isNaN(x) ? "n/a" : `${x.toFixed(Math.abs(x) < 10 ? 2 : 1)}ms`);
export const fmtUs = (
  x: number | undefined,
) => (x === undefined || Number.isNaN(x) ? "n/a" : `${x.toFixed(1)}us`);
const signed = (f: (x: number) => string) =>
(
  x: number | undefined,
) => (x === undefined || Number.isNaN(x) ? "n/a" : `${x < 0 ? "-" : "+"}${f(Math.abs(x))}`);
export const plusMs = signed(fmtMs);
export const plusUs = signed(fmtUs);

export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  return cells.map((r, i) => {
    const line = r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join("  ");
    return i === 0 ? `${line}\n${w.map((n) => "-".repeat(n)).join("  ")}` : line;
  }).join("\n");
}

/** The one-line summary: hotpatch(correct)'s added p50 (with nginx and Portkey for scale), per-chunk cost, 256 streams, RSS. */
export function summaryLine(
  ns: Record<string, LatencyRow>,
  st: Record<string, StreamRow>,
  burst: BurstRow | undefined,
  rssMB: number | undefined,
): string {
  const hp = "hotpatch(correct)";
  const others = ["nginx", "portkey"].filter((k) => ns[k]).map((k) =>
    `${k} ${fmtMs(ns[k].addedP50Ms)}`
  );
  const streams = !burst
    ? "streams n/a"
    : burst.errors === 0 && burst.completed === burst.streams
    ? `${burst.concurrent} streams ok`
    : `${burst.concurrent} streams: ${burst.errors}/${burst.streams} failed`;
  return `hotpatch(correct) added p50=${fmtMs(ns[hp]?.addedP50Ms)}${
    others.length ? ` (${others.join(", ")})` : ""
  }; ` +
    `chunk ${plusUs(st[hp]?.chunkUs)}; ${streams}, RSS ${
      rssMB === undefined ? "n/a" : `${Math.round(rssMB)}MB`
    }`;
}
