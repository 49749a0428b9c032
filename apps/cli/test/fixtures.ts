import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/** One `x fit` run replayed in PyTorch by fixtures/generate.py. */
export interface TorchRun {
  name: string;
  model: "linear" | "quadratic";
  normalize: string;
  optimizer: string;
  lr: number;
  epochs: number;
  options: { momentum?: number };
  params?: number[];
  finalLoss?: number;
  logged?: Record<string, number>;
  predict?: { inputs: number[]; outputs: number[] };
  evaluate?: { mse: number; mae: number };
  coefficients?: number[];
  divergedAt?: number;
  divergedLoss?: string;
}

/** fixtures/runs.json. */
export const runs = JSON.parse(
  readFileSync(fileURLToPath(new URL("fixtures/runs.json", import.meta.url)), "utf8"),
) as { t_u: number[]; t_c: number[]; cases: TorchRun[] };

/** fixtures/thermometer.csv: the book's readings, t_c first. */
export const thermometerCsv = fileURLToPath(new URL("fixtures/thermometer.csv", import.meta.url));

/** The `x fit` arguments that reproduce a run. */
export function fitArgs(run: TorchRun): string[] {
  const args = [
    "fit",
    "--model",
    run.model,
    "--normalize",
    run.normalize,
    "--optimizer",
    run.optimizer,
  ];
  args.push("--lr", String(run.lr), "--epochs", String(run.epochs));
  if (run.options.momentum !== undefined) args.push("--momentum", String(run.options.momentum));
  return args;
}

/** The run called `name`. */
export function torchRun(name: string): TorchRun {
  const run = runs.cases.find((c) => c.name === name);
  if (run === undefined) throw new Error(`no fixture run named ${name}`);
  return run;
}

/** Element-wise |actual - expected| <= atol + rtol · |expected| (float32 after thousands of steps). */
export function expectClose(
  actual: readonly number[],
  expected: readonly number[],
  rtol = 1e-5,
  atol = 1e-6,
): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i] as number;
    expect(Math.abs(a - e), `entry ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(
      atol + rtol * Math.abs(e),
    );
  });
}
