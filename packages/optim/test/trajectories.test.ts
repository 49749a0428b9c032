import { tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  exact,
  expectClose,
  fixture,
  makeOptimizer,
  makeProblem,
  type Trajectory,
  values,
} from "./fixture";

// Two checks per recorded PyTorch run:
// - replayed: each step gets torch's own gradient, so only the optimizer's arithmetic is
//   compared; it must reproduce torch's float32 parameters bit for bit at every step;
// - trained: gradients come from @x/autograd on the same problem; float32 parity rtol 1e-5.

function replay(run: Trajectory): number[][][] {
  const problem = makeProblem(run.problem, run.dtype);
  const { optimizer, scheduler } = makeOptimizer(run, problem.params);
  const trajectory = [values(problem.params)];
  for (let step = 0; step < run.steps; step++) {
    problem.params.forEach((param, i) => {
      param.grad = tensor(run.grads[step]?.[i] as number[], { dtype: run.dtype }).reshape(
        param.shape.slice(),
      );
    });
    optimizer.step();
    scheduler?.step();
    trajectory.push(values(problem.params));
  }
  return trajectory;
}

function train(run: Trajectory): { params: number[][][]; lrs: number[] } {
  const problem = makeProblem(run.problem, run.dtype);
  const { optimizer, scheduler } = makeOptimizer(run, problem.params);
  const params = [values(problem.params)];
  const lrs: number[] = [];
  for (let step = 0; step < run.steps; step++) {
    optimizer.zeroGrad();
    const loss = problem.loss();
    (run.maximize ? loss.neg() : loss).backward();
    lrs.push(optimizer.paramGroups[0]?.lr as number);
    optimizer.step();
    scheduler?.step();
    params.push(values(problem.params));
  }
  return { params, lrs };
}

const label = (run: Trajectory) => `${run.name} on ${run.problem} (${run.dtype})`;
const float32Runs = fixture.trajectories.filter((run) => run.dtype === "float32");
const float64Runs = fixture.trajectories.filter((run) => run.dtype === "float64");

describe("optimizers replay PyTorch's float32 trajectories bit for bit (torch's gradients fed in)", () => {
  it.each(float32Runs.map((run) => [label(run), run] as const))("%s", (_, run) => {
    const actual = replay(run);
    expect(actual).toHaveLength(run.steps + 1);
    actual.forEach((params, step) => {
      expect(params, `step ${step}`).toEqual(exact(run.params[step] as number[][], "float32"));
    });
  });
});

describe("optimizers train like PyTorch (gradients from @x/autograd), float32 rtol 1e-5", () => {
  it.each(float32Runs.map((run) => [label(run), run] as const))("%s", (_, run) => {
    const { params, lrs } = train(run);
    // V8's Math.cos and glibc's cos differ by an ulp now and then: lrs agree to ~1e-16
    expectClose([lrs], [run.lrs], 1e-12, 0, "learning rates");
    params.forEach((actual, step) => {
      expectClose(
        actual,
        exact(run.params[step] as number[][], "float32"),
        1e-5,
        1e-6,
        `step ${step}`,
      );
    });
  });
});

describe("float64 parameters follow PyTorch's float64 trajectories", () => {
  it.each(float64Runs.map((run) => [label(run), run] as const))("%s", (_, run) => {
    replay(run).forEach((actual, step) => {
      expectClose(actual, run.params[step] as number[][], 1e-13, 1e-15, `replayed step ${step}`);
    });
    train(run).params.forEach((actual, step) => {
      expectClose(actual, run.params[step] as number[][], 1e-10, 1e-12, `trained step ${step}`);
    });
  });
});
