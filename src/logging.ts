/**
 * Logging setup (LogTape): text lines on stderr, so stdout stays for command output.
 * @module
 */
import { configure, getStreamSink } from "@logtape/logtape";

/**
 * Configure logging once for the process.
 */
export async function setupLogging(level: "debug" | "info" | "warning" | "error"): Promise<void> {
  await configure({
    reset: true,
    sinks: { stderr: getStreamSink(Deno.stderr.writable) },
    loggers: [
      { category: ["hotpatch"], lowestLevel: level, sinks: ["stderr"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
    ],
  });
}
