import type { Optimizer } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";

/** The raw bits of a tensor's values (float32 or float64 reinterpreted), for exact comparison. */
export function bits(t: Tensor | null | undefined): number[] {
  if (t === null || t === undefined) return [];
  const values = t.toTypedArray();
  if (values instanceof Float32Array) return Array.from(new Uint32Array(values.slice().buffer));
  if (values instanceof Float64Array) return Array.from(new Uint32Array(values.slice().buffer));
  return Array.from(values);
}

/** Every bit a user can see of some tensors: their values and their `.grad`. */
export function visible(tensors: readonly Tensor[]): number[][] {
  return tensors.flatMap((t) => [bits(t), bits(t.grad)]);
}

/** The book's chapter-5 data: temperatures in Celsius, and the unknown units scaled by 0.1. */
export const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
export const tUn = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]).mul(
  0.1,
);

/** The book's step (W1): `w * x + b`, the mean squared error, backward, one optimizer step. */
export function bookStep(params: Tensor, optimizer: Optimizer) {
  return (x: Tensor, y: Tensor): Tensor => {
    optimizer.zeroGrad();
    const [w, b] = params.unbind() as [Tensor, Tensor];
    const loss = w.mul(x).add(b).sub(y).pow(2).mean();
    loss.backward();
    optimizer.step();
    return loss;
  };
}
