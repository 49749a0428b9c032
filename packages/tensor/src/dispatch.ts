import type { OpName } from "./op-names";
import type { Tensor } from "./tensor";

/** Options of `Tensor.backward()`. */
export interface BackwardOptions {
  /** Gradient of some scalar with respect to this tensor; required unless it has one element. */
  gradient?: Tensor | number | undefined;
  /** Keep the graph so `backward()` can run through it again. */
  retainGraph?: boolean | undefined;
  /** Record the backward pass itself, so gradients can be differentiated again. */
  createGraph?: boolean | undefined;
}

/**
 * The seam between `@x/tensor` and `@x/autograd`. The tensor package calls these only when
 * `@x/autograd` has installed them; without it no graph is ever built.
 */
export interface AutogradHooks {
  /** Called after an op whose inputs include a tensor that requires grad, while grad mode is on. */
  record(op: OpName, inputs: readonly Tensor[], output: Tensor, attrs: unknown): void;
  /** Called before an in-place op writes into `target`; may throw (leaf that requires grad). */
  checkInPlace(op: string, target: Tensor): void;
  /** Makes `target` the output of `result`'s graph node (after an in-place op wrote `result` into it). */
  rebase(result: Tensor, target: Tensor): void;
  /** Runs `tensor.backward()`. */
  backward(tensor: Tensor, options: BackwardOptions): void;
}

/** Recording state shared by every op: the installed hooks and whether grad mode is on. */
export const recorder: { hooks: AutogradHooks | null; gradEnabled: boolean } = {
  hooks: null,
  gradEnabled: true,
};

/** Installs (or, with `null`, removes) the autograd hooks. Called by `@x/autograd` on import. */
export function setAutogradHooks(hooks: AutogradHooks | null): void {
  recorder.hooks = hooks;
}

/** True when an op on these inputs must be recorded for backward. */
export function isTracked(a: Tensor, b?: Tensor, c?: Tensor): boolean {
  return (
    recorder.hooks !== null &&
    recorder.gradEnabled &&
    (a.requiresGrad || b?.requiresGrad === true || c?.requiresGrad === true)
  );
}

/** Records `output = op(inputs)` when tracking is needed; returns `output`. */
export function record(
  op: OpName,
  inputs: readonly Tensor[],
  output: Tensor,
  attrs: unknown = null,
): Tensor {
  const hooks = recorder.hooks;
  if (hooks !== null && recorder.gradEnabled) {
    for (let i = 0; i < inputs.length; i++) {
      if ((inputs[i] as Tensor).requiresGrad) {
        hooks.record(op, inputs, output, attrs);
        break;
      }
    }
  }
  return output;
}
