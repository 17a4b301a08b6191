/**
 * `hotpatch demo`: the scripted model, hotpatch in front of it, one request per classic mistake
 * (each answer printed as the model sent it and as the agent got it, with the reason), then the
 * dashboard left running. `--once` exits after the requests (status 1 if one was not corrected).
 * @module
 */
import { join } from "node:path";
import type { CommandIo } from "../command/io.ts";
import { type CommandSpec, type Flags, intFlag, parseFlags } from "../command/flags.ts";
import { parseConfig } from "../config.ts";
import { setupLogging } from "../logging.ts";
import { routeOf } from "../protocols/routes.ts";
import { startServer } from "../serve.ts";
import type { CorrectionRecord } from "../types.ts";
import { describeChange } from "../observe/describe.ts";
import { type Answer, readAnswer, showAnswer } from "./answer.ts";
import { type Scenario, SCENARIOS, startScriptedModel } from "./model.ts";

/** The small project the demo's paths are checked against. */
const WORKSPACE: Record<string, string> = {
  "src/App.tsx": "export function App() {\n  return <h1>hello</h1>;\n}\n",
  "src/main.ts": 'import { App } from "./App.tsx";\nconsole.log(App);\n',
  "deno.json": '{ "tasks": { "test": "deno test" } }\n',
  "README.md": "# demo project\n",
};

async function makeWorkspace(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "hotpatch-demo-" });
  for (const [path, text] of Object.entries(WORKSPACE)) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), text);
  }
  return dir;
}

function requestBody(s: Scenario): string {
  return JSON.stringify({
    model: "demo",
    stream: true,
    messages: [{ role: "user", content: `demo: ${s.id}` }],
    ...(s.tools ? { tools: s.tools } : {}),
  });
}

async function ask(url: string, s: Scenario): Promise<{ answer: Answer; requestId: string }> {
  const res = await fetch(url + s.path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: requestBody(s),
  });
  const kind = routeOf("POST", s.path).kind!;
  const type = res.headers.get("content-type") ?? "";
  const answer = readAnswer(kind, await res.text(), /ndjson|event-stream/.test(type));
  return { answer, requestId: res.headers.get("x-hotpatch-request-id") ?? "" };
}

/** Runs the scenarios; returns how many got no correction. */
async function showAll(modelUrl: string, proxyUrl: string, io: CommandIo): Promise<number> {
  let missed = 0;
  for (const [i, s] of SCENARIOS.entries()) {
    const before = await ask(modelUrl, s);
    const after = await ask(proxyUrl, s);
    const q = `${proxyUrl}/hotpatch/api/corrections?request_id=${after.requestId}`;
    const records: CorrectionRecord[] = await (await fetch(q)).json();
    const changes = records.filter((r) => r.action !== "detected");
    if (changes.length === 0) missed++;
    io.stdout(`\n${i + 1}/${SCENARIOS.length}  ${s.title}   (POST ${s.path})\n`);
    io.stdout(`  the model sent:\n${showAnswer(before.answer)}\n`);
    io.stdout(`  the agent got:\n${showAnswer(after.answer)}\n`);
    for (const r of records) {
      io.stdout(`  ${r.action} ${r.type}: ${describeChange(r)}\n    why: ${r.reason}\n`);
    }
    if (records.length === 0) io.stdout("  (no detection: this should not happen)\n");
  }
  return missed;
}

const flags = {
  port: { type: "string", arg: "N", help: "hotpatch's port (default 0: any free port)" },
  once: { type: "boolean", help: "exit after the six requests (status 1 if one was not fixed)" },
} as const satisfies Flags;

/** `--help` of demo. */
export const demoSpec: CommandSpec = {
  name: "demo",
  summary: "a scripted model making six classic mistakes, hotpatch in front, the dashboard",
  usage: "[--port N] [--once]",
  flags,
  example: "hotpatch demo --port 11435",
};

/**
 * Runs `hotpatch demo [--port N] [--once]`; returns the exit status.
 */
export async function runDemo(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseFlags(args, flags, 0);
  const port = String(intFlag("--port", values.port ?? "0", 0, 65535));
  await setupLogging("warning");
  const model = await startScriptedModel({ delayMs: values.once ? 1 : 15 });
  const workspace = await makeWorkspace();
  const config = parseConfig(
    ["--host", "127.0.0.1", "--port", port, "--upstream", model.url, "--workspace", workspace],
    {},
    () => true,
    workspace,
  );
  let server;
  try {
    server = await startServer({ ...config, db: ":memory:", logLevel: "warning" });
  } catch (e) {
    await model.close();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
    io.stderr(`hotpatch demo: Cannot start on 127.0.0.1:${port}: ${(e as Error).message}\n`);
    return 1;
  }
  const proxyUrl = `http://127.0.0.1:${server.port}`;
  const cleanup = async () => {
    await server.stop(1000);
    await model.close();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  };
  try {
    io.stdout(`hotpatch demo: scripted model at ${model.url}, hotpatch at ${proxyUrl}\n`);
    io.stdout(`workspace: ${workspace} (${Object.keys(WORKSPACE).join(", ")})\n`);
    const missed = await showAll(model.url, proxyUrl, io);
    io.stdout(`\nDashboard: ${proxyUrl}/hotpatch/\n`);
    if (values.once) {
      await cleanup();
      return missed === 0 ? 0 : 1;
    }
    io.stdout("Send your own requests to it, or press Ctrl-C to stop.\n");
    await new Promise<void>((resolve) => {
      Deno.addSignalListener("SIGINT", () => resolve());
      if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", () => resolve());
      io.signal?.addEventListener("abort", () => resolve(), { once: true });
    });
    await cleanup();
    return 0;
  } catch (e) {
    await cleanup();
    throw e;
  }
}
