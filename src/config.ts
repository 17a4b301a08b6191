/**
 * Command-line and environment configuration of the proxy: pure parsing and validation.
 * @module
 */
import { resolve } from "node:path";
import { type Flags, intFlag, parseFlags, UsageError, type Values } from "./command/flags.ts";
import type { Mode } from "./types.ts";

/** Everything `hotpatch serve` needs, validated. */
export interface Config {
  host: string;
  port: number;
  /** Upstream base URL without a trailing slash, e.g. `http://127.0.0.1:11434`. */
  upstream: string;
  /** Absolute workspace roots. */
  workspaces: string[];
  /** SQLite file; null means the default location in the user's data directory. */
  db: string | null;
  /** Directory of `corrections.log`; null means next to the database. */
  logDir: string | null;
  mode: Mode;
  /** Milliseconds to the first byte, and the idle limit between chunks. */
  upstreamTimeout: number;
  maxConnections: number;
  /** Request body limit in bytes. */
  maxBody: number;
  /** Bearer token for the admin API; null means none (loopback only). */
  adminToken: string | null;
  /** Names besides loopback and `host` that the `Host` header may carry (`*`: any). */
  allowedHosts: string[];
  /** Origins besides hotpatch's own that may call the admin API (`*`: any). */
  allowedOrigins: string[];
  /** Milliseconds a client has to send a whole request body (408 after). */
  bodyTimeout: number;
  /** Milliseconds a response may wait for the client to take the next chunk (closed after). */
  sendTimeout: number;
  /** Characters the corrector may hold back per channel. */
  holdback: number;
  /** Bytes of one frame (or held text) past which a response is passed through uncorrected. */
  maxFrame: number;
  /** Identical tool calls with identical results in the history before the next is a loop. */
  toolLoopLimit: number;
  logLevel: "debug" | "info" | "warning" | "error";
}

/** An invalid flag or variable; `message` is the one line shown to the user. */
export class ConfigError extends UsageError {
  override name = "ConfigError";
}

/** `serve`'s flags; each also reads `HOTPATCH_<NAME>`. */
export const serveFlags = {
  host: { type: "string", arg: "HOST", help: "listen address (default 127.0.0.1)" },
  port: { type: "string", arg: "N", help: "listen port (default 11435; 0 = any free port)" },
  upstream: {
    type: "string",
    arg: "URL",
    help: "model server (default http://127.0.0.1:11434; host:port or a bare port work)",
  },
  workspace: {
    type: "string",
    multiple: true,
    arg: "DIR",
    help: "workspace root for path checks, repeatable (default: the directory you started in)",
  },
  db: { type: "string", arg: "FILE", help: "SQLite rules database (default: user data dir)" },
  "log-dir": {
    type: "string",
    arg: "DIR",
    help: "where corrections.log goes (default: next to the database)",
  },
  mode: {
    type: "string",
    arg: "MODE",
    help: "correct (rewrite), detect (only log) or off (pass through); default correct",
  },
  "upstream-timeout": {
    type: "string",
    arg: "MS",
    help: "time to first byte and longest gap between chunks (default 300000)",
  },
  "max-connections": {
    type: "string",
    arg: "N",
    help: "concurrent requests before 503 (default 1024)",
  },
  "max-body": { type: "string", arg: "SIZE", help: "request body limit, e.g. 32MiB (default)" },
  "admin-token": {
    type: "string",
    arg: "TOKEN",
    help: "require Authorization: Bearer TOKEN on /hotpatch/api (needed off loopback)",
  },
  "allowed-hosts": {
    type: "string",
    arg: "LIST",
    help: "names besides loopback and --host the Host header may carry (comma-separated; * = any)",
  },
  "allowed-origins": {
    type: "string",
    arg: "LIST",
    help: "origins besides hotpatch's own allowed on /hotpatch/ (comma-separated; * = any)",
  },
  "body-timeout": {
    type: "string",
    arg: "MS",
    help: "time a client has to send a request body, 408 after (default 60000)",
  },
  "send-timeout": {
    type: "string",
    arg: "MS",
    help: "longest a streamed answer waits for the client to take data (default 60000)",
  },
  holdback: {
    type: "string",
    arg: "N",
    help: "most characters held back per channel (default 512)",
  },
  "max-frame": {
    type: "string",
    arg: "SIZE",
    help:
      "largest frame (or held text) still corrected, e.g. 8MiB (default); past it: passed through",
  },
  "tool-loop-limit": {
    type: "string",
    arg: "N",
    help:
      "identical tool calls with the same result before the next is a tool_call_loop (default 3)",
  },
  "log-level": {
    type: "string",
    arg: "LEVEL",
    help: "debug, info, warning or error (default info)",
  },
  "proxy-port": { type: "string", arg: "N", help: "alias of --port" },
  "gguf-endpoint": { type: "string", arg: "URL", help: "alias of --upstream" },
  "enable-hot-patching": { type: "boolean", help: "alias of --mode correct" },
  "disable-hot-patching": { type: "boolean", help: "alias of --mode off" },
} as const satisfies Flags;

/**
 * The directory hotpatch was started from: `INIT_CWD` when run through `deno task` (which runs
 * tasks in the project's directory and passes the caller's directory as `INIT_CWD`), else `cwd`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(startDir({ INIT_CWD: "/home/ada/app" }, "/opt/hotpatch"), "/home/ada/app");
 * ```
 */
export function startDir(env: Record<string, string | undefined>, cwd: string): string {
  return env.INIT_CWD || cwd;
}

/**
 * Parse `serve` flags, falling back to `HOTPATCH_*` variables, then defaults.
 * `isDir` checks workspace roots (injected so this stays pure in tests); relative paths
 * (`--workspace`, `--db`, `--log-dir`) and the default workspace are taken from
 * `startDir(env, cwd)`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = parseConfig(["--port", "8080"], {}, () => true);
 * assert.equal(c.port, 8080);
 * ```
 */
export function parseConfig(
  args: readonly string[],
  env: Record<string, string | undefined>,
  isDir: (path: string) => boolean,
  cwd = "/",
): Config {
  let values: Values<typeof serveFlags>;
  try {
    values = parseFlags(args, serveFlags, 0).values;
  } catch (e) {
    throw e instanceof UsageError ? new ConfigError(e.message) : e;
  }
  const get = (name: keyof typeof serveFlags): string | undefined => {
    const v = values[name];
    if (typeof v === "string") return v;
    return env[envName(name)];
  };
  const port = get("port") ?? get("proxy-port");
  const upstream = get("upstream") ?? get("gguf-endpoint");
  const workspaces = values.workspace ?? splitList(env.HOTPATCH_WORKSPACE);
  const from = startDir(env, cwd);
  const flagMode = values["disable-hot-patching"]
    ? "off"
    : values["enable-hot-patching"]
    ? "correct"
    : undefined;
  const host = parseHost(get("host") ?? "127.0.0.1");
  const adminToken = get("admin-token") || null;
  if (adminToken === null && !isLoopback(host)) {
    throw new ConfigError(
      `Refusing --host "${host}" without --admin-token: the admin API would be reachable ` +
        `from the network; set --admin-token TOKEN (or HOTPATCH_ADMIN_TOKEN)`,
    );
  }
  return {
    host,
    port: int("port", port ?? "11435", 0, 65535),
    upstream: parseUpstream(upstream ?? "http://127.0.0.1:11434"),
    workspaces: (workspaces.length ? workspaces : [from]).map((w) => checkDir(w, from, isDir)),
    db: fromStart(get("db"), from),
    logDir: fromStart(get("log-dir"), from),
    mode: oneOf("mode", values.mode ?? flagMode ?? get("mode") ?? "correct", [
      "correct",
      "detect",
      "off",
    ]),
    upstreamTimeout: int("upstream-timeout", get("upstream-timeout") ?? "300000", 1, 2 ** 31 - 1),
    maxConnections: int("max-connections", get("max-connections") ?? "1024", 1, 1_000_000),
    maxBody: parseSize("max-body", get("max-body") ?? "32MiB"),
    adminToken,
    allowedHosts: names("allowed-hosts", get("allowed-hosts")),
    allowedOrigins: names("allowed-origins", get("allowed-origins")),
    bodyTimeout: int("body-timeout", get("body-timeout") ?? "60000", 1, 2 ** 31 - 1),
    sendTimeout: int("send-timeout", get("send-timeout") ?? "60000", 1, 2 ** 31 - 1),
    holdback: int("holdback", get("holdback") ?? "512", 16, 65536),
    maxFrame: parseSize("max-frame", get("max-frame") ?? "8MiB"),
    toolLoopLimit: int("tool-loop-limit", get("tool-loop-limit") ?? "3", 1, 1000),
    logLevel: oneOf("log-level", get("log-level") ?? "info", ["debug", "info", "warning", "error"]),
  };
}

/**
 * Whether a listen address only accepts connections from this machine.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(isLoopback("127.0.0.1"), true);
 * assert.equal(isLoopback("0.0.0.0"), false);
 * ```
 */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The environment variable for a flag.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(envName("log-dir"), "HOTPATCH_LOG_DIR");
 * ```
 */
export function envName(flag: string): string {
  return "HOTPATCH_" + flag.toUpperCase().replaceAll("-", "_");
}

/** A path the user typed, taken relative to the directory they started in (`:memory:` as is). */
function fromStart(path: string | undefined, from: string): string | null {
  if (path === undefined) return null;
  return path === ":memory:" ? path : resolve(from, path);
}

function splitList(v: string | undefined): string[] {
  return v ? v.split(":").filter((s) => s.length > 0) : [];
}

function names(name: string, raw: string | undefined): string[] {
  const list = (raw ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bad = list.find((s) => !/^[A-Za-z0-9.:\-\[\]*\/]+$/.test(s));
  if (bad !== undefined) {
    throw new ConfigError(
      `Invalid --${name} "${bad}": must be comma-separated host names or origins`,
    );
  }
  return list;
}

function int(name: string, raw: string, min: number, max: number): number {
  try {
    return intFlag(`--${name}`, raw, min, max);
  } catch (e) {
    throw e instanceof UsageError ? new ConfigError(e.message) : e;
  }
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`Invalid --${name} "${raw}": must be one of ${allowed.join(", ")}`);
  }
  return raw as T;
}

function parseHost(raw: string): string {
  if (!/^[A-Za-z0-9.:\-\[\]]+$/.test(raw)) {
    throw new ConfigError(`Invalid --host "${raw}": must be a host name or IP address`);
  }
  return raw.replace(/^\[(.*)\]$/, "$1");
}

/**
 * The upstream base URL: a full URL, `host:port` (http assumed), or a bare port (`11434`, `:11434`)
 * meaning that port on 127.0.0.1.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(parseUpstream("11434"), "http://127.0.0.1:11434");
 * ```
 */
export function parseUpstream(raw: string): string {
  const port = /^:?(\d+)$/.exec(raw.trim())?.[1];
  if (port !== undefined) {
    return `http://127.0.0.1:${int("upstream", port, 1, 65535)}`;
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`Invalid --upstream "${raw}": must be a URL like http://127.0.0.1:11434`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`Invalid --upstream "${raw}": scheme must be http or https`);
  }
  if (url.search || url.hash || url.username) {
    throw new ConfigError(`Invalid --upstream "${raw}": must not carry credentials, query or hash`);
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

const units: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
};

function parseSize(name: string, raw: string): number {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = m ? units[(m[2] ?? "").toLowerCase()] : undefined;
  const n = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ConfigError(
      `Invalid --${name} "${raw}": must be a positive size in bytes, optionally with KiB, MiB or GiB`,
    );
  }
  return n;
}

function checkDir(raw: string, cwd: string, isDir: (p: string) => boolean): string {
  const abs = resolve(cwd, raw);
  if (!isDir(abs)) {
    throw new ConfigError(`Invalid --workspace "${raw}": not an existing directory`);
  }
  return abs;
}
