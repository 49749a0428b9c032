// Gradient descent on the thermometer problem with autograd: the book's 2_autograd loop.
import { noGrad } from "@x/autograd";
import { type Tensor, tensor } from "@x/tensor";
import { trainingStep } from "./compiled-step";
import { lossFn, model } from "./model";

/** One point of the path: the parameters an epoch started from and the loss there. */
export interface PathPoint {
  epoch: number;
  w: number;
  b: number;
  loss: number;
}

export interface DescentResult {
  path: PathPoint[];
  /** The first epoch whose loss is not finite, as the book's `torch.isfinite` check. */
  divergedAt: number | null;
}

/**
 * Runs `epochs` steps of plain gradient descent from (w, b) = `start`, recording every epoch's
 * parameters (before the update) and loss; stops after the first non-finite loss, as the book.
 */
export function gradientDescent(options: {
  tU: Tensor;
  tC: Tensor;
  lr: number;
  epochs: number;
  start?: [number, number];
}): DescentResult {
  const { tU, tC, lr, epochs } = options;
  const params = tensor(options.start ?? [1.0, 0.0], { requiresGrad: true });
  const path: PathPoint[] = [];
  const step = trainingStep((tU: Tensor, tC: Tensor) => {
    if (params.grad !== null) params.grad.zero_();
    const [w, b] = params.unbind();
    const loss = lossFn(model(tU, w as Tensor, b as Tensor), tC);
    loss.backward();
    noGrad(() => params.sub_(params.grad!.mul(lr)));
    return loss;
  });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const [wv, bv] = params.toArray() as number[];
    // The loss at the parameters just read; the step has updated them since.
    const lossValue = step(tU, tC).item() as number;
    path.push({ epoch, w: wv as number, b: bv as number, loss: lossValue });
    if (!Number.isFinite(lossValue)) return { path, divergedAt: epoch };
  }
  return { path, divergedAt: null };
}
