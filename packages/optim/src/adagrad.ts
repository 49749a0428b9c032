import { fullLike, type Tensor } from "@x/tensor";
import { nextStep, Optimizer, type ParamState, stateTensor } from "./optimizer";
import type { ParamGroup, ParamGroupInput, Params } from "./param-groups";
import { checkBoolean, checkEps, checkLr, checkNonNegative, checkWeightDecay } from "./validate";

/**
 * Options of {@link Adagrad} (torch.optim.Adagrad's, in camelCase), each optional (default in
 * parentheses). `optimizer.defaults` and `optimizer.paramGroups` hold them all, resolved:
 * `Required<AdagradOptions>`.
 */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Learning-rate decay: step `t` uses `lr / (1 + (t − 1) · lrDecay)` (default 0). */
  lrDecay?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

const DEFAULTS: Required<AdagradOptions> = {
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
};

/**
 * Adagrad, exactly as torch.optim.Adagrad: `γ̃ = γ / (1 + (t − 1)η)`, `s ← s + g²`,
 * `θ ← θ − γ̃ g / (√s + ε)`. Like torch, the state of each parameter exists from construction.
 *
 * @example
 * const optimizer = new Adagrad([params], { lr: 0.5 });
 */
export class Adagrad extends Optimizer<Required<AdagradOptions>> {
  constructor(params: Params<Required<AdagradOptions>>, options: AdagradOptions = {}) {
    super("Adagrad", params, DEFAULTS, options);
  }

  /** Adds a parameter group and creates its parameters' state (`step` 0, `sum` filled). */
  override addParamGroup(group: ParamGroupInput<Required<AdagradOptions>>): void {
    super.addParamGroup(group);
    const added = this.paramGroups[this.paramGroups.length - 1] as ParamGroup<
      Required<AdagradOptions>
    >;
    for (const param of added.params) {
      this.state.set(param, { step: 0, sum: fullLike(param, added.initialAccumulatorValue) });
    }
  }

  protected validate(options: Required<AdagradOptions>, where: string): void {
    checkLr("Adagrad", options.lr, where);
    checkNonNegative(
      "Adagrad",
      "lrDecay",
      "lrDecay value",
      options.lrDecay,
      where,
      "use 0 for no decay.",
    );
    checkWeightDecay("Adagrad", options.weightDecay, where);
    checkNonNegative(
      "Adagrad",
      "initialAccumulatorValue",
      "initialAccumulatorValue value",
      options.initialAccumulatorValue,
      where,
      "use 0 or a small positive value such as 0.1.",
    );
    checkEps("Adagrad", options.eps, where, "1e-10");
    checkBoolean("Adagrad", "maximize", options.maximize, where);
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<Required<AdagradOptions>>,
  ): void {
    const step = nextStep(state);
    const sum = stateTensor(state, "sum", () => fullLike(param, group.initialAccumulatorValue));
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    const clr = group.lr / (1 + (step - 1) * group.lrDecay);
    sum.addcmul_(g, g, { value: 1 });
    param.addcdiv_(g, sum.sqrt().add(group.eps), { value: -clr });
  }
}
