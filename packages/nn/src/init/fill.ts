/**
 * The one place where @x/nn draws random numbers: every initialiser and layer fills its tensors
 * through these two functions, which call the tensor's own `uniform_`/`normal_`, so a model built
 * after `manualSeed(s)` starts from the weights `torch.manual_seed(s)` gives.
 */
import { noGrad } from "@x/autograd";
import type { Generator, Tensor } from "@x/tensor";
import { NNError } from "../errors";

/** Fills `target` in place with values drawn uniformly from `[low, high)`; returns it. */
export function fillUniform<T extends Tensor>(
  target: T,
  low: number,
  high: number,
  generator: Generator | undefined,
  op: string,
): T {
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `expects a [from, to) range with finite from <= to, but got from=${low}, to=${high}.`,
    );
  }
  return noGrad(() => target.uniform_(low, high, { generator }));
}

/** Fills `target` in place with values drawn from N(mean, std²); returns it. */
export function fillNormal<T extends Tensor>(
  target: T,
  mean: number,
  std: number,
  generator: Generator | undefined,
  op: string,
): T {
  if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `expects a finite mean and a finite std >= 0, but got mean=${mean}, std=${std}.`,
    );
  }
  return noGrad(() => target.normal_(mean, std, { generator }));
}
