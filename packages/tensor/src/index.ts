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
// activations (torch.nn.functional's non-linear activations)
export type { GeluApproximate, GeluOptions, SoftplusOptions } from "./ops/activations";
export {
  celu,
  elu,
  elu_,
  gelu,
  hardsigmoid,
  hardswish,
  hardtanh,
  hardtanh_,
  leakyRelu,
  leakyRelu_,
  logsigmoid,
  mish,
  relu6,
  selu,
  silu,
  softplus,
  softsign,
} from "./ops/activations";
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
// logic: truth values, bitwise ops, NaN/∞ tests, closeness
export {
  bitwiseAnd,
  bitwiseLeftShift,
  bitwiseNot,
  bitwiseOr,
  bitwiseRightShift,
  bitwiseXor,
} from "./ops/bitwise";
export { clone, to } from "./ops/cast";
// convolutions (torch.conv1d, torch.conv2d, torch.conv_transpose1d/2d)
export type { ConvOptions, ConvTransposeOptions, SpatialArgument } from "./ops/conv-functions";
export { conv1d, conv2d, convTranspose1d, convTranspose2d } from "./ops/conv-functions";
// scans and einsum
export { einsum } from "./ops/einsum";
export type { IndexItem, NestedIndexArray } from "./ops/index-items";
export { parseSlice, Slice, slice } from "./ops/index-items";
export { gather, indexSelect, selectBackward } from "./ops/indexing";
export { cat, chunk, split, stack } from "./ops/joining";
export { dot, matmul, mm } from "./ops/linalg";
export type { IsCloseOptions } from "./ops/logic";
export {
  all,
  allclose,
  any,
  equal,
  isclose,
  isfinite,
  isinf,
  isnan,
  logicalAnd,
  logicalNot,
  logicalOr,
  logicalXor,
} from "./ops/logic";
// masks and scatter
export { maskedFill, maskedSelect } from "./ops/masked";
// pointwise math (tan … erfc, frac; atan2 … lerp; div's rounding modes)
export {
  acos,
  acosh,
  asin,
  asinh,
  atan,
  atanh,
  cosh,
  erf,
  erfc,
  exp2,
  expm1,
  frac,
  log1p,
  log2,
  log10,
  reciprocal,
  rsqrt,
  sinh,
  tan,
} from "./ops/math";
export type { DivOptions, RoundingMode } from "./ops/math-binary";
export {
  atan2,
  copysign,
  floorDivide,
  fmod,
  hypot,
  lerp,
  logaddexp,
  remainder,
} from "./ops/math-binary";
export { nonzero } from "./ops/nonzero";
export { oneHot } from "./ops/one-hot";
// pooling (torch.nn.functional's max, average and adaptive average pools)
export type { AvgPoolOptions, MaxPoolOptions, MaxPoolResult } from "./ops/pool-functions";
export {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  avgPool1d,
  avgPool2d,
  maxPool1d,
  maxPool2d,
} from "./ops/pool-functions";
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
export type { CumsumOptions } from "./ops/scans";
export { cummax, cummin, cumprod, cumsum, diff, logcumsumexp } from "./ops/scans";
export type {
  IndexAddOptions,
  NestedIndex,
  ScatterOptions,
  ScatterReduceOptions,
  ScatterReduction,
} from "./ops/scatter";
export { indexAdd, scatter, scatterAdd, scatterReduce, take } from "./ops/scatter";
// shape ops: flip, roll, repeat, triangles, diagonals, windows, grids
export type { DiagonalAttrs, MeshgridOptions, UnfoldAttrs } from "./ops/shape-views";
export {
  diagonal,
  diagonalBackward,
  meshgrid,
  movedim,
  swapaxes,
  unflatten,
  unfold,
  unfoldBackward,
} from "./ops/shape-views";
export { diag, flip, repeat, repeatInterleave, roll, tril, triu } from "./ops/shapes";
// softmax and log-sum-exp
export type { SoftmaxOptions } from "./ops/softmax";
export { logSoftmax, logsumexp, softmax, softmin } from "./ops/softmax";
// sorting and selection
export type { SortOptions } from "./ops/sort";
export { argsort, msort, sort } from "./ops/sort";
export { sumTo } from "./ops/sum-to";
export { addcdiv, addcmul, where } from "./ops/ternary";
export type { TopkOptions } from "./ops/topk";
export { kthvalue, median, topk } from "./ops/topk";
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
// random streams as PyTorch's CPU generator
export type {
  GeneratorAlgorithm,
  GeneratorOption,
  GeneratorOptions,
  GeneratorState,
  RandomOptions,
} from "./random";
export {
  bernoulli,
  DEFAULT_SEED,
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
export { Size, sizeOf } from "./size";
export { Storage } from "./storage";
export type { GradFn, GradHook, Operand, ValuesIndices, VarOptions } from "./tensor";
export { Tensor } from "./tensor";
// views and in-place writes into them
export type { TensorList, ViewMeta } from "./view-meta";
