import { emptyLike, type Generator, isFloating, type Tensor, zeros } from "@x/tensor";
import { checkTensor, NNError, show } from "../errors";

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** The generator the mask is drawn from (default: the global one that `manualSeed` seeds). */
  generator?: Generator;
}

/** Throws unless `p` is a probability (shared with the `Dropout` module). */
export function checkDropProbability(op: string, p: unknown): number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `dropout probability has to be between 0 and 1, but got ${show(p)}. Hint: p is the chance that an element is zeroed, e.g. 0.5.`,
    );
  }
  return p;
}

/**
 * Zeroes each element of `x` with probability `p` and scales the others by `1 / (1 − p)`
 * (torch.nn.functional.dropout), in training only; `x` itself when `training` is false, `p` is 0
 * or `x` is empty. The mask is torch's: after `manualSeed(s)` the same elements are zeroed as
 * by `torch.manual_seed(s)` on the CPU (it draws `bernoulli_(1 − p)`, then divides by `1 − p`).
 *
 * @example
 * dropout(x, 0.5, model.training)
 */
export function dropout(x: Tensor, p = 0.5, training = true, options: DropoutOptions = {}): Tensor {
  checkTensor(x, "dropout", "input");
  checkDropProbability("dropout", p);
  if (typeof training !== "boolean") {
    throw new NNError(
      "INVALID_ARGUMENT",
      "dropout",
      `training must be a boolean, but got ${show(training)}. Hint: pass module.training.`,
    );
  }
  if (!isFloating(x.dtype)) {
    throw new NNError(
      "INVALID_DTYPE",
      "dropout",
      `expects a floating-point input, but got ${x.dtype}. Hint: convert it with x.float().`,
    );
  }
  if (p === 0 || !training || x.numel() === 0) return x;
  if (p === 1) return x.mul(zeros([], { dtype: x.dtype }));
  const keep = 1 - p;
  const noise = emptyLike(x).bernoulli_(keep, { generator: options.generator }).div(keep);
  return x.mul(noise);
}
