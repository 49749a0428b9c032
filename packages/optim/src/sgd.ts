import type { Tensor } from "@x/tensor";
import { OptimError } from "./errors";
import { Optimizer, type ParamState } from "./optimizer";
import type { ParamGroup, Params } from "./param-groups";
import { checkBoolean, checkLr, checkNonNegative, checkNumber, checkWeightDecay } from "./validate";

/**
 * Options of {@link SGD} (torch.optim.SGD's, in camelCase), each optional (default in
 * parentheses). `optimizer.defaults` and `optimizer.paramGroups` hold them all, resolved:
 * `Required<SGDOptions>`.
 */
export interface SGDOptions {
  /** Learning rate (default 1e-3, as torch 2.x). */
  lr?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Dampening for momentum (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false); needs `momentum > 0` and `dampening` 0. */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

const DEFAULTS: Required<SGDOptions> = {
  lr: 1e-3,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
};

/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum, exactly as torch.optim.SGD:
 * `g ← ∇ + λθ`; `b ← g` at the first step, then `b ← μb + (1 − τ)g`; `g ← g + μb` (Nesterov)
 * or `g ← b`; `θ ← θ − γg` (`+` when maximizing).
 *
 * @example
 * const optimizer = new SGD([params], { lr: 1e-2 });
 * optimizer.zeroGrad(); loss.backward(); optimizer.step();
 */
export class SGD extends Optimizer<Required<SGDOptions>> {
  constructor(params: Params<Required<SGDOptions>>, options: SGDOptions = {}) {
    super("SGD", params, DEFAULTS, options);
  }

  protected validate(options: Required<SGDOptions>, where: string): void {
    checkLr("SGD", options.lr, where);
    checkNonNegative(
      "SGD",
      "momentum",
      "momentum value",
      options.momentum,
      where,
      "use 0 for plain SGD or e.g. 0.9.",
    );
    checkNumber(
      "SGD",
      "dampening value",
      options.dampening,
      Number.isFinite,
      "a finite number",
      where,
      "use 0 (no dampening).",
    );
    checkWeightDecay("SGD", options.weightDecay, where);
    checkBoolean("SGD", "nesterov", options.nesterov, where);
    checkBoolean("SGD", "maximize", options.maximize, where);
    if (options.nesterov && (options.momentum <= 0 || options.dampening !== 0)) {
      throw new OptimError(
        "INVALID_HYPERPARAMETER",
        "SGD",
        `Nesterov momentum requires a momentum and zero dampening, expected momentum > 0 and dampening 0 vs got momentum ${options.momentum} and dampening ${options.dampening} (${where}). Hint: pass { momentum: 0.9, dampening: 0, nesterov: true }, or drop nesterov.`,
      );
    }
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<Required<SGDOptions>>,
  ): void {
    let direction = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) direction = direction.add(param, { alpha: group.weightDecay });
    if (group.momentum !== 0) {
      let buffer = state.momentumBuffer as Tensor | undefined;
      if (buffer === undefined) {
        buffer = direction.clone();
        state.momentumBuffer = buffer;
      } else {
        buffer.mul_(group.momentum).add_(direction, { alpha: 1 - group.dampening });
      }
      direction = group.nesterov ? direction.add(buffer, { alpha: group.momentum }) : buffer;
    }
    param.add_(direction, { alpha: -group.lr });
  }
}
