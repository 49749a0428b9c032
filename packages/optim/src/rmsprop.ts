import { type Tensor, zerosLike } from "@x/tensor";
import { nextStep, Optimizer, type ParamState, stateTensor } from "./optimizer";
import type { ParamGroup, Params } from "./param-groups";
import { checkBoolean, checkEps, checkLr, checkNonNegative, checkWeightDecay } from "./validate";

/**
 * Options of {@link RMSprop} (torch.optim.RMSprop's, in camelCase), each optional (default in
 * parentheses). `optimizer.defaults` and `optimizer.paramGroups` hold them all, resolved:
 * `Required<RMSpropOptions>`.
 */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment (default false). */
  centered?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

const DEFAULTS: Required<RMSpropOptions> = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
};

/**
 * RMSprop, exactly as torch.optim.RMSprop: `v ← αv + (1 − α)g²`; centered: `ḡ ← αḡ + (1 − α)g`
 * and `v̂ = v − ḡ²`; then `b ← μb + g / (√v̂ + ε)`, `θ ← θ − γb` with momentum, else
 * `θ ← θ − γ g / (√v̂ + ε)`. The square root is taken before adding ε (unlike TensorFlow).
 *
 * @example
 * const optimizer = new RMSprop([params], { lr: 1e-2, momentum: 0.9 });
 */
export class RMSprop extends Optimizer<Required<RMSpropOptions>> {
  constructor(params: Params<Required<RMSpropOptions>>, options: RMSpropOptions = {}) {
    super("RMSprop", params, DEFAULTS, options);
  }

  protected validate(options: Required<RMSpropOptions>, where: string): void {
    checkLr("RMSprop", options.lr, where);
    checkEps("RMSprop", options.eps, where, "1e-8");
    checkNonNegative(
      "RMSprop",
      "momentum",
      "momentum value",
      options.momentum,
      where,
      "use 0 (none) or e.g. 0.9.",
    );
    checkWeightDecay("RMSprop", options.weightDecay, where);
    checkNonNegative(
      "RMSprop",
      "alpha",
      "alpha value",
      options.alpha,
      where,
      "use a smoothing constant such as 0.99.",
    );
    checkBoolean("RMSprop", "centered", options.centered, where);
    checkBoolean("RMSprop", "maximize", options.maximize, where);
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<Required<RMSpropOptions>>,
  ): void {
    const { alpha, lr, momentum } = group;
    nextStep(state);
    const squareAvg = stateTensor(state, "squareAvg", () => zerosLike(param));
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    squareAvg.mul_(alpha).addcmul_(g, g, { value: 1 - alpha });
    let avg: Tensor;
    if (group.centered) {
      const gradAvg = stateTensor(state, "gradAvg", () => zerosLike(param));
      gradAvg.mul_(alpha).add_(g, { alpha: 1 - alpha });
      avg = squareAvg.addcmul(gradAvg, gradAvg, { value: -1 }).sqrt();
    } else {
      avg = squareAvg.sqrt();
    }
    avg = avg.add(group.eps);
    if (momentum > 0) {
      const buffer = stateTensor(state, "momentumBuffer", () => zerosLike(param));
      buffer.mul_(momentum).addcdiv_(g, avg, { value: 1 });
      param.add_(buffer, { alpha: -lr });
    } else {
      param.addcdiv_(g, avg, { value: -lr });
    }
  }
}
