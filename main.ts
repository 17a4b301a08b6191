/**
 * hotpatch: a hallucination hot-patching proxy for local LLM servers.
 * Thin entry: parse argv/env, dispatch to a subcommand.
 * @module
 */
import { parseConfig } from "./src/config.ts";
import { setupLogging } from "./src/logging.ts";
import { startServer } from "./src/serve.ts";
import { runAdminCommand } from "./src/cli/admin.ts";
import { runCheck } from "./src/cli/check.ts";
import { resolveCommand, type Resolved } from "./src/cli/commands.ts";
import { UsageError } from "./src/command/flags.ts";

const encoder = new TextEncoder();
const io = {
  stdout: (s: string) => void Deno.stdout.writeSync(encoder.encode(s)),
  stderr: (s: string) => void Deno.stderr.writeSync(encoder.encode(s)),
  env: Deno.env.toObject(),
};

function isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

async function serve(args: string[]): Promise<number> {
  const config = parseConfig(args, Deno.env.toObject(), isDir, Deno.cwd());
  await setupLogging(config.logLevel);
  let server;
  try {
    server = await startServer(config);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    console.error(`hotpatch serve: Cannot start on ${config.host}:${config.port}: ${why}`);
    return 1;
  }
  const stopped = Promise.withResolvers<number>();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.error("Shutting down: waiting for in-flight streams (up to 5 s)…");
    server.stop(5000).then(() => stopped.resolve(0));
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  // The listener finishes before stop() has flushed and closed the store: then wait for stop().
  const finished = server.finished.then(() => stopping ? stopped.promise : 0);
  return await Promise.race([stopped.promise, finished]);
}

async function main(argv: string[]): Promise<number> {
  let command: Resolved | null = null;
  try {
    command = resolveCommand(argv);
  } catch {
    // runAdminCommand prints the reason
  }
  if (command && !command.help && !command.version) {
    if (command.spec?.name === "serve") {
      try {
        return await serve(command.args);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.stderr(`hotpatch serve: ${e.message}\n`);
        return 2;
      }
    }
    if (command.spec?.name === "check") {
      return await runCheck(command.args, { ...io, stdin: Deno.stdin.readable });
    }
  }
  return await runAdminCommand(argv, io);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
