import type { Tensor } from "@x/tensor";
import { checkTensor } from "../errors";
import { checkDropProbability, dropout } from "../functional/dropout";
import { keepName, Module } from "../module";
import { pythonFloat } from "./activation-options";

/**
 * Zeroes each element with probability `p` in training mode and scales the rest by
 * `1 / (1 − p)` (torch.nn.Dropout); the identity in eval mode. The masks are torch's after the
 * same seed.
 *
 * @example
 * const drop = new Dropout(0.2);
 * drop.forward(x); // training: some zeros; after drop.eval(): x
 */
export class Dropout extends Module {
  static {
    keepName(this, "Dropout");
  }
  /** The probability that an element is zeroed. */
  readonly p: number;

  /** `inplace` is accepted for torch's signature and printing; the result is always a new tensor. */
  constructor(
    p = 0.5,
    readonly inplace = false,
  ) {
    super();
    this.p = checkDropProbability("Dropout", p);
  }
  /** `dropout(input, p, training)`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "Dropout.forward", "input");
    return dropout(input, this.p, this.training);
  }
  /** `p=0.5, inplace=False`, as torch prints it. */
  override extraRepr(): string {
    return `p=${pythonFloat(this.p)}, inplace=${this.inplace ? "True" : "False"}`;
  }
}
