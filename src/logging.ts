/**
 * Logging setup (LogTape): one console sink, text lines on stderr.
 * @module
 */
import { configure, getConsoleSink } from "@logtape/logtape";

/**
 * Configure logging once for the process.
 * @example
 * await setupLogging("info");
 */
export async function setupLogging(level: "debug" | "info" | "warning" | "error"): Promise<void> {
  await configure({
    reset: true,
    sinks: { console: getConsoleSink() },
    loggers: [
      { category: ["hotpatch"], lowestLevel: level, sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}
