import type { Tensor } from "@x/tensor";
import { formatShape, NNError, show } from "../errors";

/** Which fan a Kaiming initialiser scales by: inputs (keeps forward variance) or outputs (backward). */
export type FanMode = "fan_in" | "fan_out";

/**
 * Fan in and fan out of a weight (torch's `_calculate_fan_in_and_fan_out`): dims 1 and 0, each
 * times the receptive field (the product of the remaining dims, for convolutions).
 */
export function fans(tensor: Tensor, op: string): { fanIn: number; fanOut: number } {
  if (tensor.ndim < 2) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape ${formatShape(tensor.shape)}). Hint: use uniform_ or normal_ for biases.`,
    );
  }
  const receptiveField = tensor.shape.slice(2).reduce((a, b) => a * b, 1);
  return {
    fanIn: (tensor.shape[1] as number) * receptiveField,
    fanOut: (tensor.shape[0] as number) * receptiveField,
  };
}

/** The fan that `mode` selects (torch's `_calculate_correct_fan`). */
export function fanOf(tensor: Tensor, mode: FanMode, op: string): number {
  if (mode !== "fan_in" && mode !== "fan_out") {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `Mode ${show(mode)} not supported, please use one of 'fan_in', 'fan_out'.`,
    );
  }
  const { fanIn, fanOut } = fans(tensor, op);
  return mode === "fan_in" ? fanIn : fanOut;
}
