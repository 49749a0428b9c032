import type { Tensor } from "@x/tensor";
import { checkTensor, formatShape, NNError } from "../errors";

/**
 * `input @ weight.T + bias` (torch.nn.functional.linear): `input` is `[*, in]`, `weight` is
 * `[out, in]`, `bias` is `[out]` or null; the result is `[*, out]`.
 *
 * @example
 * linear(x, w, b) // x: [11, 1], w: [13, 1], b: [13] -> [11, 13]
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor(input, "linear", "input");
  checkTensor(weight, "linear", "weight");
  if (bias !== null) checkTensor(bias, "linear", "bias");
  if (weight.ndim !== 2) {
    throw new NNError(
      "SHAPE_MISMATCH",
      "linear",
      `weight must be 2-D [out_features, in_features], but got shape ${formatShape(weight.shape)}.`,
    );
  }
  const inFeatures = weight.shape[1] as number;
  if (input.ndim === 0 || input.shape[input.ndim - 1] !== inFeatures) {
    throw new NNError(
      "SHAPE_MISMATCH",
      "linear",
      `input of shape ${formatShape(input.shape)} does not fit weight of shape ${formatShape(weight.shape)}: the input's last dimension must be in_features = ${inFeatures}. Hint: reshape the input to [*, ${inFeatures}], e.g. x.unsqueeze(-1) for one feature per row.`,
    );
  }
  const product = input.matmul(weight.t());
  return bias === null ? product : product.add(bias);
}
