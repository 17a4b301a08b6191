/**
 * Where the database lives by default: the user's data directory, per platform.
 * @module
 */
import { StoreError } from "./sqlite.ts";

/** The file name inside the data directory. */
const FILE = "hotpatch.db";

/**
 * The default database path for a platform (`Deno.build.os` values), from environment variables
 * only: `$XDG_DATA_HOME/hotpatch/hotpatch.db` or `~/.local/share/hotpatch/hotpatch.db` on Linux
 * and other Unixes, `~/Library/Application Support/hotpatch/hotpatch.db` on macOS,
 * `%APPDATA%\hotpatch\hotpatch.db` on Windows. Throws `StoreError` when no home is known.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(
 *   defaultDbPath({ HOME: "/home/ada" }, "linux"),
 *   "/home/ada/.local/share/hotpatch/hotpatch.db",
 * );
 * assert.equal(
 *   defaultDbPath({ APPDATA: "C:\\Users\\ada\\AppData\\Roaming" }, "windows"),
 *   "C:\\Users\\ada\\AppData\\Roaming\\hotpatch\\hotpatch.db",
 * );
 * ```
 */
export function defaultDbPath(env: Record<string, string | undefined>, platform: string): string {
  if (platform === "windows") {
    const appData = env.APPDATA ||
      (env.USERPROFILE ? `${env.USERPROFILE}\\AppData\\Roaming` : undefined);
    if (!appData) throw new StoreError("Cannot find the data directory: APPDATA is not set");
    return `${appData.replace(/\\+$/, "")}\\hotpatch\\${FILE}`;
  }
  const home = env.HOME?.replace(/\/+$/, "");
  if (platform === "darwin") {
    if (!home) throw new StoreError("Cannot find the data directory: HOME is not set");
    return `${home}/Library/Application Support/hotpatch/${FILE}`;
  }
  const xdg = env.XDG_DATA_HOME;
  if (xdg && xdg.startsWith("/")) return `${xdg.replace(/\/+$/, "")}/hotpatch/${FILE}`;
  if (!home) throw new StoreError("Cannot find the data directory: HOME is not set");
  return `${home}/.local/share/hotpatch/${FILE}`;
}
