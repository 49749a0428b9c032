import type { Tensor } from "@x/tensor";

/**
 * The losses are `@x/nn/functional`'s own functions, re-exported (not copies): `fit`'s
 * `lossFn: mseLoss` and `crossEntropy` from either package are the same function.
 */
export type {
  BCELossOptions,
  BCEWithLogitsLossOptions,
  CrossEntropyOptions,
  HuberLossOptions,
  LossOptions,
  NLLLossOptions,
  Reduction,
  SmoothL1LossOptions,
} from "@x/nn/functional";
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  huberLoss,
  l1Loss,
  mseLoss,
  nllLoss,
  smoothL1Loss,
} from "@x/nn/functional";

/** A loss function as `fit` and `evaluate` call it: prediction first, then target. */
export type LossFn = (prediction: Tensor, target: Tensor) => Tensor;
