/**
 * Test helpers: a real hotpatch app served on an ephemeral loopback port.
 * @module
 */
import { type Config, parseConfig } from "../src/config.ts";
import { createApp, type HotpatchApp } from "../src/app.ts";
import { openStore } from "../src/store/mod.ts";
import type { Store } from "../src/store/types.ts";
import type { WorkspaceIndex } from "../src/workspace/types.ts";
import type { Detector } from "../src/detect/types.ts";

/** A running proxy under test. */
export interface TestProxy extends HotpatchApp {
  url: string;
  config: Config;
  store: Store;
  close(): Promise<void>;
}

/** A config for tests: port 0, the given upstream, overrides applied. */
export function testConfig(upstream: string, overrides: Partial<Config> = {}): Config {
  const base = parseConfig(["--port", "0", "--upstream", upstream], {}, () => true, Deno.cwd());
  return { ...base, logLevel: "error", ...overrides };
}

/**
 * Serve a fresh app on 127.0.0.1:0.
 * @example
 * const proxy = await startProxy("http://127.0.0.1:9");
 * await proxy.close();
 */
export function startProxy(
  upstream: string,
  overrides: Partial<Config> = {},
  deps: { store?: Store; workspace?: WorkspaceIndex | null; detectors?: readonly Detector[] } = {},
): Promise<TestProxy> {
  const config = testConfig(upstream, overrides);
  const store = deps.store ?? openStore(":memory:");
  const built = createApp({
    config,
    store,
    workspace: deps.workspace ?? null,
    ...(deps.detectors ? { detectors: deps.detectors } : {}),
  });
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: (addr) =>
        resolve({
          ...built,
          config,
          store,
          url: `http://127.0.0.1:${addr.port}`,
          close: async () => {
            await server.shutdown();
            if (!deps.store) store.close();
          },
        }),
    }, built.app.fetch);
  });
}

/** Read a whole body as the list of chunks in which it arrived. */
export async function chunksOf(res: Response): Promise<string[]> {
  const out: string[] = [];
  const dec = new TextDecoder();
  for await (const c of res.body!) out.push(dec.decode(c, { stream: true }));
  return out;
}
