import { dispatch } from "../dispatch";
import { describeValue, formatShape, TensorError } from "../errors";
import type { OpSpec } from "../op-spec";
import { Tensor } from "../tensor";
import { toIndexTensor } from "./indexing";

/** Attributes of `oneHot`. */
export interface OneHotAttrs {
  numClasses: number;
}

/** The spec of `oneHot` (integer output: no gradient). */
export const oneHotSpec: OpSpec<"oneHot", OneHotAttrs> = {
  name: "oneHot",
  backward: "not-differentiable",
  forward: ([indices], { numClasses }) => {
    const index = indices as Tensor;
    const n = index.numel();
    const out = new Int32Array(n * numClasses);
    const values = index.storage.data;
    for (let i = 0; i < n; i++) out[i * numClasses + (values[index.offset + i] as number)] = 1;
    return Tensor.fromData(out, [...index.shape, numClasses], "int32");
  },
};

function classRangeError(message: string): TensorError {
  return new TensorError("INVALID_ARGUMENT", "oneHot", message);
}

/**
 * One-hot encoding of int32 class indices (`torch.nn.functional.one_hot`): an int32 tensor of
 * shape `[...indices.shape, numClasses]` with a 1 at each index. `numClasses = -1` (the
 * default) uses the largest index plus one.
 */
export function oneHot(indices: Tensor | readonly number[], numClasses = -1): Tensor {
  const index = toIndexTensor(indices, "oneHot");
  if (!Number.isInteger(numClasses) || numClasses < -1) {
    throw classRangeError(
      `numClasses must be a whole number >= 0, or -1 to infer it, but got ${describeValue(numClasses)}. Hint: e.g. oneHot(labels, 10).`,
    );
  }
  const values = index.storage.data.subarray(index.offset, index.offset + index.numel());
  let largest = -1;
  for (const value of values) {
    if (value < 0) {
      throw classRangeError(
        `class values must be non-negative, but indices (shape ${formatShape(index.shape)}) hold ${value}. Hint: map the labels to 0 … numClasses-1 first.`,
      );
    }
    if (value > largest) largest = value;
  }
  if (numClasses === -1 && values.length === 0) {
    throw classRangeError(
      `cannot infer the number of classes from an empty tensor (shape ${formatShape(index.shape)}). Hint: pass numClasses.`,
    );
  }
  const classes = numClasses === -1 ? largest + 1 : numClasses;
  if (largest >= classes) {
    throw classRangeError(
      `class values must be smaller than numClasses (${classes}), but indices hold ${largest}. Hint: pass numClasses = ${largest + 1} or more, or -1 to infer it.`,
    );
  }
  return dispatch(oneHotSpec, [index], { numClasses: classes });
}
