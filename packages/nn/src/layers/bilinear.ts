import { empty, type Tensor } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";
import { bilinear } from "../functional/bilinear";
import { uniform_ } from "../init";
import { keepName, Module } from "../module";
import { Parameter } from "../parameter";

/** Options of {@link Bilinear}. */
export interface BilinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * `y = x1ᵀ·A·x2 + b` (torch.nn.Bilinear): `weight` `[out, in1, in2]`, `bias` `[out]`, both
 * initialised uniform in ±1/√in1 as torch's.
 *
 * @example
 * new Bilinear(3, 4, 5).forward(x1, x2) // [N, 3], [N, 4] -> [N, 5]
 */
export class Bilinear extends Module {
  static {
    keepName(this, "Bilinear");
  }
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  /** The learnable weights, `[outFeatures, in1Features, in2Features]`. */
  declare weight: Parameter;
  /** The learnable bias, `[outFeatures]`, or null without one. */
  declare bias: Parameter | null;

  constructor(
    in1Features: number,
    in2Features: number,
    outFeatures: number,
    options: BilinearOptions = {},
  ) {
    super();
    const sizes = {
      in1_features: in1Features,
      in2_features: in2Features,
      out_features: outFeatures,
    };
    for (const [name, value] of Object.entries(sizes)) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new NNError(
          "INVALID_ARGUMENT",
          "Bilinear",
          `${name} must be a non-negative integer, but got ${show(value)}.`,
        );
      }
    }
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(empty(outFeatures, in1Features, in2Features));
    if (options.bias ?? true) this.bias = new Parameter(empty(outFeatures));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }

  /** Draws new values uniform in ±1/√in1Features, as torch does. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1] as number);
    uniform_(this.weight, -bound, bound);
    if (this.bias !== null) uniform_(this.bias, -bound, bound);
  }

  /** `bilinear(input1, input2, weight, bias)`: `[*, in1]` and `[*, in2]` give `[*, out]`. */
  override forward(input1: Tensor, input2: Tensor): Tensor {
    checkTensor(input1, "Bilinear.forward", "input1");
    checkTensor(input2, "Bilinear.forward", "input2");
    const last = (t: Tensor) => t.shape[t.ndim - 1];
    if (
      input1.ndim === 0 ||
      input2.ndim === 0 ||
      last(input1) !== this.in1Features ||
      last(input2) !== this.in2Features
    ) {
      throw new NNError(
        "SHAPE_MISMATCH",
        "Bilinear.forward",
        `${this.toString()} expects inputs of shape [*, ${this.in1Features}] and [*, ${this.in2Features}], but got ${formatShape(input1.shape)} and ${formatShape(input2.shape)}. Hint: the last dims are the features.`,
      );
    }
    return bilinear(input1, input2, this.weight, this.bias);
  }

  /** `in1_features=…, in2_features=…, out_features=…, bias=True|False`, as torch prints it. */
  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias === null ? "False" : "True"}`;
  }
}
