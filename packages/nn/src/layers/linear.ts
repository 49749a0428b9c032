import { empty, type Tensor } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";
import { linear } from "../functional/linear";
import { kaimingUniform_, uniform_ } from "../init";
import { fans } from "../init/fan";
import { keepName, Module } from "../module";
import { Parameter } from "../parameter";

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/** Throws unless `value` is a non-negative integer size. */
function checkFeatures(op: string, name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be a non-negative integer, but got ${show(value)}.`,
    );
  }
  return value as number;
}

/**
 * A fully connected layer, `y = x·Wᵀ + b` (torch.nn.Linear): `weight` is `[out, in]`, `bias` is
 * `[out]` (or null with `{ bias: false }`). Initialised as torch's: weight Kaiming-uniform with
 * `a = √5`, bias uniform in ±1/√in.
 *
 * @example
 * const layer = new Linear(1, 13);
 * layer.forward(x); // x: [n, 1] -> [n, 13]
 */
export class Linear extends Module {
  static {
    keepName(this, "Linear");
  }

  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The learnable weights, `[outFeatures, inFeatures]`. */
  declare weight: Parameter;
  /** The learnable bias, `[outFeatures]`, or null without one. */
  declare bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = checkFeatures("Linear", "in_features", inFeatures);
    this.outFeatures = checkFeatures("Linear", "out_features", outFeatures);
    this.weight = new Parameter(empty(outFeatures, inFeatures));
    if (options.bias ?? true) this.bias = new Parameter(empty(outFeatures));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }

  /** Draws new initial values, as the constructor does. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const { fanIn } = fans(this.weight, "Linear.resetParameters");
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  /** `input @ weight.T + bias`; `input` must be `[*, inFeatures]`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "Linear.forward", "input");
    if (input.ndim === 0 || input.shape[input.ndim - 1] !== this.inFeatures) {
      throw new NNError(
        "SHAPE_MISMATCH",
        "Linear.forward",
        `${this.toString()} expects an input of shape [*, ${this.inFeatures}] (its last dimension is in_features=${this.inFeatures}), but got ${formatShape(input.shape)}. Hint: reshape the input to [*, ${this.inFeatures}], or build the layer as new Linear(${input.shape[input.ndim - 1] ?? "…"}, ${this.outFeatures}).`,
      );
    }
    return linear(input, this.weight, this.bias);
  }

  /** `in_features=…, out_features=…, bias=True|False`, as torch prints a Linear. */
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias === null ? "False" : "True"}`;
  }
}
