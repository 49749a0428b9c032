import { formatShape, Tensor, tensor } from "@x/tensor";
import { DataError } from "./errors";
import { checkIndex } from "./validate";

/**
 * Anything with a `length` and a `get(index)` for `0 <= index < length` (PyTorch's map-style
 * `Dataset`). A {@link DataLoader} batches datasets whose items are arrays of tensors.
 */
export interface Dataset<T = Tensor[]> {
  /** Number of items. */
  readonly length: number;
  /** The item at `index` (an integer in `[0, length)`). */
  get(index: number): T;
}

/**
 * A dataset over tensors that share their first dimension (PyTorch's `TensorDataset`): item `i`
 * is `[t0[i], t1[i], …]`, e.g. `new TensorDataset(tU, tC).get(0)` is `[tU[0], tC[0]]`.
 */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The wrapped tensors, all with `length` rows. */
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) {
      throw new DataError(
        "INVALID_ARGUMENT",
        "TensorDataset",
        "expects at least one tensor, but got none. Hint: new TensorDataset(x, y).",
      );
    }
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor) || t.ndim === 0) {
        throw new DataError(
          "INVALID_ARGUMENT",
          "TensorDataset",
          `argument ${i} must be a tensor with at least one dimension, but got ${t instanceof Tensor ? "a 0-d tensor" : typeof t}. Hint: the first dimension indexes the samples.`,
        );
      }
    });
    const first = tensors[0] as Tensor;
    tensors.forEach((t, i) => {
      if (t.shape[0] !== first.shape[0]) {
        throw new DataError(
          "SHAPE_MISMATCH",
          "TensorDataset",
          `size mismatch between tensors, first dimension ${first.shape[0]} vs ${t.shape[0]} (tensor 0 has shape ${formatShape(first.shape)}, tensor ${i} has shape ${formatShape(t.shape)}). Hint: every tensor needs one row per sample.`,
        );
      }
    });
    this.tensors = tensors;
  }

  /** Number of samples (the shared first dimension). */
  get length(): number {
    return this.tensors[0]?.shape[0] as number;
  }

  /** `[t0[index], t1[index], …]` (views, no copies). */
  get(index: number): Tensor[] {
    checkIndex(index, this.length, "TensorDataset.get", "the dataset");
    return this.tensors.map((t) => t.select(0, index));
  }
}

/**
 * The items of `dataset` at `indices`, in that order (PyTorch's `Subset`); what
 * {@link randomSplit} returns.
 */
export class Subset<T = Tensor[]> implements Dataset<T> {
  /** The positions in `dataset`, as a 1-d int32 tensor. */
  readonly indices: Tensor;
  private readonly positions: Int32Array;

  constructor(
    /** The dataset indexed into. */
    readonly dataset: Dataset<T>,
    indices: Tensor | readonly number[],
  ) {
    const values = indices instanceof Tensor ? indicesOf(indices) : Array.from(indices);
    this.positions = new Int32Array(values.length);
    values.forEach((value, i) => {
      this.positions[i] = checkIndex(value, dataset.length, "Subset", "the wrapped dataset");
    });
    this.indices = tensor(this.positions);
  }

  /** Number of selected items. */
  get length(): number {
    return this.positions.length;
  }

  /** `dataset.get(indices[index])`. */
  get(index: number): T {
    checkIndex(index, this.length, "Subset.get", "the subset");
    return this.dataset.get(this.positions[index] as number);
  }
}

function indicesOf(indices: Tensor): number[] {
  if (indices.ndim !== 1 || indices.dtype !== "int32") {
    throw new DataError(
      "INVALID_ARGUMENT",
      "Subset",
      `indices must be a 1-d int32 tensor or an array of integers, but got a ${indices.ndim}-d ${indices.dtype} tensor of shape ${formatShape(indices.shape)}. Hint: use randperm(n) or tensor([...], { dtype: 'int32' }).`,
    );
  }
  return Array.from(indices.toTypedArray());
}
