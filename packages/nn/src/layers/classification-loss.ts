import type { Tensor } from "@x/tensor";
import { checkTensor } from "../errors";
import {
  type BCELossOptions,
  type BCEWithLogitsLossOptions,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type CrossEntropyOptions,
  crossEntropy,
  type NLLLossOptions,
  nllLoss,
} from "../functional/classification-losses";
import type { LossOptions } from "../functional/losses";
import { keepName, nameOf } from "../module";
import { Loss } from "./loss";

/**
 * A loss module whose tensor options are buffers (torch's `_WeightedLoss`): `weight` (and
 * `pos_weight`) move with `to()` and appear in `stateDict()` when given.
 */
abstract class WeightedLoss<O extends LossOptions & { weight?: Tensor | null }> extends Loss<O> {
  constructor(options: O, buffers: readonly (keyof O & string)[], torchNames: readonly string[]) {
    super(options);
    buffers.forEach((key, i) => {
      const value = options[key] as Tensor | null | undefined;
      if (value !== null && value !== undefined) checkTensor(value, nameOf(this), key);
      this.registerBuffer(torchNames[i] as string, value ?? null);
    });
  }

  /** The options with the buffers' current tensors. */
  protected current(): O {
    return { ...this.options, weight: Reflect.get(this, "weight") as Tensor | null };
  }
}

/** Cross-entropy as a module (torch.nn.CrossEntropyLoss); see `crossEntropy`. */
export class CrossEntropyLoss extends WeightedLoss<CrossEntropyOptions> {
  static {
    keepName(this, "CrossEntropyLoss");
  }

  constructor(options: CrossEntropyOptions = {}) {
    super(options, ["weight"], ["weight"]);
  }
  /** `crossEntropy(input, target, options)`. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, this.current());
  }
}

/** The negative log-likelihood loss as a module (torch.nn.NLLLoss); see `nllLoss`. */
export class NLLLoss extends WeightedLoss<NLLLossOptions> {
  static {
    keepName(this, "NLLLoss");
  }

  constructor(options: NLLLossOptions = {}) {
    super(options, ["weight"], ["weight"]);
  }
  /** `nllLoss(input, target, options)`. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, this.current());
  }
}

/** Binary cross-entropy of probabilities as a module (torch.nn.BCELoss); see `binaryCrossEntropy`. */
export class BCELoss extends WeightedLoss<BCELossOptions> {
  static {
    keepName(this, "BCELoss");
  }

  constructor(options: BCELossOptions = {}) {
    super(options, ["weight"], ["weight"]);
  }
  /** `binaryCrossEntropy(input, target, options)`. */
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, this.current());
  }
}

/**
 * Binary cross-entropy of logits as a module (torch.nn.BCEWithLogitsLoss); see
 * `binaryCrossEntropyWithLogits`. `posWeight` is the buffer `pos_weight`.
 */
export class BCEWithLogitsLoss extends WeightedLoss<BCEWithLogitsLossOptions> {
  static {
    keepName(this, "BCEWithLogitsLoss");
  }

  constructor(options: BCEWithLogitsLossOptions = {}) {
    super(options, ["weight", "posWeight"], ["weight", "pos_weight"]);
  }
  /** `binaryCrossEntropyWithLogits(input, target, options)`. */
  override forward(input: Tensor, target: Tensor): Tensor {
    const posWeight = Reflect.get(this, "pos_weight") as Tensor | null;
    return binaryCrossEntropyWithLogits(input, target, { ...this.current(), posWeight });
  }
}
