import { dispatch } from "../dispatch";
import { allocate, type DType, promoteTypes } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import type { OpSpec } from "../op-spec";
import { normalizeDim, numelOf } from "../shape";
import { Tensor } from "../tensor";
import { multiOutput, type TensorList } from "../view-meta";
import { around } from "./indexing";
import { copyContiguous } from "./unary";
import { dimIndex, narrow, unsqueeze } from "./views";

function checkList(tensors: readonly Tensor[], op: string): void {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      "expected a non-empty list of Tensors. Hint: pass an array such as [a, b].",
    );
  }
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor))
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `expected a Tensor at position ${i}, but got ${typeof t}.`,
      );
  });
}

/** Concatenates along `dim`; shapes must match elsewhere; dtypes promote as in PyTorch. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  checkList(tensors, "cat");
  const first = tensors[0] as Tensor;
  if (tensors.some((t) => t.ndim === 0)) {
    throw new TensorError(
      "INVALID_SHAPE",
      "cat",
      "zero-dimensional tensor cannot be concatenated. Hint: use stack(), or unsqueeze(0) first.",
    );
  }
  const d = dimIndex(first, dim, "cat");
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, j) => j !== d && s !== first.shape[j])) {
      throw new TensorError(
        "SHAPE_MISMATCH",
        "cat",
        `sizes of tensors must match except in dimension ${d}: expected ${formatShape(first.shape)} but got ${formatShape(t.shape)} for tensor number ${i} in the list. Hint: only the sizes along dim ${d} may differ.`,
      );
    }
  });
  return dispatch(catSpec, tensors, { dim: d });
}

function catForward(tensors: readonly Tensor[], { dim }: { dim: number }): Tensor {
  const first = tensors[0] as Tensor;
  const dtype: DType = tensors.reduce<DType>((acc, t) => promoteTypes(acc, t.dtype), first.dtype);
  const total = tensors.reduce((acc, t) => acc + (t.shape[dim] as number), 0);
  const shape = first.shape.map((s, j) => (j === dim ? total : s));
  const [outer, , inner] = around(shape, dim);
  const out = allocate(dtype, numelOf(shape));
  let position = 0;
  for (const t of tensors) {
    const part = copyContiguous(t, dtype).storage.data;
    const block = (t.shape[dim] as number) * inner;
    for (let o = 0; o < outer; o++)
      out.set(
        part.subarray(o * block, (o + 1) * block) as never,
        o * total * inner + position * inner,
      );
    position += t.shape[dim] as number;
  }
  return Tensor.fromData(out, shape, dtype);
}

/** The spec of `cat`: each input's gradient is its slice of the output's. */
export const catSpec: OpSpec<"cat", { dim: number }> = {
  name: "cat",
  forward: catForward,
  backward: (node, grad) => {
    const { dim } = node.attrs;
    let start = 0;
    const grads: (Tensor | null)[] = [];
    for (let i = 0; i < node.inputCount; i++) {
      const length = node.input(i).shape[dim] as number;
      grads.push(node.needsGrad(i) ? grad.narrow(dim, start, length) : null);
      start += length;
    }
    return grads;
  },
};

/** Stacks equal-shaped tensors along a new `dim`. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  checkList(tensors, "stack");
  const first = tensors[0] as Tensor;
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, j) => s !== first.shape[j])) {
      throw new TensorError(
        "SHAPE_MISMATCH",
        "stack",
        `expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}. Hint: reshape or pad the tensors to one shape first.`,
      );
    }
  });
  const d = normalizeDim(dim, first.ndim + 1, "stack");
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}

/** Splits into pieces of `splitSize` (the last may be smaller), or of the listed sizes, along `dim`. */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): TensorList {
  checkTensorArgument(x, "split");
  const d = dimIndex(x, dim, "split");
  const size = x.shape[d] as number;
  let sizes: number[];
  if (typeof splitSize === "number") {
    if (!Number.isInteger(splitSize) || splitSize <= 0) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "split",
        `splitSize must be a positive integer, but got ${describeValue(splitSize)}. Hint: pass a piece size, or an array of sizes that add up to ${size}.`,
      );
    }
    sizes = Array.from({ length: Math.max(1, Math.ceil(size / splitSize)) }, (_, i) =>
      Math.min(splitSize, size - i * splitSize),
    );
  } else {
    if (!Array.isArray(splitSize)) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "split",
        `splitSize must be a number or an array of sizes, but got ${describeValue(splitSize)}. Hint: e.g. split(2) or split([3, 1]).`,
      );
    }
    sizes = [...splitSize];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== size || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "split",
        `split sizes ${describeValue(sizes)} must be non-negative integers summing exactly to ${size} (the size of dim ${d} of shape ${formatShape(x.shape)}). Hint: adjust the sizes so they add up to ${size}.`,
      );
    }
  }
  let start = 0;
  const pieces = sizes.map((length) => {
    const piece = narrow(x, d, start, length);
    start += length;
    return piece;
  });
  return multiOutput(
    pieces,
    Array.isArray(splitSize) ? "SplitWithSizesBackward0" : "SplitBackward0",
  );
}

/** Splits into `chunks` pieces of `ceil(size / chunks)` along `dim` (fewer if the size runs out). */
export function chunk(x: Tensor, chunks: number, dim = 0): TensorList {
  checkTensorArgument(x, "chunk");
  if (!Number.isInteger(chunks) || chunks <= 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "chunk",
      `chunks must be a positive integer, but got ${describeValue(chunks)}. Hint: e.g. chunk(2).`,
    );
  }
  const d = dimIndex(x, dim, "chunk");
  if (x.shape[d] === 0) return split(x, new Array<number>(chunks).fill(0), d); // as PyTorch: `chunks` empty pieces
  return split(x, Math.max(1, Math.ceil((x.shape[d] as number) / chunks)), d);
}
