/**
 * The `--help` text.
 * @module
 */

import { ADMIN_HELP } from "./cli/admin.ts";

/** Shown by `hotpatch --help`. */
export const HELP = `hotpatch — hallucination hot-patching proxy for local LLM servers

Usage:
  hotpatch [serve] [flags]        run the proxy (default command)
  hotpatch check [--workspace DIR] [--json]   run the detectors over model output on stdin
  hotpatch patterns|fixes|behaviors|export|import|stats|log …   manage rules (see below)
  hotpatch demo [--port N] [--once]   a scripted model, hotpatch in front, six classic mistakes
                            corrected with their reasons; the dashboard stays up (--once: exit)
  hotpatch --help | --version

serve flags (each also read from HOTPATCH_<NAME>, e.g. HOTPATCH_UPSTREAM):
  --host HOST               listen address (default 127.0.0.1)
  --port N                  listen port (default 11435; 0 = any free port)
  --upstream URL            model server (default http://127.0.0.1:11434; host:port accepted)
  --workspace DIR           workspace root for path checks, repeatable (default: current dir;
                            HOTPATCH_WORKSPACE takes a ':'-separated list)
  --db PATH                 SQLite rules database (default: user data dir)
  --log-dir DIR             where corrections.log goes (default: next to the database)
  --mode correct|detect|off rewrite, only log, or pass through (default correct)
  --upstream-timeout MS     time to first byte and max idle gap between chunks (default 300000)
  --max-connections N       concurrent requests before 503 (default 1024)
  --max-body SIZE           request body limit, bytes or 32MiB-style (default 32MiB)
  --admin-token TOKEN       require "Authorization: Bearer TOKEN" on /hotpatch/api
  --holdback N              characters the corrector may hold back per channel (default 512)
  --log-level LEVEL         debug|info|warning|error (default info)
  Aliases: --proxy-port (= --port), --gguf-endpoint (= --upstream),
           --enable-hot-patching (= --mode correct), --disable-hot-patching (= --mode off)

Per request, the header "x-hotpatch-mode: off|detect|correct" overrides --mode.
Dashboard, admin API, live feed and metrics live under http://HOST:PORT/hotpatch/
(GET /hotpatch/api lists the routes).

${ADMIN_HELP}`;
