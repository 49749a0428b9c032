import type { DType } from "./dtype";
import type { Shape } from "./shape";
import type { Tensor } from "./tensor";

/**
 * Every primitive operation `@x/tensor` reports to autograd, with the attributes its backward
 * rule needs. Composite ops (`std`, `square`, `flatten`, `stack`, …) are built from these.
 */
export interface OpAttrs {
  add: null;
  addScaled: { alpha: number };
  addcmul: { value: number };
  sub: null;
  mul: null;
  div: null;
  pow: null;
  maximum: null;
  minimum: null;
  eq: null;
  ne: null;
  lt: null;
  le: null;
  gt: null;
  ge: null;
  neg: null;
  abs: null;
  sign: null;
  exp: null;
  log: null;
  sqrt: null;
  sin: null;
  cos: null;
  tanh: null;
  sigmoid: null;
  relu: null;
  reluBackward: null;
  clamp: { min: number | null; max: number | null };
  sum: { dims: readonly number[]; keepdim: boolean };
  mean: { dims: readonly number[]; keepdim: boolean };
  prod: { dims: readonly number[]; keepdim: boolean };
  var: { dims: readonly number[]; keepdim: boolean; correction: number };
  amax: { dims: readonly number[]; keepdim: boolean };
  amin: { dims: readonly number[]; keepdim: boolean };
  maxDim: { dim: number; keepdim: boolean; indices: Tensor };
  minDim: { dim: number; keepdim: boolean; indices: Tensor };
  argmax: null;
  argmin: null;
  view: null;
  transpose: { dim0: number; dim1: number };
  permute: { dims: readonly number[] };
  expand: null;
  narrow: { dim: number; start: number; length: number };
  select: { dim: number; index: number; unbind?: boolean };
  selectBackward: { dim: number; index: number };
  unsqueeze: { dim: number };
  squeeze: null;
  clone: null;
  to: { from: DType };
  matmul: null;
  indexSelect: { dim: number; index: Tensor };
  indexAdd: { dim: number; index: Tensor };
  gather: { dim: number; index: Tensor };
  scatterAdd: { dim: number; index: Tensor; shape: Shape };
  cat: { dim: number };
  where: { condition: Tensor };
  copy: null;
}

/** Name of a primitive op; keys of the autograd rule table. */
export type OpName = keyof OpAttrs;
