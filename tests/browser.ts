/**
 * A real headless Chromium for the dashboard tests and screenshots: Debian's `chromium` driven by
 * playwright-core (no browser download). Outside CI a missing browser skips the browser tests
 * with a message; in CI (`CI=true`) it fails them.
 * @module
 */
import { type BrowserContext, chromium } from "npm:playwright-core@1.65.1";

/** Where Debian's chromium package installs the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** True when the browser is installed. */
export function hasChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/**
 * Whether to run browser tests: yes when Chromium is there; a skip message outside CI; an error
 * in CI, where the browser must be installed (`.ci/run` does it).
 */
export function browserTestsEnabled(): boolean {
  if (hasChromium()) return true;
  if (Deno.env.get("CI") === "true") {
    throw new Error(`${CHROMIUM} is missing in CI: .ci/run installs it (apt-get install chromium)`);
  }
  console.warn(
    `Skipping the dashboard browser tests: ${CHROMIUM} is not installed (apt-get install chromium)`,
  );
  return false;
}

/** A browser with a fresh profile; `close` also removes the profile. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launch headless Chromium with a fresh profile, no network features of its own.
 * @example
 * const b = await launchChromium();
 * const page = await b.context.newPage();
 * await b.close();
 */
export async function launchChromium(): Promise<Browser> {
  const profile = await Deno.makeTempDir({ prefix: "hotpatch-chromium-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}
