/**
 * hotpatch: a hallucination hot-patching proxy for local LLM servers.
 * Thin entry: parse argv/env, dispatch to a subcommand.
 * @module
 */
import { ConfigError, parseConfig } from "./src/config.ts";
import { setupLogging } from "./src/logging.ts";
import { startServer } from "./src/serve.ts";
import { HELP } from "./src/help.ts";
import { VERSION } from "./src/version.ts";
import { ADMIN_COMMANDS, runAdminCommand } from "./src/cli/admin.ts";
import { runCheck } from "./src/cli/check.ts";
import { UsageError } from "./src/cli/args.ts";
import { runDemo } from "./src/demo/run.ts";

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
    console.error(`hotpatch: Cannot start on ${config.host}:${config.port}: ${why}`);
    return 1;
  }
  const stop = () => {
    console.error("Shutting down: waiting for in-flight streams (up to 5 s)…");
    server.stop(5000).then(() => Deno.exit(0));
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  await server.finished;
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h" || first === "help") {
    console.log(HELP);
    return 0;
  }
  if (first === "--version" || first === "-V") {
    console.log(`hotpatch ${VERSION}`);
    return 0;
  }
  try {
    if (first === undefined || first.startsWith("-")) return await serve(argv);
    if (first === "serve") {
      if (rest.includes("--help") || rest.includes("-h")) {
        console.log(HELP);
        return 0;
      }
      return await serve(rest);
    }
    if (first === "check") return await runCheck(rest, { ...io, stdin: Deno.stdin.readable });
    if (first === "demo") return await runDemo(rest, io);
    if ((ADMIN_COMMANDS as readonly string[]).includes(first)) {
      return await runAdminCommand(argv, io);
    }
    throw new ConfigError(`Unknown command "${first}": see hotpatch --help`);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) {
      console.error(`hotpatch: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
