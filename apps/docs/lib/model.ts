// The chapter's model and loss, written with the packages exactly as the pages show them.
import "@x/autograd";
import { type DType, type Tensor, tensor } from "@x/tensor";
import { T_C, T_U } from "./thermometer";

/** The book's data as tensors; `scale` multiplies t_u (0.1 is the book's normalisation). */
export function thermometer(options: { scale?: number; dtype?: DType } = {}): {
  tU: Tensor;
  tC: Tensor;
} {
  const dtype = options.dtype ?? "float32";
  const tU = tensor([...T_U], { dtype });
  return {
    tU: options.scale === undefined ? tU : tU.mul(options.scale),
    tC: tensor([...T_C], { dtype }),
  };
}

/** `t_p = w * t_u + b`, the chapter's linear model. */
export function model(tU: Tensor, w: Tensor | number, b: Tensor | number): Tensor {
  return tU.mul(w).add(b);
}

/** Mean squared error, as the book's `loss_fn`. */
export function lossFn(tP: Tensor, tC: Tensor): Tensor {
  return tP.sub(tC).pow(2).mean();
}

/** The loss of the linear model at (w, b), as a number. */
export function lossAt(tU: Tensor, tC: Tensor, w: number, b: number): number {
  return lossFn(model(tU, w, b), tC).item() as number;
}

/**
 * The least-squares optimum of the linear model, from the normal equations written with tensor
 * ops: w* = cov(x, y) / var(x), b* = mean(y) − w* · mean(x). Computed in float64.
 */
export function leastSquares(x: Tensor, y: Tensor): { w: number; b: number; loss: number } {
  const x64 = x.double();
  const y64 = y.double();
  const dx = x64.sub(x64.mean());
  const w = dx.mul(y64.sub(y64.mean())).sum().div(dx.square().sum());
  const b = y64.mean().sub(w.mul(x64.mean()));
  const wn = w.item() as number;
  const bn = b.item() as number;
  return { w: wn, b: bn, loss: lossAt(x, y, wn, bn) };
}
