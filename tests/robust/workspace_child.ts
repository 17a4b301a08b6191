/**
 * Child process of workspace_test.ts: indexes the directory given as argument and prints the
 * indexed files as JSON. In its own process so that an index reading `/dev/zero` or a FIFO is
 * killed by the parent's timeout instead of taking the test run down.
 * @module
 */
import { buildWorkspaceIndex } from "../../src/workspace/index.ts";

const index = await buildWorkspaceIndex([Deno.args[0] ?? "."]);
console.log(JSON.stringify([...index.files()].sort()));
index.close();
