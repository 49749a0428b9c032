export type { CreationOptions, NestedArray } from "./creation";
export {
  arange,
  empty,
  emptyLike,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  tensor,
  zeros,
  zerosLike,
} from "./creation";
export type { BackwardOptions } from "./dispatch";
export type { DType, TypedArray } from "./dtype";
export { isFloating, promoteTypes, resultType } from "./dtype";
export type { TensorErrorCode } from "./errors";
export { formatShape, TensorError } from "./errors";
// indexing with items
export type { IndexPutOptions } from "./ops/advanced-index";
export { index, indexPut, indexPut_ } from "./ops/advanced-index";
export {
  add,
  addScaled,
  div,
  eq,
  ge,
  gt,
  le,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  pow,
  reluBackward,
  sub,
} from "./ops/binary";
export { clone, to } from "./ops/cast";
export type { IndexItem, NestedIndexArray } from "./ops/index-items";
export { parseSlice, Slice, slice } from "./ops/index-items";
export { gather, indexAdd, indexSelect, scatterAdd, selectBackward } from "./ops/indexing";
export { cat, chunk, split, stack } from "./ops/joining";
export { dot, matmul, mm } from "./ops/linalg";
export { nonzero } from "./ops/nonzero";
export type { DimArgument } from "./ops/reduce";
export {
  amax,
  amin,
  argmax,
  argmin,
  max,
  mean,
  min,
  prod,
  reducedShape,
  std,
  sum,
  variance,
} from "./ops/reduce";
export { sumTo } from "./ops/sum-to";
export { addcdiv, addcmul, where } from "./ops/ternary";
export type { RoundOptions } from "./ops/unary";
export {
  abs,
  ceil,
  clamp,
  cos,
  exp,
  floor,
  log,
  neg,
  relu,
  round,
  sigmoid,
  sign,
  sin,
  sqrt,
  square,
  tanh,
  trunc,
} from "./ops/unary";
export {
  contiguous,
  expand,
  flatten,
  narrow,
  permute,
  reshape,
  select,
  squeeze,
  t,
  transpose,
  unbind,
  unsqueeze,
  view,
} from "./ops/views";
export type { PrintOptions, SetPrintOptions } from "./print-options";
export { getPrintOptions, setPrintOptions } from "./print-options";
export type { RandomOptions } from "./random";
export {
  defaultGenerator,
  Generator,
  manualSeed,
  rand,
  randint,
  randLike,
  randn,
  randnLike,
  randperm,
} from "./random";
export type { Shape, SizeArgs } from "./shape";
export { broadcastShapes, sameShape } from "./shape";
export { Storage } from "./storage";
export type { GradFn, GradHook, Operand, ValuesIndices, VarOptions } from "./tensor";
export { Tensor } from "./tensor";
