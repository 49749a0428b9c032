import { Adam, type AdamOptions, adamDefaults } from "./adam";

/**
 * AdamW, exactly as torch.optim.AdamW: Adam with decoupled weight decay, `θ ← θ(1 − γλ)` before
 * the Adam update (the decay does not enter the moments). `weightDecay` defaults to 1e-2.
 * Options and state are {@link Adam}'s.
 *
 * @example
 * const optimizer = new AdamW([params], { lr: 1e-3, weightDecay: 1e-2 });
 */
export class AdamW extends Adam {
  static override readonly apiName: string = "AdamW";
  // a pure call, not a spread of Adam's: bundles that do not use AdamW can drop the class
  static override readonly optionDefaults: Readonly<Required<AdamOptions>> =
    /* @__PURE__ */ adamDefaults(1e-2);
  protected override readonly decoupledWeightDecay: boolean = true;
}
