/**
 * Command-line and environment configuration of the proxy: pure parsing and validation.
 * @module
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
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
  /** Characters the corrector may hold back per channel. */
  holdback: number;
  /** Bytes of one frame (or held text) past which a response is passed through uncorrected. */
  maxFrame: number;
  logLevel: "debug" | "info" | "warning" | "error";
}

/** An invalid flag or variable; `message` is the one line shown to the user. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const options = {
  host: { type: "string" },
  port: { type: "string" },
  upstream: { type: "string" },
  workspace: { type: "string", multiple: true },
  db: { type: "string" },
  "log-dir": { type: "string" },
  mode: { type: "string" },
  "upstream-timeout": { type: "string" },
  "max-connections": { type: "string" },
  "max-body": { type: "string" },
  "admin-token": { type: "string" },
  holdback: { type: "string" },
  "max-frame": { type: "string" },
  "log-level": { type: "string" },
  "proxy-port": { type: "string" },
  "gguf-endpoint": { type: "string" },
  "enable-hot-patching": { type: "boolean" },
  "disable-hot-patching": { type: "boolean" },
} as const;

type Raw = Record<string, string | string[] | boolean | undefined>;

/**
 * Parse `serve` flags, falling back to `HOTPATCH_*` variables, then defaults.
 * `isDir` checks workspace roots (injected so this stays pure in tests).
 * @example
 * const c = parseConfig(["--port", "8080"], {}, () => true);
 * c.port; // 8080
 */
export function parseConfig(
  args: string[],
  env: Record<string, string | undefined>,
  isDir: (path: string) => boolean,
  cwd = "/",
): Config {
  let values: Raw;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new ConfigError(firstLine(e));
  }
  const get = (name: string): string | undefined => {
    const v = values[name];
    if (typeof v === "string") return v;
    return env[envName(name)];
  };
  const port = get("port") ?? get("proxy-port");
  const upstream = get("upstream") ?? get("gguf-endpoint");
  const workspaces = (values.workspace as string[] | undefined) ??
    splitList(env.HOTPATCH_WORKSPACE);
  const flagMode = values["disable-hot-patching"]
    ? "off"
    : values["enable-hot-patching"]
    ? "correct"
    : undefined;
  const config: Config = {
    host: parseHost(get("host") ?? "127.0.0.1"),
    port: intIn("port", port ?? "11435", 0, 65535),
    upstream: parseUpstream(upstream ?? "http://127.0.0.1:11434"),
    workspaces: (workspaces.length ? workspaces : [cwd]).map((w) => checkDir(w, cwd, isDir)),
    db: get("db") ?? null,
    logDir: get("log-dir") ?? null,
    mode: oneOf("mode", values.mode as string | undefined ?? flagMode ?? get("mode") ?? "correct", [
      "correct",
      "detect",
      "off",
    ]),
    upstreamTimeout: intIn("upstream-timeout", get("upstream-timeout") ?? "300000", 1, 2 ** 31 - 1),
    maxConnections: intIn("max-connections", get("max-connections") ?? "1024", 1, 1_000_000),
    maxBody: parseSize("max-body", get("max-body") ?? "32MiB"),
    adminToken: get("admin-token") || null,
    holdback: intIn("holdback", get("holdback") ?? "512", 16, 65536),
    maxFrame: parseSize("max-frame", get("max-frame") ?? "8MiB"),
    logLevel: oneOf("log-level", get("log-level") ?? "info", ["debug", "info", "warning", "error"]),
  };
  return config;
}

/**
 * The environment variable for a flag.
 * @example
 * envName("log-dir"); // "HOTPATCH_LOG_DIR"
 */
export function envName(flag: string): string {
  return "HOTPATCH_" + flag.toUpperCase().replaceAll("-", "_");
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split("\n")[0] ?? msg).replace(/\. To specify .*$/, "");
}

function splitList(v: string | undefined): string[] {
  return v ? v.split(":").filter((s) => s.length > 0) : [];
}

function intIn(name: string, raw: string, min: number, max: number): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`Invalid --${name} "${raw}": must be an integer from ${min} to ${max}`);
  }
  return n;
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

function parseUpstream(raw: string): string {
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
