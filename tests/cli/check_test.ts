import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { runAdminCommand } from "../../src/cli/admin.ts";
import { runCheck } from "../../src/cli/check.ts";

async function check(args: string[], input: string) {
  let out = "";
  let err = "";
  const stdin = ReadableStream.from([new TextEncoder().encode(input)]);
  const code = await runCheck(args, {
    stdin,
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env: {},
  });
  return { code, out, err };
}

Deno.test("check: prints the detections and the corrected text, and exits 1 for detections", async () => {
  const { code, out, err } = await check(
    [],
    "<think>plan</think>\nAnswer.<|im_end|>\n<|im_start|>user\nmore",
  );
  assertEquals(code, 1);
  assertEquals(err, "");
  ok(out.includes("think_leak"));
  ok(out.includes("template_leak"));
  ok(out.endsWith("--- corrected text ---\nAnswer.\n"), out);
});

Deno.test("check --help: --json says what it prints (check's JSON has no times)", async () => {
  let out = "";
  const io = { stdout: (s: string) => void (out += s), stderr: () => {}, env: {} };
  assertEquals(await runAdminCommand(["check", "--help"], io), 0);
  ok(/--json\s+print JSON: the detections, the corrected text, the thinking\n/.test(out), out);
});

Deno.test("check: a detection reads as in hotpatch log (→, the same words for moved and ended)", async () => {
  const { out } = await check([], "<think>plan</think>\nAnswer.<|im_end|>\n<|im_start|>user\nmore");
  ok(
    out.includes('think_leak [0, 20) "<think>plan</think>\\n" → moved to the reasoning channel ('),
    out,
  );
  ok(out.includes('"<|im_end|>" → answer ended here ('), out);
});

Deno.test("check: --json gives detections with their action, the corrected text and the thinking", async () => {
  const { code, out } = await check(
    ["--json", "--model", "qwen3", "--exit-zero"],
    "<think>plan</think>\nDone.<|im_end|>junk",
  );
  assertEquals(code, 0, "--exit-zero");
  const parsed = JSON.parse(out) as {
    detections: { type: string; action: string }[];
    corrected: string;
    thinking: string;
  };
  assertEquals(parsed.corrected, "Done.");
  assertEquals(parsed.thinking, "plan");
  assertEquals(parsed.detections.map((d) => [d.type, d.action]), [["think_leak", "correct"], [
    "template_leak",
    "correct",
  ]]);
});

Deno.test("check: clean text passes through unchanged and exits 0", async () => {
  const { out, code } = await check(["--json"], "Use `<|im_end|>` as the stop token.\n");
  assertEquals(code, 0);
  const parsed = JSON.parse(out) as { detections: unknown[]; corrected: string };
  assertEquals(parsed.detections, []);
  assertEquals(parsed.corrected, "Use `<|im_end|>` as the stop token.\n");
});

Deno.test("check: --workspace flags paths that do not exist", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/src`);
    await Deno.writeTextFile(`${dir}/src/app.ts`, "export {};\n");
    const { code, out } = await check(
      ["--json", "--workspace", dir],
      "Edit src/app.ts and src/apq.ts now.\n",
    );
    assertEquals(code, 1);
    const parsed = JSON.parse(out) as { corrected: string };
    assertEquals(parsed.corrected, "Edit src/app.ts and src/app.ts now.\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check: bad flags exit 2 with one line", async (t) => {
  for (
    const args of [["--bogus"], ["--workspace", "/no/such/dir/hotpatch"], [
      "--db",
      "/no/such/file.db",
    ], ["extra"]]
  ) {
    await t.step(args.join(" "), async () => {
      const { code, err, out } = await check(args, "x");
      assertEquals(code, 2);
      assertEquals(out, "");
      assertEquals(err.trim().split("\n").length, 1);
      ok(err.startsWith("hotpatch check: "), err);
    });
  }
});
