/**
 * Evaluate the tool-call repairs on `tools.jsonl`: per label, valid calls must come out unchanged,
 * broken ones must be detected, and fixes must match the gold call (arguments compared by value).
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import type { Detection } from "../../src/detection.ts";
import { defaultSettings } from "../../src/rules/detector_settings.ts";
import { offeredTools } from "../../src/repair/offered.ts";
import { repairToolCall, type ToolCallRepair } from "../../src/repair/repair.ts";
import { emptyRow, type EvalRow } from "./types.ts";

interface ToolCase {
  label: string;
  call: { name: string; arguments: string };
  expected: { name?: string | null; arguments?: string; missing?: string[] };
  tools: unknown[];
  meta?: { recoverable?: boolean };
}

type Outcome = { detected: boolean; spurious: boolean; fixable: boolean; exact: boolean };

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const typesOf = (ds: readonly Detection[]) => new Set(ds.map((d) => d.type));

/** Which detection types are acceptable for a label besides the expected one. */
const expectedTypes: Record<string, string[]> = {
  misspelled_tool: ["misspelled_tool"],
  unknown_tool: ["unknown_tool"],
  irrelevant_call: ["unknown_tool"],
  malformed_arguments: ["malformed_arguments"],
  missing_required: ["missing_required"],
};

/** Judge one case's repair against its gold answer. */
function judge(c: ToolCase, r: ToolCallRepair): Outcome {
  const types = typesOf(r.detections);
  const allowed = new Set(expectedTypes[c.label] ?? []);
  const spurious = [...types].some((t) => !allowed.has(t));
  const out = r.call ?? { name: "", arguments: "" };
  switch (c.label) {
    case "valid":
      return {
        detected: types.size > 0 || r.call !== null && out.arguments !== c.call.arguments,
        spurious,
        fixable: false,
        exact: false,
      };
    case "misspelled_tool":
      return {
        detected: types.has("misspelled_tool"),
        spurious,
        fixable: true,
        exact: out.name === c.expected.name,
      };
    case "unknown_tool":
    case "irrelevant_call":
      return { detected: types.has("unknown_tool"), spurious, fixable: false, exact: false };
    case "missing_required": {
      const found = r.detections.filter((d) => d.type === "missing_required")
        .map((d) => /parameter "([^"]+)"/.exec(d.reason)?.[1]);
      const invented = !isDeepStrictEqual(parse(out.arguments), parse(c.call.arguments));
      const detected = isDeepStrictEqual(found.sort(), [...(c.expected.missing ?? [])].sort());
      return { detected: detected && !invented, spurious, fixable: false, exact: false };
    }
    default: {
      const fixable = c.meta?.recoverable !== false;
      const exact = fixable
        ? isDeepStrictEqual(parse(out.arguments), parse(c.expected.arguments ?? ""))
        : out.arguments === c.call.arguments ||
          isDeepStrictEqual(parse(out.arguments), parse(c.expected.arguments ?? ""));
      return { detected: types.has("malformed_arguments"), spurious, fixable, exact };
    }
  }
}

function rowName(c: ToolCase): string {
  return c.label === "malformed_arguments" && c.meta?.recoverable === false
    ? "malformed_arguments (cut, unrecoverable)"
    : c.label;
}

/**
 * Run every case of `<datasetsDir>/tools.jsonl` through `repairToolCall` and count per label.
 * For `valid` a change or detection is a false positive. For broken labels `tp`/`fn` count the
 * expected detection, `fp` counts cases with an unexpected extra detection type, and `fixExact`
 * counts gold-equal repairs; for cut-off arguments whose content was lost the "fix" that counts
 * is leaving the text alone (flagged, nothing invented).
 * @example
 * const rows = await evaluateTools("data");
 */
export async function evaluateTools(datasetsDir: string): Promise<EvalRow[]> {
  const text = await Deno.readTextFile(join(datasetsDir, "tools.jsonl"));
  const rows = new Map<string, EvalRow>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const c = JSON.parse(line) as ToolCase;
    const name = rowName(c);
    const row = rows.get(name) ?? emptyRow(`${name} (tools.jsonl)`);
    rows.set(name, row);
    const tools = offeredTools({ tools: c.tools });
    const r = repairToolCall({ index: 0, ...c.call }, tools, defaultSettings);
    const o = judge(c, r);
    row.cases++;
    if (c.label === "valid") {
      if (o.detected) row.fp++;
      else row.tn++;
      continue;
    }
    if (o.detected) row.tp++;
    else row.fn++;
    if (o.spurious) row.fp++;
    if (o.fixable || c.label === "malformed_arguments") {
      row.fixTotal++;
      if (o.exact) row.fixExact++;
    }
  }
  return [...rows.values()];
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? "data";
  for (const r of await evaluateTools(dir)) console.log(JSON.stringify(r));
}
