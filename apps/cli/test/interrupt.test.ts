import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, inject, it } from "vitest";
import { tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

it("Ctrl-C stops after the running epoch, reports it, and leaves the previous --save file intact", async () => {
  const model = join(dir, "model.safetensors");
  writeFileSync(model, "the previous model");
  const child = spawn(
    process.execPath,
    [inject("cliPath"), "fit", "--epochs", "100000000", "--log-every", "200", "--save", model],
    { env: { ...process.env, NO_COLOR: "1" } },
  );
  let stdout = "";
  let stderr = "";
  let interrupted = false;
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    // Interrupt once training is well under way (a few log lines in).
    if (!interrupted && (stdout.match(/^epoch/gm) ?? []).length >= 3) {
      interrupted = true;
      child.kill("SIGINT");
    }
  });
  const status = await exit;
  expect(interrupted).toBe(true);
  expect(status).toBe(130);
  const match =
    /^x fit: interrupted by Ctrl-C after epoch (\d+) of 100000000 \(the last completed epoch; training loss \d+\.\d{6}\)\. (.+) was not written \(any previous file there is unchanged\)\. Hint: run again with fewer --epochs, or with --early-stopping PATIENCE to stop when the loss stops improving\.\n$/.exec(
      stderr,
    );
  expect(match, stderr).not.toBeNull();
  expect(match?.[2]).toBe(model);
  // The last log line is the last completed epoch, the one the message names.
  const logged = [...stdout.matchAll(/^epoch +(\d+)\//gm)].map((m) => Number(m[1]));
  expect(logged.at(-1)).toBe(Number(match?.[1]));
  expect(Number(match?.[1])).toBeGreaterThanOrEqual(400);
  expect(readFileSync(model, "utf8")).toBe("the previous model");
  expect(readdirSync(dir)).toEqual(["model.safetensors"]);
});
