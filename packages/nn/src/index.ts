/**
 * `@x/nn` (torch.nn): `Module` and `Parameter`, layers, activation and loss modules, and `init`.
 * The functions are in `@x/nn/functional`.
 *
 * @example
 * import { Linear, Sequential, Tanh } from "@x/nn";
 * const model = new Sequential(new Linear(1, 13), new Tanh(), new Linear(13, 1));
 * @packageDocumentation
 */
import "@x/autograd";

export type { NNErrorCode } from "./errors";
export { NNError } from "./errors";
// normalisation and classification losses
export type {
  BCELossOptions,
  BCEWithLogitsLossOptions,
  CrossEntropyOptions,
  NLLLossOptions,
} from "./functional/classification-losses";
export type {
  HuberLossOptions,
  LossOptions,
  Reduction,
  SmoothL1LossOptions,
} from "./functional/losses";
export type { BatchNormOptions, LayerNormOptions } from "./functional/normalization";
/** torch.nn.init: initialisers that fill a tensor in place with torch's formulas. */
export * as init from "./init";
export { ReLU, Sigmoid, Tanh } from "./layers/activation";
export {
  ELU,
  GELU,
  LeakyReLU,
  LogSoftmax,
  SiLU,
  Softmax,
  Softplus,
} from "./layers/activation-options";
export type { BatchNormModuleOptions } from "./layers/batchnorm";
export { BatchNorm, BatchNorm1d, BatchNorm2d } from "./layers/batchnorm";
export type { BilinearOptions } from "./layers/bilinear";
export { Bilinear } from "./layers/bilinear";
export {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  NLLLoss,
} from "./layers/classification-loss";
export { ModuleDict, ModuleList, Sequential } from "./layers/containers";
export type {
  ConvLayerOptions,
  ConvTransposeLayerOptions,
  PaddingMode,
} from "./layers/conv";
export { Conv1d, Conv2d, ConvTranspose2d } from "./layers/conv";
export { Dropout } from "./layers/dropout";
export type { EmbeddingLayerOptions, FromPretrainedOptions } from "./layers/embedding";
export { Embedding } from "./layers/embedding";
export type { LayerNormModuleOptions } from "./layers/layernorm";
export { LayerNorm } from "./layers/layernorm";
export type { LinearOptions } from "./layers/linear";
export { Linear } from "./layers/linear";
export { HuberLoss, L1Loss, Loss, MSELoss, SmoothL1Loss } from "./layers/loss";
export type {
  AvgPool2dLayerOptions,
  AvgPoolLayerOptions,
  MaxPoolLayerOptions,
} from "./layers/pool";
export {
  AdaptiveAvgPool2d,
  AvgPool1d,
  AvgPool2d,
  MaxPool1d,
  MaxPool2d,
} from "./layers/pool";
export { Flatten, Identity, Unflatten } from "./layers/shape";
export type {
  ModuleZeroGradOptions,
  NamedOptions,
  RegisterBufferOptions,
} from "./module";
export { Module } from "./module";
export { Parameter } from "./parameter";
export type { LoadStateDictOptions, LoadStateDictResult, StateDict } from "./state-dict";
