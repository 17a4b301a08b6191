// Shared helpers for the hotpatch bars: processes, ports, stream reading, protocol summaries, tally.
export type Json = Record<string, unknown>;
export const EVAL_DIR = new URL(".", import.meta.url).pathname;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seeded PRNG (mulberry32): the same seed gives the same sequence in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plain, non-repetitive English-like prose of `count` words (no paths, tags or code). */
export function prose(count: number, seed: number): string {
  const words =
    ("model answer question server client stream token request response careful simple quick bright " +
      "river garden window morning evening letter number summer winter yellow silver little gentle open close " +
      "build check write read travel follow remember explain discover notice carry gather measure wonder " +
      "always often rarely before after during between under above around across beyond within without " +
      "small large early late quiet loud warm cold heavy light north south city village forest mountain ocean " +
      "teacher student friend neighbor doctor artist farmer sailor painter writer").split(" ");
  const rand = rng(seed);
  const out: string[] = [];
  for (let left = count; left > 0;) {
    const n = Math.min(left, 6 + Math.floor(rand() * 9));
    const s = Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(" ");
    out.push(s[0].toUpperCase() + s.slice(1) + ".");
    left -= n;
  }
  return out.join(" ");
}

// ---------- processes ----------

const procs = new Set<Proc>();
const tmpDirs: string[] = [];

/** A child process in its own process group; stop() ends that group only (SIGTERM, then SIGKILL). */
export class Proc {
  readonly child: Deno.ChildProcess;
  readonly pid: number;
  stdout = "";
  stderr = "";
  readonly status: Promise<Deno.CommandStatus>;
  #code: number | null = null;

  constructor(readonly cmd: string[]) {
    this.child = new Deno.Command(cmd[0], {
      args: cmd.slice(1),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
    this.pid = this.child.pid;
    procs.add(this);
    const collect = async (s: ReadableStream<Uint8Array>, key: "stdout" | "stderr") => {
      for await (const t of s.pipeThrough(new TextDecoderStream())) {
        this[key] = (this[key] + t).slice(-65536);
      }
    };
    const drained = Promise.all([
      collect(this.child.stdout, "stdout"),
      collect(this.child.stderr, "stderr"),
    ]).catch(() => {});
    this.status = this.child.status.then(async (s) => {
      this.#code = s.code;
      procs.delete(this);
      await Promise.race([drained, sleep(500)]);
      return s;
    });
  }

  get exited(): boolean {
    return this.#code !== null;
  }

  /** The last `error...` line of stderr, else its last line. */
  lastErr(): string {
    const lines = errLines(this.stderr);
    return lines.findLast((l) => /^error\b/i.test(l)) ?? lines.at(-1) ?? "";
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const kill = (sig: Deno.Signal) => {
      try {
        Deno.kill(-this.pid, sig);
      } catch { /* already gone */ }
    };
    kill("SIGTERM");
    if (await Promise.race([this.status.then(() => true), sleep(3000).then(() => false)])) return;
    kill("SIGKILL");
    await this.status;
  }

  /** Waits for exit at most `ms`; stops the process when it is still running then. */
  async wait(ms: number): Promise<Deno.CommandStatus | null> {
    const s = await Promise.race([this.status, sleep(ms).then(() => null)]);
    if (!s) await this.stop();
    return s;
  }
}

/** Meaningful stderr lines: no colors, no Deno "Download ..." progress, nothing from "Stack backtrace:" on. */
export function errLines(stderr: string): string[] {
  // deno-lint-ignore no-control-regex
  const plain = stderr.replace(/\x1b\[[0-9;]*m/g, "").split(/^Stack backtrace:$/m)[0];
  return plain.split("\n").map((l) => l.trim()).filter((l) => l && !/^Download\s/.test(l));
}

export async function stopAll(): Promise<void> {
  await Promise.all([...procs].map((p) => p.stop()));
  for (const d of tmpDirs) await Deno.remove(d, { recursive: true }).catch(() => {});
}

export async function tempDir(): Promise<string> {
  const d = await Deno.makeTempDir({ prefix: "hp-bar-" });
  tmpDirs.push(d);
  return d;
}

export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

/** Polls `url` until it answers 200 (true), the process exits, or `ms` pass (false). */
export async function waitHttp(
  url: string,
  ms: number,
  proc?: Proc,
  headers: HeadersInit = {},
): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end && !proc?.exited) {
    try {
      const r = await fetch(url, { headers, signal: AbortSignal.timeout(1000) });
      await r.body?.cancel();
      if (r.status === 200) return true;
    } catch { /* not up yet */ }
    await sleep(100);
  }
  return false;
}

// ---------- the product and the fake upstream ----------

/** The start command: $HOTPATCH_CMD (whitespace-separated) or `deno run -A main.ts serve`. */
export function hotpatchCmd(): string[] {
  const words = (Deno.env.get("HOTPATCH_CMD") ?? "deno run -A main.ts serve").trim().split(/\s+/);
  if (words[0] === "deno") words[0] = Deno.execPath();
  return words;
}

/** The CLI prefix: the start command without its trailing `serve`. */
export function cliCmd(): string[] {
  const w = hotpatchCmd();
  return w.at(-1) === "serve" ? w.slice(0, -1) : w;
}

export interface Case {
  id: string;
  text: string;
  thinking?: string;
  tool_calls?: { name: string; arguments: string }[];
  finish?: string;
  chunks?: number;
  words?: boolean;
  delay_ms?: number;
}

/** A `read_file` tool as clients offer it (Ollama and OpenAI use the same shape). */
export const TOOLS = [{
  type: "function",
  function: {
    name: "read_file",
    description: "Read a file",
    parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
}];

/** Thinking, text and two `read_file` calls on files that `workspace()` creates. */
export const TOOLS_CASE: Case = {
  id: "tools",
  text: "Let me look at both files — ça va ✓ 🦊.",
  thinking: "The user wants the entry point.",
  tool_calls: [{ name: "read_file", arguments: '{"path":"src/app.ts"}' }, {
    name: "read_file",
    arguments: '{"path":"README.md"}',
  }],
};

/** A temp workspace holding src/app.ts and README.md. */
export async function workspace(): Promise<string> {
  const ws = await tempDir();
  await Deno.mkdir(`${ws}/src`);
  await Deno.writeTextFile(`${ws}/src/app.ts`, "export const app = 1;\n");
  await Deno.writeTextFile(`${ws}/README.md`, "# demo\n");
  return ws;
}

export interface Fake {
  proc: Proc;
  port: number;
  base: string;
  casesFile: string;
}

export async function startFake(cases: Case[], port = freePort()): Promise<Fake> {
  const dir = await tempDir();
  const casesFile = `${dir}/cases.jsonl`;
  await Deno.writeTextFile(casesFile, cases.map((c) => JSON.stringify(c)).join("\n") + "\n");
  return await restartFake(casesFile, port);
}

export async function restartFake(casesFile: string, port: number): Promise<Fake> {
  const proc = new Proc([
    Deno.execPath(),
    "run",
    "-A",
    "--no-config",
    `${EVAL_DIR}fake_upstream.ts`,
    "--port",
    String(port),
    "--cases",
    casesFile,
  ]);
  const base = `http://127.0.0.1:${port}`;
  if (!(await waitHttp(`${base}/health`, 15000, proc))) {
    throw new Error(`fake upstream did not start: ${proc.lastErr()}`);
  }
  return { proc, port, base, casesFile };
}

export interface Proxy {
  proc: Proc;
  port: number;
  base: string;
  db: string;
  workspace: string;
}

/** Starts hotpatch in the current directory and waits for GET /hotpatch/health. */
export async function startProxy(
  upstream: string,
  o: { db?: string; workspace?: string; extra?: string[]; headers?: HeadersInit } = {},
): Promise<Proxy> {
  const dir = await scratch();
  const workspace = o.workspace ?? dir.dir;
  const db = o.db ?? dir.db;
  const port = freePort();
  const proc = new Proc([
    ...hotpatchCmd(),
    ...proxyArgs(port, upstream, workspace, db, dir.logs),
    ...(o.extra ?? []),
  ]);
  const base = `http://127.0.0.1:${port}`;
  if (!(await waitHttp(`${base}/hotpatch/health`, 25000, proc, o.headers))) {
    await proc.stop();
    throw new Error(
      `hotpatch did not become healthy on ${base} (${proc.exited ? "exited" : "timeout"}): ${
        proc.lastErr() || "no stderr"
      }`,
    );
  }
  return { proc, port, base, db, workspace };
}

/** A fresh temp dir with a db path and an existing log dir in it. */
export async function scratch(): Promise<{ dir: string; db: string; logs: string }> {
  const dir = await tempDir();
  await Deno.mkdir(`${dir}/logs`);
  return { dir, db: `${dir}/hotpatch.db`, logs: `${dir}/logs` };
}

export function proxyArgs(
  port: number | string,
  upstream: string,
  workspace: string,
  db: string,
  logDir: string,
): string[] {
  return [
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--upstream",
    upstream,
    "--workspace",
    workspace,
    "--db",
    db,
    "--log-dir",
    logDir,
  ];
}

// ---------- HTTP and stream reading ----------

export type Framing = "ndjson" | "sse" | "json";
export interface Ev {
  data: string;
  at: number;
} // one NDJSON line or one SSE data payload; at = Date.now()
export interface Reply {
  status: number;
  headers: Headers;
  raw: Uint8Array<ArrayBuffer>;
  events: Ev[];
  error?: string;
  ms: number;
  rid: string | null;
}

/** Sends a request and reads the whole body, splitting it into events as it arrives. */
export async function send(
  url: string,
  init: RequestInit & { framing?: Framing; timeoutMs?: number } = {},
): Promise<Reply> {
  const t0 = Date.now();
  const res = await fetch(url, {
    ...init,
    signal: init.signal ?? AbortSignal.timeout(init.timeoutMs ?? 10000),
  });
  const out: Reply = {
    status: res.status,
    headers: res.headers,
    raw: new Uint8Array(0),
    events: [],
    ms: 0,
    rid: res.headers.get("x-hotpatch-request-id"),
  };
  const chunks: Uint8Array[] = [];
  const dec = new TextDecoder();
  let buf = "";
  const take = (final: boolean) => {
    const at = Date.now();
    if (init.framing === "sse") {
      let m;
      while ((m = /\r?\n\r?\n/.exec(buf))) {
        const block = buf.slice(0, m.index);
        buf = buf.slice(m.index + m[0].length);
        const data = block.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) =>
          l.slice(l.startsWith("data: ") ? 6 : 5)
        );
        if (data.length) out.events.push({ data: data.join("\n"), at });
      }
    } else if (init.framing === "ndjson") {
      const lines = buf.split("\n");
      buf = final ? "" : lines.pop()!;
      for (const l of lines) if (l.trim()) out.events.push({ data: l.replace(/\r$/, ""), at });
    }
  };
  try {
    for await (const c of res.body ?? []) {
      chunks.push(c);
      buf += dec.decode(c, { stream: true });
      take(false);
    }
    buf += dec.decode();
    take(true);
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
  }
  out.raw = concat(chunks);
  out.ms = Date.now() - t0;
  return out;
}

export function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
export const text = (b: Uint8Array) => new TextDecoder().decode(b);
export const clip = (s: string, n = 120) => JSON.stringify(s.length > n ? s.slice(0, n) + "…" : s);

// ---------- protocols ----------

export type RouteName =
  | "ollama-chat"
  | "ollama-generate"
  | "openai-chat"
  | "openai-completions"
  | "llamacpp";
export const ROUTES: Record<
  RouteName,
  { path: string; framing: Framing; body: (prompt: string, stream: boolean, extra?: Json) => Json }
> = {
  "ollama-chat": {
    path: "/api/chat",
    framing: "ndjson",
    body: (p, stream, x) => ({
      model: "fake-model",
      messages: [{ role: "user", content: p }],
      stream,
      ...x,
    }),
  },
  "ollama-generate": {
    path: "/api/generate",
    framing: "ndjson",
    body: (p, stream, x) => ({ model: "fake-model", prompt: p, stream, ...x }),
  },
  "openai-chat": {
    path: "/v1/chat/completions",
    framing: "sse",
    body: (p, stream, x) => ({
      model: "fake-model",
      messages: [{ role: "user", content: p }],
      stream,
      ...x,
    }),
  },
  "openai-completions": {
    path: "/v1/completions",
    framing: "sse",
    body: (p, stream, x) => ({ model: "fake-model", prompt: p, stream, ...x }),
  },
  "llamacpp": {
    path: "/completion",
    framing: "sse",
    body: (p, stream, x) => ({ prompt: p, stream, ...x }),
  },
};

/** POSTs a generation request on `route` and reads the reply. */
export function generate(
  base: string,
  route: RouteName,
  prompt: string,
  o: { stream?: boolean; headers?: Record<string, string>; extra?: Json; timeoutMs?: number } = {},
): Promise<Reply> {
  const r = ROUTES[route];
  const stream = o.stream ?? true;
  return send(base + r.path, {
    method: "POST",
    headers: { "content-type": "application/json", ...o.headers },
    body: JSON.stringify(r.body(prompt, stream, o.extra)),
    framing: stream ? r.framing : "json",
    timeoutMs: o.timeoutMs,
  });
}

export interface Summary {
  text: string;
  thinking: string;
  tools: { id?: unknown; name: unknown; args: unknown }[];
  finish: unknown;
  end: boolean;
  usage?: unknown;
  errors: unknown[];
  bad: string[];
  contentChunks: number;
  firstContentAt?: number;
}

const parseArgs = (a: unknown) => {
  if (typeof a !== "string") return a;
  try {
    return JSON.parse(a);
  } catch {
    return a;
  }
};
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** What a client would make of a reply: text per channel, tool calls, finish reason, end marker, errors. */
export function summarize(route: RouteName, reply: Reply): Summary {
  const s: Summary = {
    text: "",
    thinking: "",
    tools: [],
    finish: null,
    end: false,
    errors: [],
    bad: [],
    contentChunks: 0,
  };
  const addText = (t: unknown, at?: number) => {
    if (typeof t === "string" && t) {
      s.text += t;
      s.contentChunks++;
      s.firstContentAt ??= at;
    }
  };
  const oaTool = (tc: Json) => {
    const i = Number(tc.index ?? s.tools.length);
    const f = (tc.function ?? {}) as Json;
    const cur = (s.tools[i] ??= { name: "", args: "" });
    if (tc.id !== undefined) cur.id = tc.id;
    if (f.name) cur.name = str(cur.name) + str(f.name);
    if (f.arguments !== undefined) cur.args = str(cur.args) + str(f.arguments);
  };
  const one = (o: Json, streamed: boolean, at?: number) => {
    if (o.error !== undefined) s.errors.push(o.error);
    const c0 = ((o.choices as Json[] | undefined)?.[0] ?? {}) as Json;
    switch (route) {
      case "ollama-chat": {
        const m = (o.message ?? {}) as Json;
        addText(m.content, at);
        s.thinking += str(m.thinking);
        for (const tc of (m.tool_calls as Json[] | undefined) ?? []) {
          const f = (tc.function ?? {}) as Json;
          s.tools.push({ name: f.name, args: f.arguments });
        }
        if (o.done === true) {
          s.end = true;
          s.finish = o.done_reason;
        }
        break;
      }
      case "ollama-generate":
        addText(o.response, at);
        s.thinking += str(o.thinking);
        if (o.done === true) {
          s.end = true;
          s.finish = o.done_reason;
        }
        break;
      case "openai-chat": {
        const d = ((streamed ? c0.delta : c0.message) ?? {}) as Json;
        addText(d.content, at);
        s.thinking += str(d.reasoning_content);
        for (const tc of (d.tool_calls as Json[] | undefined) ?? []) oaTool(tc);
        if (c0.finish_reason) s.finish = c0.finish_reason;
        if (o.usage) s.usage = o.usage;
        if (!streamed) s.end = true;
        break;
      }
      case "openai-completions":
        addText(c0.text, at);
        if (c0.finish_reason) s.finish = c0.finish_reason;
        if (o.usage) s.usage = o.usage;
        if (!streamed) s.end = true;
        break;
      case "llamacpp":
        addText(o.content, at);
        if (o.stop === true) {
          s.end = true;
          s.finish = o.stop_type;
        }
        break;
    }
  };
  if (reply.events.length) {
    for (const e of reply.events) {
      if (e.data === "[DONE]") {
        s.end = true;
        continue;
      }
      try {
        one(JSON.parse(e.data), true, e.at);
      } catch {
        s.bad.push(e.data);
      }
    }
  } else {
    try {
      one(JSON.parse(text(reply.raw)), false);
    } catch {
      s.bad.push(text(reply.raw));
    }
  }
  s.tools = s.tools.filter(Boolean).map((t) => ({ ...t, args: parseArgs(t.args) }));
  return s;
}

/** The part of a summary that must not change through a transparent proxy. */
export const content = (s: Summary) =>
  JSON.stringify({
    text: s.text,
    thinking: s.thinking,
    tools: s.tools,
    finish: s.finish,
    end: s.end,
    usage: s.usage,
    errors: s.errors,
    bad: s.bad,
  });

// ---------- tally ----------

/** Prints `PASS|FAIL name: detail` per check and, last, `N/M checks passed`; exit 0 only when all passed. */
export class Tally {
  #passed = 0;
  #run = 0;
  #finishing = false;

  constructor(readonly planned: number, deadlineMs = 52000) {
    setTimeout(
      () => this.finish(`deadline: the bar did not finish within ${deadlineMs / 1000} s`),
      deadlineMs,
    );
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(sig, () => this.finish(`stopped by ${sig}`));
    }
    globalThis.addEventListener("unhandledrejection", (e) => {
      e.preventDefault();
      this.finish(`internal error: ${e.reason}`);
    });
  }

  ok(name: string, pass: boolean, detail = ""): boolean {
    this.#run++;
    if (pass) this.#passed++;
    console.log(`${pass ? "PASS" : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
    return pass;
  }

  /** Runs one check; `fn` returns [pass, detail]; a thrown error is a FAIL with its message. */
  async check(name: string, fn: () => Promise<[boolean, string]>): Promise<boolean> {
    try {
      const [pass, detail] = await fn();
      return this.ok(name, pass, detail);
    } catch (e) {
      return this.ok(name, false, e instanceof Error ? e.message : String(e));
    }
  }

  /** Stops every process this bar started, prints the figure and exits. */
  async finish(why = ""): Promise<never> {
    if (this.#finishing) return await new Promise<never>(() => {});
    this.#finishing = true;
    await stopAll().catch(() => {});
    const total = Math.max(this.planned, this.#run);
    const pass = this.#passed === total && !why;
    console.log(`${this.#passed}/${total} checks passed${why ? ` (${why})` : ""}`);
    Deno.exit(pass ? 0 : 1);
  }
}

/** Runs `fn` (the bar); a setup error ends it with the reason on the figure line. */
export async function bar(t: Tally, fn: () => Promise<void>): Promise<never> {
  try {
    await fn();
  } catch (e) {
    return await t.finish(`setup failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  return await t.finish();
}

/** Polls `fn` every 100 ms until it returns a truthy value or `ms` pass. */
export async function poll<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined as T);
    if (v || Date.now() >= end) return v;
    await sleep(100);
  }
}

export async function getJson(
  url: string,
  headers: HeadersInit = {},
): Promise<{ status: number; body: unknown }> {
  const r = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  const t = await r.text();
  try {
    return { status: r.status, body: JSON.parse(t) };
  } catch {
    return { status: r.status, body: t };
  }
}

export async function sha256(b: Uint8Array<ArrayBuffer>): Promise<string> {
  return Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", b)),
    (x) => x.toString(16).padStart(2, "0"),
  ).join("");
}
