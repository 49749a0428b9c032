import "@x/autograd";
import {
  Conv2d,
  CrossEntropyLoss,
  Flatten,
  Linear,
  MaxPool2d,
  MSELoss,
  ReLU,
  Sequential,
  Tanh,
} from "@x/nn";
import { CosineAnnealingLR, type Optimizer, RMSprop, SGD } from "@x/optim";
import { manualSeed, randint, randn, type Tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { compile, compileStats } from "../src/compile";
import { bits, visible } from "./helpers";

interface Setup {
  model: Sequential;
  optimizer: Optimizer;
  loss: (output: Tensor, target: Tensor) => Tensor;
  /** Called after every step (a scheduler). */
  after?: () => void;
}

/** Trains `steps` steps, compiled or not, and returns every bit a user can see. */
function train(make: () => Setup, input: Tensor, target: Tensor, steps: number, compiled: boolean) {
  const { model, optimizer, loss, after } = make();
  const body = (x: Tensor, y: Tensor): Tensor => {
    optimizer.zeroGrad();
    const value = loss(model.forward(x) as Tensor, y);
    value.backward();
    optimizer.step();
    return value;
  };
  const step = compiled ? compile(body) : body;
  const losses: number[][] = [];
  for (let i = 0; i < steps; i++) {
    losses.push(bits(step(input, target)));
    after?.();
  }
  return {
    visible: visible(model.parameters()),
    losses,
    state: JSON.stringify(optimizer.stateDict()),
    stats: compiled ? compileStats(step) : undefined,
  };
}

/** The bench's W10 model, smaller: conv 3 × 3, ReLU, 2 × 2 max pooling, linear, cross-entropy. */
function cnn(): Setup {
  manualSeed(3);
  const model = new Sequential(
    new Conv2d(2, 4, 3, { padding: 1 }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(4 * 4 * 4, 5),
  );
  const criterion = new CrossEntropyLoss();
  return {
    model,
    optimizer: new SGD(model.parameters(), { lr: 0.05 }),
    loss: (output, target) => criterion.forward(output, target) as Tensor,
  };
}

/** An MLP trained by RMSprop (centered, with momentum) under a cosine schedule. */
function rmsprop(): Setup {
  manualSeed(4);
  const model = new Sequential(new Linear(3, 6), new Tanh(), new Linear(6, 1));
  const optimizer = new RMSprop(model.parameters(), {
    lr: 1e-2,
    momentum: 0.9,
    centered: true,
    weightDecay: 1e-3,
  });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: 10 });
  const criterion = new MSELoss();
  return {
    model,
    optimizer,
    loss: (output, target) => criterion.forward(output, target) as Tensor,
    after: () => scheduler.step(),
  };
}

manualSeed(11);
const images = randn(6, 2, 8, 8);
const classes = randint(0, 5, [6]);
const points = randn(12, 3);
const values = randn(12, 1);

describe("compile: a CNN classifier and RMSprop under a schedule", () => {
  for (const steps of [1, 2, 100]) {
    it(`CNN (conv, ReLU, max pooling, linear, cross-entropy, SGD): eager's bits after ${steps} step(s)`, () => {
      const eager = train(cnn, images, classes, steps, false);
      const compiled = train(cnn, images, classes, steps, true);
      expect(compiled.losses).toEqual(eager.losses);
      expect(compiled.visible).toEqual(eager.visible);
      expect(compiled.state).toEqual(eager.state);
      // the loss's index tensors and max pooling's positions are held in attrs: still replayed
      if (steps === 100) expect(compiled.stats?.replays).toBeGreaterThanOrEqual(95);
    });

    it(`RMSprop (centered, momentum, weight decay, cosine lr): eager's bits after ${steps} step(s)`, () => {
      const eager = train(rmsprop, points, values, steps, false);
      const compiled = train(rmsprop, points, values, steps, true);
      expect(compiled.losses).toEqual(eager.losses);
      expect(compiled.visible).toEqual(eager.visible);
      expect(compiled.state).toEqual(eager.state);
      if (steps === 100) expect(compiled.stats?.replays).toBeGreaterThanOrEqual(95);
    });
  }

  it("the losses fall (the comparison is not between two runs that do nothing)", () => {
    const run = train(cnn, images, classes, 100, true);
    const first = new Float32Array(new Uint32Array(run.losses[0] as number[]).buffer)[0] as number;
    const last = new Float32Array(new Uint32Array(run.losses[99] as number[]).buffer)[0] as number;
    expect(last).toBeLessThan(first * 0.5);
  });
});
