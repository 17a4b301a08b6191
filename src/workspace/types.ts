/**
 * The workspace index seen by detectors: lookups only, no I/O at query time.
 * @module
 */

/** Read-only view of the files under the workspace roots. */
export interface WorkspaceIndex {
  /** Absolute, normalized root directories. */
  readonly roots: readonly string[];
  /** True when `path` (relative to a root, or absolute inside one) is a file or directory. */
  exists(path: string): boolean;
  /** Relative paths (from their root) whose lower-cased form equals `lowerPath`. */
  byLowerPath(lowerPath: string): readonly string[];
  /** Relative paths of files whose base name is `name`. */
  byBaseName(name: string): readonly string[];
  /** All indexed relative file paths (for nearest-path search). */
  files(): readonly string[];
  /** Number of indexed entries. */
  readonly size: number;
}
