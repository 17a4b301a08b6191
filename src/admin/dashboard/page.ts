/**
 * The dashboard page served at `GET /hotpatch/`: one self-contained HTML document (style and
 * script inline, no CDN, no build step), compiled into the binary as string modules. Its
 * Content-Security-Policy allows only that inline script (by hash) and same-origin requests.
 * @module
 */
import { encodeBase64 } from "./base64.ts";
import { LIVE_JS } from "./live.ts";
import { RULES_JS } from "./rules.ts";
import { DASHBOARD_CSS } from "./style.ts";

const SCRIPT = LIVE_JS + RULES_JS;

const BODY = String.raw`
<div id="token" class="token hidden">
  <h2>Admin token</h2>
  <p>This hotpatch asks for its admin token (<code>--admin-token</code>). It is kept for this tab only.</p>
  <form><input type="password" name="token" placeholder="token" autocomplete="off" size="30">
  <button class="btn primary" type="submit">Open</button></form>
</div>
<div id="app">
<header>
  <h1>hotpatch</h1><span class="meta" id="version"></span>
  <span class="spacer"></span>
  <span class="pill" id="upstream"><span class="dot"></span>upstream …</span>
  <span class="pill" id="feed"><span class="dot"></span>feed …</span>
</header>
<nav><button data-tab="live" class="on">Live</button><button data-tab="rules">Rules</button></nav>
<main>
<div id="live">
  <div class="cards">
    <div class="card"><div class="label">Requests</div><div class="value" id="requests-total">–</div><div class="sub">since the database was created</div></div>
    <div class="card"><div class="label">Detections</div><div class="value" id="detected-total">–</div><div class="sub">recorded, all actions</div></div>
    <div class="card"><div class="label">Corrected</div><div class="value" id="corrected-total">–</div><div class="sub">answers changed before the agent saw them</div></div>
    <div class="card"><div class="label">In flight</div><div class="value" id="active">0</div><div class="sub" id="feed-note">requests streaming now</div></div>
  </div>
  <div class="grid">
    <div>
      <section class="panel"><h2>Corrections <span class="count" id="corr-count"></span></h2>
        <div class="feed" id="corrections"><div class="empty">No corrections yet. They appear here the moment hotpatch makes them.</div></div>
      </section>
    </div>
    <div>
      <section class="panel"><h2>Requests</h2>
        <table id="requests"><thead><tr><th>Request</th><th>Status</th><th class="num">Took</th><th class="num" title="hotpatch's own time before the first byte">hotpatch</th><th class="num">Fixes</th></tr></thead><tbody></tbody></table>
      </section>
      <section class="panel"><h2>By detection type <span class="count">(lifetime)</span></h2>
        <table id="by-type"><tbody></tbody></table></section>
      <section class="panel"><h2>By model <span class="count">(recent)</span></h2>
        <table id="by-model"><tbody></tbody></table></section>
      <section class="panel"><h2>Upstream errors</h2>
        <div id="upstream-errors"><div class="empty">none</div></div></section>
    </div>
  </div>
</div>
<div id="rules" class="hidden">
  <section class="panel" id="rules-patterns"></section>
  <section class="panel" id="rules-fixes"></section>
  <section class="panel" id="rules-behaviors"></section>
</div>
</main>
</div>`;

/** The whole page. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hotpatch</title>
<link rel="icon" href="data:,">
<style>${DASHBOARD_CSS}</style>
</head><body>${BODY}
<script>${SCRIPT}</script>
</body></html>
`;

let policy: Promise<string> | null = null;

/**
 * The page's Content-Security-Policy: its own inline script (by SHA-256) and style, requests to
 * its own origin only.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const csp = await dashboardPolicy();
 * assert.match(csp, /^default-src 'none'; script-src 'sha256-/);
 * ```
 */
export function dashboardPolicy(): Promise<string> {
  policy ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(SCRIPT)).then((hash) =>
    [
      "default-src 'none'",
      `script-src 'sha256-${encodeBase64(new Uint8Array(hash))}'`,
      "style-src 'unsafe-inline'",
      "connect-src 'self'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; ")
  );
  return policy;
}
