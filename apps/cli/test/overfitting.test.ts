import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
const linear = join(dir, "linear.csv");
const NOTE = /^Note: the validation loss was lowest at epoch \d+ and has risen since/m;

beforeAll(() => {
  // y = 2x + 1 plus uniform noise, from a fixed linear congruential generator.
  let seed = 1;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const rows = Array.from({ length: 2000 }, () => {
    const x = next() * 10;
    return `${x.toFixed(3)},${(2 * x + 1 + (next() - 0.5)).toFixed(3)}`;
  });
  writeFileSync(linear, `x,y\n${rows.join("\n")}\n`);
});
afterAll(cleanup);

// Converges within 40 epochs; afterwards both losses only move in their last float32 digits.
const converged = [linear, "--val-fraction", "0.5", "--normalize", "standard", "--lr", "0.1"];

describe("the overfitting note", () => {
  it("is not shown for a converged model whose losses only jitter in their last digits", () => {
    const run = runCli(["fit", ...converged, "--epochs", "300"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ +best epoch +\d+/m);
    expect(run.stdout).not.toMatch(NOTE);
  });

  it("is not shown right after early stopping restored the best epoch", () => {
    for (const args of [
      ["fit", ...converged, "--epochs", "3000", "--early-stopping", "20"],
      ["fit", "--val-fraction", "0.2", "--seed", "0", "--early-stopping", "10"],
    ]) {
      const run = runCli(args);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^ +restored +parameters of epoch \d+/m);
      expect(run.stdout).not.toMatch(NOTE);
    }
  });

  it("is shown when the validation loss clearly rose while the training loss fell", () => {
    // The book's data, 2 of 11 rows held out: the validation loss more than doubles.
    const run = runCli(["fit", "--val-fraction", "0.2", "--seed", "0"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(NOTE);
    expect(run.stdout.replace(/\s+/g, " ")).toContain("--early-stopping PATIENCE stops there");
  });
});
