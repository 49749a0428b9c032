/**
 * `@x/tensor/internal`: the seam the sibling packages (`@x/autograd`, and later `@x/compile`)
 * build on. Not part of the public API: it changes with the engine, without a deprecation path.
 */
export type { AutogradHooks, Tracer } from "./dispatch";
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
export type {
  AnyOpSpec,
  AttrsOf,
  BackwardContext,
  BackwardRule,
  Gradient,
  OpSpec,
} from "./op-spec";
export { inPlace } from "./ops/inplace";
export type { OpAttrs, OpName, OpSpecs } from "./ops/registry";
export { opSpecs } from "./ops/registry";
