/**
 * `@x/tensor/internal`: the seam the sibling packages (`@x/autograd`, and later `@x/compile`)
 * build on. Not part of the public API: it changes with the engine, without a deprecation path.
 */
export type { AutogradHooks, BackwardOptions, Tracer } from "./dispatch";
export {
  autogradHooks,
  checkInPlace,
  dispatch,
  isGradEnabled,
  isTracked,
  setAutogradHooks,
  setGradMode,
  setTracer,
} from "./dispatch";
export type { DType } from "./dtype";
// compile: kernels without an in-place variant write into a plan's buffer
export { offerBuffer } from "./dtype";
// @x/nn: the same wording for values in its error messages
export { describeValue } from "./errors";
export type {
  AnyOpSpec,
  AttrsOf,
  BackwardContext,
  BackwardRule,
  Gradient,
  OpSpec,
} from "./op-spec";
// activations
export type {
  EluAttrs,
  GeluAttrs,
  HardtanhAttrs,
  LeakyReluAttrs,
  SoftplusAttrs,
} from "./ops/activations";
// indexing with items
export type { IndexGetAttrs, IndexPutAttrs } from "./ops/advanced-index";
// in-place writes into views (CopySlices)
export type { AsStridedAttrs } from "./ops/as-strided";
export { asStrided, asStridedSpec, layoutIn, zerosLaidOutLike } from "./ops/as-strided";
export type { SliceAttrs } from "./ops/basic-index";
export type { AddScaledAttrs } from "./ops/binary";
// convolutions
export type { ConvAttrs, ConvBiasAttrs } from "./ops/conv";
export { convolutionSpec } from "./ops/conv";
export type { AdvancedItem, BasicStep } from "./ops/index-items";
export type { IndexAttrs, IndexIntoAttrs, SelectBackwardAttrs } from "./ops/indexing";
export { inPlace } from "./ops/inplace";
// logic
export type { IsCloseAttrs } from "./ops/logic";
// masks and scatter
export type { MaskedScatterAttrs } from "./ops/masked";
export type { DivModeAttrs, LerpAttrs } from "./ops/math-binary";
export type { OneHotAttrs } from "./ops/one-hot";
// pooling
export type { AvgPoolAttrs, AvgPoolBackwardAttrs, WindowAttrs } from "./ops/pool";
export { avgPoolBackwardSpec, avgPoolSpec, maxPoolSpec } from "./ops/pool";
export type { ArgAttrs, ReduceAttrs, SelectedAttrs, VarAttrs } from "./ops/reduce";
export type { OpAttrs, OpName, OpSpecs } from "./ops/registry";
export { opSpecs } from "./ops/registry";
// scans and einsum
export type { CumExtremeAttrs, CumsumAttrs, ScanAttrs } from "./ops/scans";
export type { IndexAddAttrs, ScatterAttrs, TakeAttrs } from "./ops/scatter";
// shape ops
export type { DiagonalBackwardAttrs, UnfoldBackwardAttrs } from "./ops/shape-views";
export type { FlipAttrs, RepeatAttrs, RollAttrs, TriangleAttrs } from "./ops/shapes";
// softmax and log-sum-exp
export type { SoftmaxAttrs } from "./ops/softmax";
// sorting and selection
export type { PickAttrs, SortAttrs } from "./ops/sort";
export type { AddcAttrs } from "./ops/ternary";
export type { KthAttrs, MedianAttrs, TopkAttrs } from "./ops/topk";
export type { ClampAttrs, RoundAttrs } from "./ops/unary";
export type { LayoutAttrs, NarrowAttrs, SelectAttrs } from "./ops/views";
export type { ViewMeta } from "./view-meta";
