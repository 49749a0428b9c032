/**
 * `@x/nn/functional` (torch.nn.functional): the layers' computations as functions, the losses,
 * and the activations of @x/tensor.
 *
 * @example
 * import { linear, mseLoss } from "@x/nn/functional";
 * const loss = mseLoss(linear(x, w, b), y);
 * @packageDocumentation
 */

export type {
  AvgPoolOptions,
  ConvOptions,
  ConvTransposeOptions,
  GeluOptions,
  MaxPoolOptions,
  MaxPoolResult,
  SoftmaxOptions,
  SoftplusOptions,
  SpatialArgument,
} from "@x/tensor";
export {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  avgPool1d,
  avgPool2d,
  celu,
  conv1d,
  conv2d,
  convTranspose1d,
  convTranspose2d,
  elu,
  elu_,
  gelu,
  hardsigmoid,
  hardswish,
  hardtanh,
  hardtanh_,
  leakyRelu,
  leakyRelu_,
  logSoftmax,
  logsigmoid,
  maxPool1d,
  maxPool2d,
  mish,
  oneHot,
  relu,
  relu6,
  selu,
  sigmoid,
  silu,
  softmax,
  softmin,
  softplus,
  softsign,
  tanh,
} from "@x/tensor";
export { bilinear } from "./functional/bilinear";
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
export type { DropoutOptions } from "./functional/dropout";
export { dropout } from "./functional/dropout";
export type { EmbeddingOptions } from "./functional/embedding";
export { embedding } from "./functional/embedding";
export type { InterpolateOptions } from "./functional/interpolate";
export { interpolate } from "./functional/interpolate";
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
export type { NormalizeOptions } from "./functional/normalize";
export { normalize } from "./functional/normalize";
export type { PadMode, PadOptions } from "./functional/pad";
export { pad } from "./functional/pad";
