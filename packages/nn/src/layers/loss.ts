import type { Tensor } from "@x/tensor";
import {
  type HuberLossOptions,
  huberLoss,
  type LossOptions,
  l1Loss,
  mseLoss,
  type SmoothL1LossOptions,
  smoothL1Loss,
} from "../functional/losses";
import { keepName, Module } from "../module";

/** The loss modules' shared shape: options kept at construction, `forward(input, target)`. */
export abstract class Loss<O extends LossOptions> extends Module {
  /** The options every call uses. */
  readonly options: O;

  constructor(options: O) {
    super();
    this.options = { ...options };
  }

  /** The loss of `input` against `target`. */
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** Mean squared error as a module (torch.nn.MSELoss); see `mseLoss`. */
export class MSELoss extends Loss<LossOptions> {
  static {
    keepName(this, "MSELoss");
  }

  constructor(options: LossOptions = {}) {
    super(options);
  }
  /** `mseLoss(input, target, options)`. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}

/** Mean absolute error as a module (torch.nn.L1Loss); see `l1Loss`. */
export class L1Loss extends Loss<LossOptions> {
  static {
    keepName(this, "L1Loss");
  }

  constructor(options: LossOptions = {}) {
    super(options);
  }
  /** `l1Loss(input, target, options)`. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, this.options);
  }
}

/** Huber loss as a module (torch.nn.HuberLoss); see `huberLoss`. */
export class HuberLoss extends Loss<HuberLossOptions> {
  static {
    keepName(this, "HuberLoss");
  }

  constructor(options: HuberLossOptions = {}) {
    super(options);
  }
  /** `huberLoss(input, target, options)`. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, this.options);
  }
}

/** Smooth L1 loss as a module (torch.nn.SmoothL1Loss); see `smoothL1Loss`. */
export class SmoothL1Loss extends Loss<SmoothL1LossOptions> {
  static {
    keepName(this, "SmoothL1Loss");
  }

  constructor(options: SmoothL1LossOptions = {}) {
    super(options);
  }
  /** `smoothL1Loss(input, target, options)`. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, this.options);
  }
}
