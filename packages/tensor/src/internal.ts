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
export type {
  AnyOpSpec,
  AttrsOf,
  BackwardContext,
  BackwardRule,
  Gradient,
  OpSpec,
} from "./op-spec";
// indexing with items
export type { IndexGetAttrs, IndexPutAttrs } from "./ops/advanced-index";
export type { SliceAttrs } from "./ops/basic-index";
export type { AddScaledAttrs } from "./ops/binary";
export type { AdvancedItem, BasicStep } from "./ops/index-items";
export type { IndexAttrs, IndexIntoAttrs, SelectBackwardAttrs } from "./ops/indexing";
export { inPlace } from "./ops/inplace";
export type { ArgAttrs, ReduceAttrs, SelectedAttrs, VarAttrs } from "./ops/reduce";
export type { OpAttrs, OpName, OpSpecs } from "./ops/registry";
export { opSpecs } from "./ops/registry";
export type { AddcAttrs } from "./ops/ternary";
export type { ClampAttrs, RoundAttrs } from "./ops/unary";
export type { LayoutAttrs, NarrowAttrs, SelectAttrs } from "./ops/views";
