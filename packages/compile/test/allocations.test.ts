import "@x/autograd";
import { Linear, MSELoss, Sequential, Tanh } from "@x/nn";
import { Adam, SGD } from "@x/optim";
import { manualSeed, randn, type Tensor, tensor } from "@x/tensor";
import { afterEach, describe, expect, it } from "vitest";
import { compile, compileStats } from "../src/compile";
import { Plan } from "../src/plan";
import { bookStep, tC, tUn } from "./helpers";

const CONSTRUCTORS = ["Float32Array", "Float64Array", "Int32Array", "Uint8Array"] as const;
type Host = Record<(typeof CONSTRUCTORS)[number], unknown>;
const originals = CONSTRUCTORS.map((name) => (globalThis as unknown as Host)[name]);

interface Allocation {
  readonly type: string;
  readonly length: number;
  /** True when the plan's kernel phase made it (not the step's own code). */
  readonly inPlan: boolean;
}

/** Records the typed arrays allocated while `fn` runs. */
function countAllocations(fn: () => void): Allocation[] {
  const allocations: Allocation[] = [];
  let planDepth = 0;
  const run = Plan.prototype.run;
  Plan.prototype.run = function (this: Plan, end?: number) {
    planDepth++;
    try {
      run.call(this, end);
    } finally {
      planDepth--;
    }
  };
  CONSTRUCTORS.forEach((name, i) => {
    (globalThis as unknown as Host)[name] = new Proxy(originals[i] as new (n: number) => unknown, {
      construct(target, args) {
        if (typeof args[0] === "number") {
          allocations.push({ type: name, length: args[0], inPlan: planDepth > 0 });
        }
        return new target(...(args as [number])) as object;
      },
    });
  });
  try {
    fn();
  } finally {
    restore();
    Plan.prototype.run = run;
  }
  return allocations;
}

function restore() {
  CONSTRUCTORS.forEach((name, i) => {
    (globalThis as unknown as Host)[name] = originals[i];
  });
}
afterEach(restore);

describe("compile: replays allocate no buffers", () => {
  it("W1: the plan's kernels allocate nothing; the only buffers are the step's 1-element scalars", () => {
    const params = tensor([1.0, 0.0], { requiresGrad: true });
    const optimizer = new SGD([params], { lr: 1e-2 });
    const step = compile(bookStep(params, optimizer));
    for (let i = 0; i < 3; i++) step(tUn, tC);
    const counted = countAllocations(() => {
      for (let i = 0; i < 10; i++) step(tUn, tC);
    });
    expect(compileStats(step)?.replays).toBe(12);
    expect(counted.filter((a) => a.inPlan)).toEqual([]);
    // pow's exponent and mean's backward scalars as 0-d tensors, backward's seed: the step's code
    expect(counted.every((a) => a.type === "Float32Array" && a.length === 1)).toBe(true);
    expect(counted.length).toBe(10 * 4);
  });

  it("an MLP step with Adam: no tensor buffer from the plan; matmul and row sums still build index tables", () => {
    manualSeed(3);
    const model = new Sequential(new Linear(4, 16), new Tanh(), new Linear(16, 1));
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const lossFn = new MSELoss();
    const x = randn(32, 4);
    const y = randn(32, 1);
    const step = compile((input: Tensor, target: Tensor) => {
      optimizer.zeroGrad();
      const loss = lossFn.forward(model.forward(input) as Tensor, target) as Tensor;
      loss.backward();
      optimizer.step();
      return loss;
    });
    for (let i = 0; i < 3; i++) step(x, y);
    const counted = countAllocations(() => {
      for (let i = 0; i < 5; i++) step(x, y);
    });
    // every float32 buffer is a 1-element scalar of the step's own code (Adam's betas, eps, …)
    const float32 = counted.filter((a) => a.type === "Float32Array");
    expect(float32.filter((a) => a.inPlan || a.length !== 1)).toEqual([]);
    // what is left in the plan: matmul's float64 row scratch and the offset tables (int32) of
    // matmul batches and of reductions over some dims, rebuilt by the kernels on every launch
    const scratch = counted.filter((a) => a.inPlan);
    expect(scratch.length).toBeGreaterThan(0);
    expect(new Set(scratch.map((a) => a.type))).toEqual(new Set(["Float64Array", "Int32Array"]));
  });

  it("intermediates share arena buffers (liveness): fewer buffers than intermediates", () => {
    const params = tensor([1.0, 0.0], { requiresGrad: true });
    const step = compile((x: Tensor) => {
      const [w, b] = params.unbind() as [Tensor, Tensor];
      // a chain of elementwise ops: each intermediate dies after the next op reads it
      return w.mul(x).add(b).exp().log().tanh().sigmoid().sum();
    });
    step(tUn);
    const plan = [...(compileStats(step)?.plans.values() ?? [])][0] as Plan;
    expect(plan.steps.length).toBe(7);
    // 5 intermediates of 11 elements in 2 alternating buffers; the sum is returned (its own)
    expect(plan.memory.slots).toBe(2);
    expect(plan.memory.arenaElements).toBe(22);
    expect(step(tUn).item()).toBe(w1Chain(params));
  });
});

function w1Chain(params: Tensor): number {
  const [w, b] = params.unbind() as [Tensor, Tensor];
  return w.mul(tUn).add(b).exp().log().tanh().sigmoid().sum().item();
}
