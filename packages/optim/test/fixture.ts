/**
 * The PyTorch fixture (fixtures/optim.json, written by fixtures/generate.py) and the two
 * problems it was recorded on, rebuilt with @x/tensor + @x/autograd.
 */
import { readFileSync } from "node:fs";
import "@x/autograd";
import { type DType, type Tensor, tensor } from "@x/tensor";
import { expect } from "vitest";
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  type Optimizer,
  RMSprop,
  SGD,
  StepLR,
} from "../src/index";

interface InputJson {
  shape: number[];
  data: number[];
}

/** One recorded optimizer run (see generate.py's docstring). */
export interface Trajectory {
  name: string;
  problem: "thermometer" | "lstsq";
  dtype: "float32" | "float64";
  optimizer: "SGD" | "Adam" | "AdamW" | "RMSprop" | "Adagrad";
  options: Record<string, unknown>;
  groups: Record<string, unknown>[] | null;
  maximize: boolean;
  scheduler: { name: "StepLR" | "CosineAnnealingLR"; options: Record<string, number> } | null;
  steps: number;
  params: number[][][];
  grads: number[][][];
  losses: number[];
  lrs: number[];
}

/** One recorded learning-rate schedule. */
export interface Schedule {
  name: string;
  scheduler: string;
  options: Record<string, unknown>;
  baseLrs: number[];
  initialLrs: number[] | null;
  metrics: number[] | null;
  lrs: number[][];
}

interface Fixture {
  torch: string;
  problems: Record<
    Trajectory["problem"],
    { inputs: Record<string, InputJson>; params: number[][]; shapes: number[][] }
  >;
  trajectories: Trajectory[];
  book: {
    runs: Record<string, { params: number[]; final_loss: number }>;
    thermometer: { t_c: number[]; t_u: number[] };
    reference: Record<string, { params: number[]; final_loss: number }>;
  };
  schedulers: Schedule[];
}

/** The parsed fixture. */
export const fixture: Fixture = JSON.parse(
  readFileSync(new URL("./fixtures/optim.json", import.meta.url), "utf8"),
);

/** A problem instance: fresh parameters (leaves requiring grad) and the loss at them. */
export interface Problem {
  params: Tensor[];
  loss: () => Tensor;
}

function input(json: InputJson, dtype: DType): Tensor {
  return tensor(json.data.map(Math.fround), { dtype }).reshape(json.shape);
}

/** Rebuilds a fixture problem: the book's thermometer fit or the least-squares problem. */
export function makeProblem(name: Trajectory["problem"], dtype: DType = "float32"): Problem {
  const { inputs, params: initial, shapes } = fixture.problems[name];
  const params = initial.map((values, i) =>
    tensor(values, { dtype })
      .reshape(shapes[i] as number[])
      .requiresGrad_(),
  );
  if (name === "thermometer") {
    const tU = input(inputs.t_u as InputJson, dtype);
    const tC = input(inputs.t_c as InputJson, dtype);
    return {
      params,
      loss: () => {
        const [w, b] = (params[0] as Tensor).unbind() as [Tensor, Tensor];
        return tU.mul(w).add(b).sub(tC).pow(2).mean();
      },
    };
  }
  const x = input(inputs.x as InputJson, dtype);
  const y = input(inputs.y as InputJson, dtype);
  const [w, b] = params as [Tensor, Tensor];
  return { params, loss: () => x.matmul(w).add(b).sub(y).pow(2).mean() };
}

const OPTIMIZERS = { SGD, Adam, AdamW, RMSprop, Adagrad };

/** The optimizer (and scheduler) a trajectory was recorded with, over `params`. */
export function makeOptimizer(
  run: Trajectory,
  params: Tensor[],
): { optimizer: Optimizer; scheduler: { step(): void } | null } {
  const Optimizer = OPTIMIZERS[run.optimizer] as new (
    params: unknown,
    options: Record<string, unknown>,
  ) => Optimizer;
  const spec = run.groups ? params.map((p, i) => ({ params: [p], ...run.groups?.[i] })) : params;
  const optimizer = new Optimizer(spec, run.options);
  if (run.scheduler === null) return { optimizer, scheduler: null };
  const scheduler =
    run.scheduler.name === "StepLR"
      ? new StepLR(optimizer, run.scheduler.options as { stepSize: number })
      : new CosineAnnealingLR(optimizer, run.scheduler.options as { tMax: number });
  return { optimizer, scheduler };
}

/** Flat values of each tensor. */
export function values(tensors: readonly Tensor[]): number[][] {
  return tensors.map((t) => Array.from(t.toTypedArray()));
}

/** Decodes the fixture's values: float32 decimals back to their exact float32. */
export function exact(values: number[][], dtype: DType): number[][] {
  return dtype === "float32" ? values.map((row) => row.map(Math.fround)) : values;
}

/** Expects `actual` close to `expected` elementwise: `|a − e| ≤ rtol·|e| + atol`. */
export function expectClose(
  actual: number[][],
  expected: number[][],
  rtol: number,
  atol: number,
  what: string,
): void {
  for (const [i, row] of expected.entries()) {
    for (const [j, e] of row.entries()) {
      const a = actual[i]?.[j] as number;
      if (!(Math.abs(a - e) <= rtol * Math.abs(e) + atol)) {
        expect.fail(
          `${what}: element [${i}][${j}] is ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`,
        );
      }
    }
  }
}
