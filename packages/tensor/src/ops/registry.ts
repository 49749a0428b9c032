import type { AttrsOf } from "../op-spec";
import { activationSpecs } from "./activations";
import { indexGetSpec, indexPutSpec } from "./advanced-index";
import { sliceSpec } from "./basic-index";
import { binarySpecs } from "./binary";
import { bitwiseSpecs } from "./bitwise";
import { convolutionBiasSpec, convolutionSpec, convolutionWeightSpec } from "./conv";
import { indexingSpecs } from "./indexing";
import { catSpec } from "./joining";
import { matmulSpec } from "./linalg";
import { logicSpecs } from "./logic";
import { maskedSpecs } from "./masked";
import { mathSpecs } from "./math";
import { mathBinarySpecs } from "./math-binary";
import { nonzeroSpec } from "./nonzero";
import { oneHotSpec } from "./one-hot";
import {
  avgPoolBackwardSpec,
  avgPoolSpec,
  maxPoolBackwardSpec,
  maxPoolIndicesSpec,
  maxPoolSpec,
} from "./pool";
import { reductionSpecs } from "./reduce";
import { scanSpecs } from "./scans";
import { scatterSpecs } from "./scatter";
import { shapeViewSpecs } from "./shape-views";
import { shapeSpecs } from "./shapes";
import { softmaxSpecs } from "./softmax";
import { sortSpecs } from "./sort";
import { ternarySpecs } from "./ternary";
import { topkSpecs } from "./topk";
import { unarySpecs } from "./unary";
import { viewSpecs } from "./views";

/**
 * Every primitive op of `@x/tensor`, by name: the one table from which op names, attribute
 * types and autograd's rules are derived. A family's specs live in its file (`unary.ts`, …).
 */
export const opSpecs = {
  ...unarySpecs,
  ...binarySpecs,
  ...ternarySpecs,
  ...reductionSpecs,
  ...viewSpecs,
  ...indexingSpecs,
  ...logicSpecs,
  ...bitwiseSpecs,
  ...mathSpecs,
  ...mathBinarySpecs,
  ...shapeSpecs,
  ...shapeViewSpecs,
  cat: catSpec,
  matmul: matmulSpec,
  ...maskedSpecs,
  ...scatterSpecs,
  oneHot: oneHotSpec,
  slice: sliceSpec,
  index: indexGetSpec,
  indexPut: indexPutSpec,
  nonzero: nonzeroSpec,
  convolution: convolutionSpec,
  maxPool: maxPoolSpec,
  avgPool: avgPoolSpec,
  avgPoolBackward: avgPoolBackwardSpec,
  ...sortSpecs,
  ...topkSpecs,
  ...scanSpecs,
  softmax: softmaxSpecs.softmax,
  logSoftmax: softmaxSpecs.logSoftmax,
  logsumexp: softmaxSpecs.logsumexp,
  ...activationSpecs,
  convolutionWeight: convolutionWeightSpec,
  convolutionBias: convolutionBiasSpec,
  maxPoolBackward: maxPoolBackwardSpec,
  maxPoolIndices: maxPoolIndicesSpec,
} as const;

/** The table of op specs, as a type. */
export type OpSpecs = typeof opSpecs;

/** Name of a primitive op: a key of the spec table and of autograd's rule table. */
export type OpName = keyof OpSpecs;

/** The attributes each primitive op records for its backward rule. */
export type OpAttrs = { [K in OpName]: AttrsOf<OpSpecs[K]> };
