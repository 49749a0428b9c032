import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runCli, tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
const model = join(dir, "model.safetensors");
beforeAll(() => {
  expect(runCli(["fit", "--quiet", "--epochs", "5", "--save", model]).status).toBe(0);
});
afterAll(cleanup);

/**
 * Runs the CLI like `x … | head -n`: reads `lines` lines of `stream`, then closes that pipe, as
 * `head` does once it has them. Resolves to the exit status and what the other stream got.
 */
function runIntoHead(
  args: readonly string[],
  lines: number,
  stream: "stdout" | "stderr" = "stdout",
): Promise<{ status: number | null; signal: string | null; read: string; other: string }> {
  const child = spawn(process.execPath, [inject("cliPath"), ...args], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  const other = stream === "stdout" ? child.stderr : child.stdout;
  let read = "";
  let otherText = "";
  other.on("data", (chunk) => {
    otherText += chunk;
  });
  const pipe = child[stream];
  if (lines === 0) pipe.destroy();
  pipe.on("data", (chunk) => {
    read += chunk;
    if (read.split("\n").length > lines) pipe.destroy();
  });
  return new Promise((resolve) =>
    child.on("close", (status, signal) => resolve({ status, signal, read, other: otherText })),
  );
}

describe("output into a pipe that closes early (| head)", () => {
  it.each([
    ["x fit --epochs 20000 | head -1", ["fit", "--epochs", "20000", "--log-every", "1"]],
    [
      "x predict … | head -2",
      ["predict", model, ...Array.from({ length: 20_000 }, (_, i) => String(i))],
    ],
    ["x --help | head -3 (closed before the help is written)", ["--help"]],
  ])("%s ends quietly with status 141, as Unix tools do", async (_, args) => {
    const lines = args[0] === "--help" ? 0 : 2;
    const run = await runIntoHead(args, lines);
    expect(run.other).toBe("");
    expect(run.status).toBe(141);
  });

  it("a closed stderr ends quietly too (x fit --lrr 2>&1 >/dev/null | head -0)", async () => {
    const run = await runIntoHead(["fit", "--lrr"], 0, "stderr");
    expect(run.other).toBe("");
    expect(run.status).toBe(141);
  });
});
