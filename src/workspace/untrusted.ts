/**
 * Reading a file of the workspace, which anyone may have written: only a regular file (never a
 * symlink, FIFO, socket or device: `/dev/zero` and a FIFO would eat memory or block), and only
 * up to a size cap.
 * @module
 */

/** Largest `.gitignore` read; a bigger one is ignored (git's own are a few KiB). */
export const MAX_GITIGNORE = 1024 * 1024;

/**
 * The text of `path` when it is a regular file (not a symlink) of at most `maxBytes`; else null.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/.gitignore`, "dist/\n");
 * assert.equal(await readUntrusted(`${dir}/.gitignore`, 1 << 20), "dist/\n");
 * assert.equal(await readUntrusted(`${dir}/.gitignore`, 3), null);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export async function readUntrusted(path: string, maxBytes: number): Promise<string | null> {
  try {
    const info = await Deno.lstat(path);
    if (!info.isFile || info.size > maxBytes) return null;
    using file = await Deno.open(path, { read: true });
    const opened = await file.stat();
    // Swapped between the checks (a FIFO would have blocked the open; a grown file stops here).
    if (!opened.isFile || opened.ino !== info.ino) return null;
    // One byte more than the size: filling it means the file grew while read (skipped).
    const buf = new Uint8Array(info.size + 1);
    let n = 0;
    while (n < buf.length) {
      const read = await file.read(buf.subarray(n));
      if (read === null) return new TextDecoder().decode(buf.subarray(0, n));
      n += read;
    }
    return null;
  } catch {
    return null;
  }
}
