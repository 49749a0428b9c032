import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCheckpoint } from "@x/train";
import { afterAll, expect, inject, it } from "vitest";
import { runJson, tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

/** Starts `x fit` with `args`, presses Ctrl-C once a few log lines are out, and waits for the end. */
async function interruptFit(args: readonly string[]) {
  const child = spawn(
    process.execPath,
    [inject("cliPath"), "fit", "--epochs", "100000000", "--log-every", "200", ...args],
    { env: { ...process.env, NO_COLOR: "1", COLUMNS: "" } },
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
    /^x fit: interrupted by Ctrl-C after epoch (\d+) of 100000000 \(the last completed epoch; training loss \d+\.\d{6}\)\. (.+)\. Hint: run again with fewer --epochs, or with --early-stopping PATIENCE to stop when the loss stops improving\.\n$/.exec(
      stderr,
    );
  expect(match, stderr).not.toBeNull();
  const epoch = Number(match?.[1]);
  // The last log line is the last completed epoch, the one the message names.
  const logged = [...stdout.matchAll(/^epoch +(\d+)\//gm)].map((m) => Number(m[1]));
  expect(logged.at(-1)).toBe(epoch);
  expect(epoch).toBeGreaterThanOrEqual(400);
  return { epoch, outcome: match?.[2] };
}

it("Ctrl-C stops after the running epoch and reports it", async () => {
  const { outcome } = await interruptFit([]);
  expect(outcome).toBe("Nothing was saved");
});

it("Ctrl-C with --save saves the parameters reached, marked as interrupted", async () => {
  const model = join(dir, "model.safetensors");
  writeFileSync(model, "the previous model");
  const { epoch, outcome } = await interruptFit(["--save", model]);
  expect(outcome).toBe(
    `Saved the parameters reached after epoch ${epoch} to ${model}, marked as interrupted (stop reason "aborted" in its history)`,
  );
  expect(readdirSync(dir)).toEqual(["model.safetensors"]);
  const checkpoint = loadCheckpoint(new Uint8Array(readFileSync(model)));
  expect(checkpoint.history?.stopReason).toBe("aborted");
  expect(checkpoint.history?.last?.epoch).toBe(epoch);
  const inspected = runJson(["inspect", model]);
  expect(JSON.stringify(inspected)).toContain('"stopReason":"aborted"');
  // The saved parameters are the run's: they predict like the book's model on the way there.
  const predicted = runJson(["predict", model, "50"]).predictions[0];
  expect(Number.isFinite(predicted)).toBe(true);
});
