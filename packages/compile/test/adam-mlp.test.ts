import "@x/autograd";
import { Linear, MSELoss, Sequential, Tanh } from "@x/nn";
import { Adam, AdamW, type Optimizer, SGD, StepLR } from "@x/optim";
import { manualSeed, randn, type Tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { compile, compileStats } from "../src/compile";
import { bits, visible } from "./helpers";

manualSeed(7);
const x = randn(16, 3);
const y = randn(16, 1);

function mlp() {
  manualSeed(1);
  return new Sequential(new Linear(3, 8), new Tanh(), new Linear(8, 1));
}

type MakeOptimizer = (model: Sequential) => { optimizer: Optimizer; after?: () => void };

/** Runs `steps` training steps of a seeded MLP, compiled or not; returns what a user can see. */
function train(steps: number, make: MakeOptimizer, compiled: boolean) {
  const model = mlp();
  const { optimizer, after } = make(model);
  const lossFn = new MSELoss();
  const body = (input: Tensor, target: Tensor) => {
    optimizer.zeroGrad();
    const loss = lossFn.forward(model.forward(input) as Tensor, target) as Tensor;
    loss.backward();
    optimizer.step();
    return loss;
  };
  const step = compiled ? compile(body) : body;
  let loss: Tensor | null = null;
  for (let i = 0; i < steps; i++) {
    loss = step(x, y);
    after?.();
  }
  const state = JSON.stringify(optimizer.stateDict());
  return {
    visible: visible(model.parameters()),
    loss: bits(loss),
    state,
    stats: compiled ? compileStats(step) : undefined,
  };
}

const optimizers: Record<string, MakeOptimizer> = {
  Adam: (model) => ({ optimizer: new Adam(model.parameters(), { lr: 1e-2 }) }),
  "AdamW (amsgrad)": (model) => ({
    optimizer: new AdamW(model.parameters(), { lr: 1e-2, amsgrad: true }),
  }),
  "SGD with momentum and a StepLR schedule": (model) => {
    const optimizer = new SGD(model.parameters(), { lr: 1e-1, momentum: 0.9, nesterov: true });
    const scheduler = new StepLR(optimizer, { stepSize: 3, gamma: 0.5 });
    return { optimizer, after: () => scheduler.step() };
  },
};

describe("compile: an MLP step (@x/nn layers)", () => {
  for (const [name, make] of Object.entries(optimizers)) {
    for (const steps of [1, 2, 100]) {
      it(`${name}: parameters, grads, optimizer state and loss match eager bit for bit after ${steps} step(s)`, () => {
        const eager = train(steps, make, false);
        const compiled = train(steps, make, true);
        expect(compiled.visible).toEqual(eager.visible);
        expect(compiled.loss).toEqual(eager.loss);
        expect(compiled.state).toEqual(eager.state);
        if (steps === 100) expect(compiled.stats?.replays).toBeGreaterThanOrEqual(95);
      });
    }
  }
});
