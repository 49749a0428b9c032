// SGD vs Adam on the thermometer problem: the book's 3_optimizers training loop.
import { Adam, SGD } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import { trainingStep } from "./compiled-step";
import { lossFn, model } from "./model";

export type OptimizerName = "SGD" | "Adam";

export interface RaceResult {
  name: OptimizerName;
  /** Loss per epoch (before that epoch's step), 1-based epochs. */
  losses: number[];
  /** The parameters each epoch started from. */
  path: { w: number; b: number }[];
  w: number;
  b: number;
  /** First epoch with a non-finite loss; training stops there. */
  divergedAt: number | null;
  ms: number;
}

/** Trains (w, b) from (1, 0) with one optimizer: zeroGrad, backward, step, as the book. */
export function train(
  name: OptimizerName,
  options: { tU: Tensor; tC: Tensor; lr: number; epochs: number; momentum?: number },
): RaceResult {
  const started = performance.now();
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const optimizer =
    name === "SGD"
      ? new SGD([params], { lr: options.lr, momentum: options.momentum ?? 0 })
      : new Adam([params], { lr: options.lr });
  const losses: number[] = [];
  const path: { w: number; b: number }[] = [];
  let divergedAt: number | null = null;
  const step = trainingStep((tU: Tensor, tC: Tensor) => {
    const [w, b] = params.unbind();
    const loss = lossFn(model(tU, w!, b!), tC);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    return loss;
  });
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const [wv, bv] = params.toArray() as number[];
    path.push({ w: wv as number, b: bv as number });
    // The loss was measured before the step, at the parameters just recorded.
    const value = step(options.tU, options.tC).item() as number;
    losses.push(value);
    if (!Number.isFinite(value)) {
      divergedAt = epoch;
      break;
    }
  }
  // After a divergence the book's loop stops before that epoch's step: report its parameters.
  const last = path.at(-1);
  const [w, b] =
    divergedAt === null || last === undefined ? (params.toArray() as number[]) : [last.w, last.b];
  return {
    name,
    losses,
    path,
    w: w as number,
    b: b as number,
    divergedAt,
    ms: performance.now() - started,
  };
}
