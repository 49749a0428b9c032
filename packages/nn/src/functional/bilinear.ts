import type { Tensor } from "@x/tensor";
import { checkTensor, formatShape, NNError } from "../errors";

/**
 * `y = x1ᵀ·A·x2 + b` for every sample (torch.nn.functional.bilinear): `input1` `[*, in1]`,
 * `input2` `[*, in2]`, `weight` `[out, in1, in2]`, `bias` `[out]` or null; the result is
 * `[*, out]`. Runs as two matrix products.
 *
 * @example
 * bilinear(x1, x2, w, b) // [8, 3], [8, 4], [5, 3, 4] -> [8, 5]
 */
export function bilinear(
  input1: Tensor,
  input2: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
): Tensor {
  checkTensor(input1, "bilinear", "input1");
  checkTensor(input2, "bilinear", "input2");
  checkTensor(weight, "bilinear", "weight");
  if (bias !== null) checkTensor(bias, "bilinear", "bias");
  const [out, in1, in2] = weight.shape as [number, number, number];
  const lead = input1.shape.slice(0, -1);
  const fits =
    weight.ndim === 3 &&
    input1.ndim >= 1 &&
    input1.shape[input1.ndim - 1] === in1 &&
    input2.shape[input2.ndim - 1] === in2 &&
    formatShape(input2.shape.slice(0, -1)) === formatShape(lead) &&
    (bias === null || (bias.ndim === 1 && bias.shape[0] === out));
  if (!fits) {
    throw new NNError(
      "SHAPE_MISMATCH",
      "bilinear",
      `input1 ${formatShape(input1.shape)} and input2 ${formatShape(input2.shape)} must be [*, in1] and [*, in2] with the same leading dims, for weight ${formatShape(weight.shape)} = [out, in1, in2]${bias === null ? "" : ` and bias ${formatShape(bias.shape)} = [out]`}. Hint: the last dims are the features.`,
    );
  }
  const x1 = input1.reshape(-1, in1);
  const x2 = input2.reshape(-1, 1, in2);
  // x1·A for every output feature at once: [n, in1] @ [in1, out·in2] -> [n, out, in2]
  const left = x1.matmul(weight.permute(1, 0, 2).reshape(in1, out * in2)).reshape(-1, out, in2);
  const product = left.mul(x2).sum(-1);
  const result = bias === null ? product : product.add(bias);
  return result.reshape([...lead, out]);
}
