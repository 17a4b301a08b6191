/**
 * Tool-call repair throughput on the dev dataset: one iteration repairs every call of
 * tools.jsonl (1,560 calls), so calls per second = 1,560 / time per iteration.
 */
import { defaultSettings } from "../src/rules/detector_settings.ts";
import { detectContext } from "../src/detect/context.ts";
import type { OfferedTool } from "../src/detection.ts";
import { textToolCallDetector } from "../src/detect/text_tool_call.ts";
import { offeredTools } from "../src/repair/offered.ts";
import { repairJsonOutput } from "../src/repair/json_output.ts";
import { repairToolCall } from "../src/repair/repair.ts";
import type { ToolCall } from "../src/types.ts";

const path = new URL("../data/tools.jsonl", import.meta.url);
const cases = (await Deno.readTextFile(path)).split("\n").filter((l) => l.trim() !== "").map(
  (line) => {
    const c = JSON.parse(line) as {
      label: string;
      call: Omit<ToolCall, "index">;
      tools: unknown[];
    };
    return {
      label: c.label,
      call: { index: 0, ...c.call },
      tools: offeredTools({ tools: c.tools }),
    };
  },
);
const valid = cases.filter((c) => c.label === "valid");
const broken = cases.filter((c) => c.label === "malformed_arguments");

Deno.bench(`repairToolCall: all ${cases.length} calls of tools.jsonl`, () => {
  for (const c of cases) repairToolCall(c.call, c.tools, defaultSettings);
});

Deno.bench(`repairToolCall: ${valid.length} valid calls (the common case)`, () => {
  for (const c of valid) repairToolCall(c.call, c.tools, defaultSettings);
});

Deno.bench(`repairToolCall: ${broken.length} malformed argument texts`, () => {
  for (const c of broken) repairToolCall(c.call, c.tools, defaultSettings);
});

const tools: OfferedTool[] = [{ name: "read_file", parameters: { type: "object" } }];
const answer = "Let me look at the file first.\n".repeat(20) +
  '<tool_call>\n{"name": "read_file", "arguments": {"path": "src/app.ts"}}\n</tool_call>';
const ctx = detectContext({ tools });

Deno.bench("text_tool_call: detect + holdFrom over a 700-char answer", () => {
  textToolCallDetector.detect(answer, ctx);
  textToolCallDetector.holdFrom(answer, { ...ctx, final: false });
});

const prose = "The handler reads the file, checks `config.port` and [links](x) <b>here</b>.\n"
  .repeat(55);
Deno.bench("text_tool_call: holdFrom + detect per chunk over a 4 KiB window without calls", () => {
  const c = { ...ctx, final: false, emitted: prose.length - 40 };
  textToolCallDetector.holdFrom(prose, c);
  textToolCallDetector.detect(prose, c);
});

const code = "Here is the fix:\n```ts\nconst port = config.port ?? 8080;\n```\n".repeat(80);
Deno.bench(
  "text_tool_call: holdFrom + detect per chunk over a 4 KiB window with code fences",
  () => {
    const c = { ...ctx, final: false, emitted: code.length - 40 };
    textToolCallDetector.holdFrom(code, c);
    textToolCallDetector.detect(code, c);
  },
);

const doc = JSON.stringify({
  items: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `n${i}` })),
});
Deno.bench("repairJsonOutput: valid 1.5 KB document", () => {
  repairJsonOutput(doc, { schema: null });
});
