import { type Tensor, zerosLike } from "@x/tensor";
import { nextStep, Optimizer, type ParamState, stateTensor } from "./optimizer";
import type { ParamGroup, Params } from "./param-groups";
import { checkBoolean, checkEps, checkLr, checkNumber, checkWeightDecay } from "./validate";

/**
 * Options of {@link Adam} and {@link AdamW} (torch.optim.Adam's, in camelCase), each optional
 * (default in parentheses). `optimizer.defaults` and `optimizer.paramGroups` hold them all,
 * resolved: `Required<AdamOptions>`.
 */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** Weight decay: an L2 penalty for Adam, decoupled for AdamW (default 0 for Adam, 1e-2 for AdamW). */
  weightDecay?: number;
  /** Use the AMSGrad variant, the maximum of past second moments (default false). */
  amsgrad?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** torch's Adam/AdamW defaults, with the given weight decay (0 for Adam, 1e-2 for AdamW). */
export function adamDefaults(weightDecay: number): Required<AdamOptions> {
  return { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay, amsgrad: false, maximize: false };
}

/**
 * Adam, exactly as torch.optim.Adam (and its float32 arithmetic order): `m ← β₁m + (1 − β₁)g`,
 * `v ← β₂v + (1 − β₂)g²`, `θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)`, with weight decay
 * added to the gradient and AMSGrad using the running maximum of `v`.
 *
 * @example
 * const optimizer = new Adam([params], { lr: 1e-1 });
 */
export class Adam extends Optimizer<Required<AdamOptions>> {
  /** The name in error messages (`"AdamW"` for the subclass). */
  static readonly apiName: string = "Adam";
  /** The default options (AdamW's `weightDecay` is 1e-2). */
  static readonly optionDefaults: Readonly<Required<AdamOptions>> = /* @__PURE__ */ adamDefaults(0);
  /** True for AdamW: weight decay shrinks the parameters instead of joining the gradient. */
  protected readonly decoupledWeightDecay: boolean = false;

  constructor(params: Params<Required<AdamOptions>>, options: AdamOptions = {}) {
    super(new.target.apiName, params, { ...new.target.optionDefaults }, options);
  }

  protected validate(options: Required<AdamOptions>, where: string): void {
    checkAdamOptions(this.api, options, where);
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<Required<AdamOptions>>,
  ): void {
    const [beta1, beta2] = group.betas;
    const { lr, weightDecay, eps } = group;
    const expAvg = stateTensor(state, "expAvg", () => zerosLike(param));
    const expAvgSq = stateTensor(state, "expAvgSq", () => zerosLike(param));
    const step = nextStep(state);
    let g = group.maximize ? grad.neg() : grad;
    if (this.decoupledWeightDecay) param.mul_(1 - lr * weightDecay);
    else if (weightDecay !== 0) g = g.add(param, { alpha: weightDecay });
    expAvg.mul_(beta1).add_(g, { alpha: 1 - beta1 });
    expAvgSq.mul_(beta2).addcmul_(g, g, { value: 1 - beta2 });
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
    let second = expAvgSq;
    if (group.amsgrad) {
      const max = stateTensor(state, "maxExpAvgSq", () => zerosLike(param));
      second = max.copy_(max.maximum(expAvgSq));
    }
    const denom = second.sqrt().div(biasCorrection2Sqrt).add(eps);
    param.addcdiv_(expAvg, denom, { value: -(lr / biasCorrection1) });
  }
}

/** The checks torch.optim.Adam/AdamW make, on one group's options. */
export function checkAdamOptions(api: string, options: Required<AdamOptions>, where: string): void {
  checkLr(api, options.lr, where);
  checkEps(api, options.eps, where, "1e-8");
  const betas: unknown = options.betas;
  if (!Array.isArray(betas) || betas.length !== 2) {
    checkNumber(
      api,
      "betas",
      betas,
      () => false,
      "an array of two numbers",
      where,
      "pass e.g. { betas: [0.9, 0.999] }.",
    );
  }
  for (const index of [0, 1]) {
    checkNumber(
      api,
      `beta parameter at index ${index}`,
      (betas as unknown[])[index],
      (x) => x >= 0 && x < 1,
      `0 <= betas[${index}] < 1`,
      where,
      "typical betas are [0.9, 0.999].",
    );
  }
  checkWeightDecay(api, options.weightDecay, where);
  checkBoolean(api, "amsgrad", options.amsgrad, where);
  checkBoolean(api, "maximize", options.maximize, where);
}
