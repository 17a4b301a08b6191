/**
 * The version of hotpatch, read from deno.json at build time.
 * @module
 */
import meta from "../deno.json" with { type: "json" };

/** hotpatch's version string. */
export const VERSION: string = meta.version;
