/**
 * `@x/nn/functional` (torch.nn.functional): the layers' computations as functions, the losses,
 * and the activations of @x/tensor.
 *
 * @example
 * import { linear, mseLoss } from "@x/nn/functional";
 * const loss = mseLoss(linear(x, w, b), y);
 * @packageDocumentation
 */
export { relu, sigmoid, tanh } from "@x/tensor";
// normalisation and classification losses
export type {
  BCELossOptions,
  BCEWithLogitsLossOptions,
  CrossEntropyOptions,
  NLLLossOptions,
} from "./functional/classification-losses";
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  nllLoss,
} from "./functional/classification-losses";
export { linear } from "./functional/linear";
export type {
  HuberLossOptions,
  LossOptions,
  Reduction,
  SmoothL1LossOptions,
} from "./functional/losses";
export { huberLoss, l1Loss, mseLoss, smoothL1Loss } from "./functional/losses";
export type { BatchNormOptions, LayerNormOptions } from "./functional/normalization";
export { batchNorm, layerNorm } from "./functional/normalization";
