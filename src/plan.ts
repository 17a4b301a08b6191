/**
 * The plan of one request: everything its response needs, resolved once. This is the only place
 * the mode, the detectors, their settings and the defaults are decided; the chain (src/chain/)
 * only carries the plan out.
 * @module
 */
import { defaultDetectors } from "./detect/mod.ts";
import { resolveSettings } from "./rules/detector_settings.ts";
import { explain, recordedAction, type TextContext } from "./observe/explain.ts";
import type {
  CompiledPattern,
  DetectContext,
  Detection,
  Detector,
  DetectorSetting,
} from "./detection.ts";
import type { Adapter } from "./protocols/adapter.ts";
import { adapterFor } from "./protocols/mod.ts";
import type { RouteKind } from "./protocols/routes.ts";
import { applyBehaviorPatches, patternsFor } from "./store/mod.ts";
import type { Store } from "./store/types.ts";
import { pastCalls } from "./repair/loop.ts";
import { type JsonFormat, offeredTools, requestedJsonFormat } from "./repair/offered.ts";
import type { Action, CorrectionRecord, CorrectionSink, Mode } from "./types.ts";
import { groundedPaths } from "./workspace/grounded.ts";
import type { WorkspaceIndex } from "./workspace/types.ts";

/** The rules in force for one request. */
export interface Rules {
  patterns: readonly CompiledPattern[];
  navigationFixes: ReadonlyMap<string, string>;
}

/** The per-request part of the detector context (everything but the window's own fields). */
export type ContextBase = Omit<DetectContext, "channel" | "final" | "state" | "emitted">;

/** What a record is made of: a detection, or a note of the same shape (`frame_too_large`). */
export type Recordable = Pick<
  Detection,
  "type" | "found" | "replacement" | "confidence" | "reason" | "patternId" | "effect"
>;

/** Records one detection of a channel (or of a tool call / JSON answer) with its action. */
export type Recorder = (
  channel: CorrectionRecord["channel"],
  detection: Recordable,
  action: Action | "passed",
  context?: TextContext,
) => void;

/** Default characters held back per channel. */
export const HOLDBACK = 512;
/** Default bound on one frame (NDJSON line, SSE event, JSON body) and on what is held. */
export const FRAME_MAX = 8 * 1024 * 1024;

/** How the response of a generation request is corrected (or only inspected). */
export interface Correction {
  requestId: string;
  adapter: Adapter;
  /** False in detect mode: the client gets the upstream's bytes; detections are only recorded. */
  rewrite: boolean;
  base: ContextBase;
  detectors: readonly Detector[];
  /** Most characters held back per channel while a detection may still start. */
  holdback: number;
  /** Past this many characters in one frame or held, correction stops and bytes pass through. */
  frameMax: number;
  /** The JSON answer the request asked for (`format`, `response_format`), or null. */
  json: JsonFormat | null;
  record: Recorder;
}

/** What {@link planCorrection} is built from. */
export interface CorrectionInput {
  kind: RouteKind;
  /** The parsed request JSON (after behavior patches). */
  body: Record<string, unknown>;
  requestId: string;
  mode: "correct" | "detect";
  sink: CorrectionSink;
  workspace: WorkspaceIndex | null;
  rules: Rules;
  /** Resolved per-detection-type settings (`resolveSettings`). */
  settings: Readonly<Record<string, DetectorSetting>>;
  /** Most characters held back per channel; {@link HOLDBACK} when not given. */
  holdback?: number;
  /** Text detectors; `defaultDetectors()` when not given. */
  detectors?: readonly Detector[];
  /** Frame bound; {@link FRAME_MAX} when not given. */
  frameMax?: number;
  /** Identical past calls before the next is a `tool_call_loop`; 3 when not given. */
  toolLoopLimit?: number;
  /** Milliseconds since the epoch, for records. */
  clock?: () => number;
}

/**
 * The correction plan of a generation response.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "./store/store.ts";
 * import { resolveSettings } from "./rules/detector_settings.ts";
 * const sink = openStore(":memory:");
 * const plan = planCorrection({ kind: "ollama_chat", body: { model: "qwen3" }, requestId: "r1",
 *   mode: "correct", sink, workspace: null,
 *   rules: { patterns: [], navigationFixes: new Map() }, settings: resolveSettings() });
 * assert.equal(plan.rewrite, true);
 * assert.equal(plan.adapter.protocol, "ollama");
 * sink.close();
 * ```
 */
export function planCorrection(input: CorrectionInput): Correction {
  const adapter = adapterFor(input.kind);
  const base = {
    ...contextBase(input.body, input.workspace, input.rules, input.settings),
    ...(input.toolLoopLimit === undefined ? {} : { toolLoopLimit: input.toolLoopLimit }),
  };
  const clock = input.clock ?? Date.now;
  const request = { requestId: input.requestId, model: base.model, protocol: adapter.protocol };
  return {
    requestId: input.requestId,
    adapter,
    rewrite: input.mode === "correct",
    base,
    detectors: input.detectors ?? defaultDetectors(),
    holdback: input.holdback ?? HOLDBACK,
    frameMax: input.frameMax ?? FRAME_MAX,
    json: requestedJsonFormat(input.body),
    record: (channel, d, action, context) =>
      input.sink.record({
        ...request,
        time: clock(),
        channel,
        type: d.type,
        found: d.found,
        replacement: d.replacement,
        confidence: d.confidence,
        action: action === "passed" ? action : recordedAction(d, action),
        ...(d.patternId === undefined ? {} : { patternId: d.patternId }),
        ...explain(d, context ?? null),
      }),
  };
}

/**
 * The detector context of a request, minus the per-window fields.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultSettings } from "./rules/detector_settings.ts";
 * const base = contextBase({ model: "qwen3", messages: [] }, null,
 *   { patterns: [], navigationFixes: new Map() }, defaultSettings);
 * assert.equal(base.model, "qwen3");
 * ```
 */
export function contextBase(
  body: Record<string, unknown>,
  workspace: WorkspaceIndex | null,
  rules: Rules,
  settings: Readonly<Record<string, DetectorSetting>>,
): ContextBase {
  return {
    model: typeof body.model === "string" ? body.model : "",
    workspace,
    grounded: groundedPaths(body),
    tools: offeredTools(body),
    patterns: rules.patterns,
    navigationFixes: rules.navigationFixes,
    settings,
    history: pastCalls(body),
  };
}

/** One proxied request, planned. */
export interface Plan {
  mode: Mode;
  /** The body to send upstream (behavior patches applied). */
  upstreamBody: Uint8Array<ArrayBuffer> | null;
  /** Null when nothing looks at the response (mode off, a route hotpatch does not correct). */
  correction: Correction | null;
}

/** What {@link buildPlan} reads besides the request. */
export interface PlanDeps {
  store: Store;
  workspace: WorkspaceIndex | null;
  holdback: number;
  frameMax: number;
  /** Identical past calls before the next is a `tool_call_loop` (`--tool-loop-limit`). */
  toolLoopLimit: number;
  /** Text detectors; the default set when not given. */
  detectors?: readonly Detector[];
}

/**
 * Plan one request: for a generation route in `correct`/`detect` mode with a JSON object body,
 * the model's behavior patches are applied and the correction is planned; otherwise the body
 * goes upstream as it came and the response passes through. Counts the request.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "./store/store.ts";
 * const store = openStore(":memory:");
 * const deps = {
 *   store,
 *   workspace: null,
 *   holdback: HOLDBACK,
 *   frameMax: FRAME_MAX,
 *   toolLoopLimit: 3,
 * };
 * const bytes = new TextEncoder().encode('{"model":"qwen3","messages":[]}');
 * assert.equal(buildPlan("ollama_chat", "off", bytes, "r1", deps).correction, null);
 * assert.equal(buildPlan("ollama_chat", "detect", bytes, "r1", deps).correction?.rewrite, false);
 * store.close();
 * ```
 */
export function buildPlan(
  kind: RouteKind | null,
  mode: Mode,
  raw: Uint8Array<ArrayBuffer> | null,
  requestId: string,
  deps: PlanDeps,
): Plan {
  const parsed = kind !== null && mode !== "off" ? parseObject(raw) : null;
  if (kind === null || mode === "off" || parsed === null) {
    deps.store.countRequest();
    return { mode, upstreamBody: raw, correction: null };
  }
  const model = typeof parsed.model === "string" ? parsed.model : "";
  const snapshot = deps.store.rules();
  const patched = applyBehaviorPatches(kind, parsed, model, snapshot.behaviorPatches);
  deps.store.countRequest(patched.applied);
  const changed = patched.body !== parsed;
  return {
    mode,
    upstreamBody: changed ? new TextEncoder().encode(JSON.stringify(patched.body)) : raw,
    correction: planCorrection({
      kind,
      body: patched.body,
      requestId,
      mode,
      sink: deps.store,
      workspace: deps.workspace,
      rules: {
        patterns: [...patternsFor(snapshot, model), ...patched.patterns],
        navigationFixes: snapshot.navigationFixes,
      },
      settings: resolveSettings(patched.settings),
      holdback: deps.holdback,
      frameMax: deps.frameMax,
      toolLoopLimit: deps.toolLoopLimit,
      ...(deps.detectors ? { detectors: deps.detectors } : {}),
    }),
  };
}

function parseObject(raw: Uint8Array | null): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(raw ?? new Uint8Array()));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? parsed as Record<string, unknown>
      : null;
  } catch {
    return null;
  }
}
