import { ones, type Tensor, zeros } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";
import { layerNorm } from "../functional/normalization";
import { keepName, Module } from "../module";
import { Parameter } from "../parameter";
import { pythonFloat } from "./activation-options";

/** Options of {@link LayerNorm}. */
export interface LayerNormModuleOptions {
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
  /** Learn an elementwise `weight` (ones) and `bias` (zeros) (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Layer normalisation (torch.nn.LayerNorm): normalises each sample over its last dimensions,
 * `normalizedShape`, then scales and shifts elementwise by the learned `weight` and `bias`.
 *
 * @example
 * const ln = new LayerNorm(16);   // or new LayerNorm([4, 16])
 * ln.forward(x);                  // x: [*, 16]
 */
export class LayerNorm extends Module {
  static {
    keepName(this, "LayerNorm");
  }
  /** The trailing shape normalised over. */
  readonly normalizedShape: readonly number[];
  /** Added to the variance before its square root. */
  readonly eps: number;
  /** Whether `weight` and `bias` are learned. */
  readonly elementwiseAffine: boolean;
  /** The elementwise scale of shape `normalizedShape` (ones at first), or null. */
  declare weight: Parameter | null;
  /** The elementwise shift of shape `normalizedShape` (zeros at first), or null. */
  declare bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormModuleOptions = {}) {
    super();
    const shape = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape;
    if (
      !Array.isArray(shape) ||
      shape.length === 0 ||
      shape.some((s) => !Number.isSafeInteger(s) || s < 1)
    ) {
      throw new NNError(
        "INVALID_ARGUMENT",
        "LayerNorm",
        `normalized_shape must be a positive integer or an array of them, but got ${show(normalizedShape)}.`,
      );
    }
    this.normalizedShape = [...shape];
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    if (this.elementwiseAffine) {
      this.weight = new Parameter(ones(shape));
      this.bias = new Parameter(zeros(shape));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
  }

  /** `layerNorm(input, normalizedShape, { weight, bias, eps })`; input must end in `normalizedShape`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "LayerNorm.forward", "input");
    const k = this.normalizedShape.length;
    const tail = input.shape.slice(Math.max(0, input.ndim - k));
    if (input.ndim < k || tail.some((s, i) => s !== this.normalizedShape[i])) {
      throw new NNError(
        "SHAPE_MISMATCH",
        "LayerNorm.forward",
        `${this.toString()} expects an input of shape [*, ${this.normalizedShape.join(", ")}], but got ${formatShape(input.shape)}. Hint: the last ${k} dimension(s) must equal normalized_shape.`,
      );
    }
    return layerNorm(input, this.normalizedShape, {
      weight: this.weight,
      bias: this.bias,
      eps: this.eps,
    });
  }

  /** `(4,), eps=1e-05, elementwise_affine=True`, as torch prints it. */
  override extraRepr(): string {
    const shape = this.normalizedShape;
    const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
    return `${tuple}, eps=${pythonFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? "True" : "False"}`;
  }
}
