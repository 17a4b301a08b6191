/**
 * The I/O every command is given (`hotpatch patterns …`, `hotpatch demo`), so a command runs the
 * same in the process and in a test.
 * @module
 */

/** Where a command writes, and its environment (the process, or a test's buffers). */
export interface CommandIo {
  stdout(s: string): void;
  stderr(s: string): void;
  env: Record<string, string | undefined>;
  /** Ends `log --follow` (Ctrl-C ends the process otherwise). */
  signal?: AbortSignal;
}
