/**
 * The admin API, mounted by the app under `/hotpatch/api`: rules CRUD, correction history,
 * statistics, export / import.
 * @module
 */
import { Hono } from "hono";
import { MAX_LIMIT } from "../store/corrections.ts";
import { record as fields } from "../rules/fields.ts";
import { parseRulesDocument } from "../store/transfer.ts";
import type { LiveInfo, RuleTable, Store } from "../store/types.ts";
import { parseBehaviorPatch, parseNavigationFix, parsePattern } from "../rules/validate.ts";
import { defaultSettings } from "../rules/detector_settings.ts";
import type { Observer } from "../observe/observer.ts";
import { ROUTES, unmatched } from "./discover.ts";
import { AdminError, errorResponse, idParam, json, readJson, requireToken } from "./http.ts";

/** What the admin routes need. */
export interface AdminDeps {
  store: Store;
  live: () => LiveInfo;
  /** Bearer token required on every request; null for none (loopback without --admin-token). */
  token: string | null;
  /** Milliseconds a client has to send a request body (`--body-timeout`). */
  bodyTimeout?: number;
  /** The live feed's source (`/events`); no feed without it. */
  observer?: Observer;
  /** The first event of the feed (version, mode). */
  hello?: () => unknown;
}

/** Largest body of a rule write, and of an import. */
const MAX_BODY = 256 * 1024;
const MAX_IMPORT = 32 * 1024 * 1024;

/** GET list, POST create (201 with the id), GET/PATCH/DELETE by id, for one rule table. */
function crud<Row, Input>(
  app: Hono,
  path: string,
  noun: string,
  table: RuleTable<Row, Input>,
  parse: (value: unknown, partial: boolean) => Partial<Input>,
  timeout: number,
): void {
  const found = (id: number) => {
    const row = table.get(id);
    if (row === null) throw new AdminError(404, `No ${noun} with id ${id}`);
    return row;
  };
  app.get(path, (c) => json(c, table.list()));
  app.post(path, async (c) => {
    const input = parse(await readJson(c, MAX_BODY, timeout), false) as Input;
    return json(c, { id: table.create(input) }, 201);
  });
  app.get(`${path}/:id`, (c) => json(c, found(idParam(c.req.param("id")))));
  app.patch(`${path}/:id`, async (c) => {
    const id = idParam(c.req.param("id"));
    const change = parse(await readJson(c, MAX_BODY, timeout), true);
    if (!table.update(id, change)) found(id);
    return json(c, found(id));
  });
  app.delete(`${path}/:id`, (c) => {
    const id = idParam(c.req.param("id"));
    if (!table.remove(id)) found(id);
    return json(c, { deleted: id });
  });
}

/** Detection types a corrections query may name: the built-in ones and the patterns' types. */
function knownTypes(store: Store): Set<string> {
  return new Set([...Object.keys(defaultSettings), ...store.patterns.list().map((p) => p.type)]);
}

/** `?request_id=&type=&limit=` of the corrections query, strictly. */
function correctionQuery(query: Record<string, string>, store: Store) {
  fields(query, ["request_id", "type", "limit"], "query");
  const out: { requestId?: string; type?: string; limit?: number } = {};
  if (query.request_id !== undefined) out.requestId = query.request_id;
  if (query.type !== undefined) {
    const known = knownTypes(store);
    if (!known.has(query.type)) {
      throw new AdminError(
        400,
        `Invalid "type" "${query.type}": must be one of ${[...known].sort().join(", ")}`,
      );
    }
    out.type = query.type;
  }
  if (query.limit !== undefined) {
    if (!/^[0-9]{1,6}$/.test(query.limit) || Number(query.limit) > MAX_LIMIT) {
      throw new AdminError(400, `Invalid "limit": must be an integer 0-${MAX_LIMIT}`);
    }
    out.limit = Number(query.limit);
  }
  return out;
}

/**
 * The admin routes. Mount with `app.route("/hotpatch/api", adminRoutes(deps))`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../store/store.ts";
 * const store = openStore(":memory:");
 * const live = { activeConnections: 0, serverListening: true, listenPort: 11435,
 *   upstream: "http://127.0.0.1:11434", mode: "correct" };
 * const api = adminRoutes({ store, live: () => live, token: null });
 * const res = await api.request("/stats");
 * assert.equal((await res.json()).requestsProcessed, 0);
 * store.close();
 * ```
 */
export function adminRoutes(deps: AdminDeps): Hono {
  const { store } = deps;
  const app = new Hono();
  app.onError(errorResponse);
  app.use(requireToken(deps.token));
  const timeout = deps.bodyTimeout ?? 60_000;
  crud(app, "/patterns", "pattern", store.patterns, parsePattern, timeout);
  const fixes = store.navigationFixes;
  crud(app, "/navigation-fixes", "navigation fix", fixes, parseNavigationFix, timeout);
  const patches = store.behaviorPatches;
  crud(app, "/behavior-patches", "behavior patch", patches, parseBehaviorPatch, timeout);
  app.get("/", (c) => json(c, { routes: ROUTES }));
  app.get("/corrections", (c) => json(c, store.list(correctionQuery(c.req.query(), store))));
  const { observer } = deps;
  if (observer !== undefined) {
    app.get("/events", () => {
      const body = observer.bus.subscribe(deps.hello?.() ?? {});
      if (body === null) throw new AdminError(503, "Too many event feed clients: try again later");
      return new Response(body, {
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache",
          "x-accel-buffering": "no",
        },
      });
    });
  }
  app.get("/stats", (c) => json(c, store.stats(deps.live())));
  app.get("/export", (c) => json(c, store.exportRules()));
  app.post("/import", async (c) => {
    const doc = parseRulesDocument(await readJson(c, MAX_IMPORT, timeout));
    store.importRules(doc);
    const counts = {
      patterns: doc.patterns.length,
      navigationFixes: doc.navigationFixes.length,
      behaviorPatches: doc.behaviorPatches.length,
    };
    return json(c, { imported: counts });
  });
  app.notFound(unmatched);
  return app;
}
