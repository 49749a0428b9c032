import { Adam, type AdamOptions } from "./adam";
import type { Params } from "./param-groups";

/**
 * AdamW, exactly as torch.optim.AdamW: Adam with decoupled weight decay, `θ ← θ(1 − γλ)` before
 * the Adam update (the decay does not enter the moments). `weightDecay` defaults to 1e-2.
 *
 * @example
 * const optimizer = new AdamW([params], { lr: 1e-3, weightDecay: 1e-2 });
 */
export class AdamW extends Adam {
  static override readonly apiName: string = "AdamW";
  protected override readonly decoupledWeightDecay: boolean = true;

  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 1e-2, ...options });
  }
}
