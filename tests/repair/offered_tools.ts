/** Tools offered in the tool-call tests: a file reader with a required path, and a lister. */
import type { OfferedTool } from "../../src/detection.ts";

export const tools: OfferedTool[] = [
  {
    name: "read_file",
    parameters: {
      type: "object",
      properties: { path: { type: "string" }, limit: { type: "integer" } },
      required: ["path"],
    },
  },
  { name: "list_dir", parameters: { type: "object", properties: { path: { type: "string" } } } },
];
