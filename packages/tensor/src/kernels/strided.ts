import { numelOf, type Shape } from "../shape";

/**
 * Visits a strided n-d iteration space row by row (the last dim is the row). For each row,
 * `visit(offsets, outIndex, length)` gets each operand's offset of the row's first element; the
 * row stride of operand k is `strides[k][last]`. Calls are per row, never per element.
 */
export function forEachRow(
  shape: Shape,
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  visit: (offsets: number[], outIndex: number, length: number) => void,
): void {
  const ndim = shape.length;
  const current = offsets.slice();
  if (ndim === 0) {
    visit(current, 0, 1);
    return;
  }
  const length = shape[ndim - 1] as number;
  let rows = 1;
  for (let d = 0; d < ndim - 1; d++) rows *= shape[d] as number;
  if (length === 0 || rows === 0) return;
  const counters = new Array<number>(ndim - 1).fill(0);
  const operands = strides.length;
  for (let row = 0, out = 0; row < rows; row++, out += length) {
    visit(current, out, length);
    for (let d = ndim - 2; d >= 0; d--) {
      const size = shape[d] as number;
      if (++(counters[d] as number) < size) {
        for (let k = 0; k < operands; k++)
          (current[k] as number) += (strides[k] as number[])[d] as number;
        break;
      }
      counters[d] = 0;
      for (let k = 0; k < operands; k++)
        (current[k] as number) -= ((strides[k] as number[])[d] as number) * (size - 1);
    }
  }
}

/** Offsets (relative to the tensor's offset) of every element of a strided view, in row-major order. */
export function elementOffsets(shape: Shape, strides: readonly number[]): Int32Array {
  const total = numelOf(shape);
  const result = new Int32Array(total);
  const last = strides[strides.length - 1] ?? 0;
  forEachRow(shape, [strides], [0], (offsets, out, length) => {
    let position = offsets[0] as number;
    for (let i = 0; i < length; i++, position += last) result[out + i] = position;
  });
  return result;
}

/** An iteration space reordered for speed: same elements, fewer and longer rows. */
export interface IterationLayout {
  shape: number[];
  strides: number[][];
}

/** Rows shorter than this are not worth keeping last when another dim is longer. */
const SHORT_ROW = 256;

/**
 * Reorders the iteration space of an elementwise kernel (every element is computed on its own,
 * so the visiting order is free): size-1 dims are dropped, neighbouring dims that every operand
 * walks as one are merged (as PyTorch's TensorIterator coalesces), and when the last dim is short
 * the longest dim becomes the row, so that e.g. `x.unfold(0, 3, 1)` is copied in 3 long rows
 * rather than a million rows of 3.
 */
export function iterationLayout(
  shape: Shape,
  strides: readonly (readonly number[])[],
): IterationLayout {
  const dims: number[] = [];
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) dims.push(d);
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const d of dims) {
    const size = shape[d] as number;
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 &&
      strides.every((s, k) => (outStrides[k] as number[])[last] === (s[d] as number) * size);
    if (mergeable) {
      outShape[last] = (outShape[last] as number) * size;
      strides.forEach((s, k) => {
        (outStrides[k] as number[])[last] = s[d] as number;
      });
    } else {
      outShape.push(size);
      strides.forEach((s, k) => {
        (outStrides[k] as number[]).push(s[d] as number);
      });
    }
  }
  const rowDim = outShape.length - 1;
  if (rowDim > 0 && (outShape[rowDim] as number) < SHORT_ROW) {
    let longest = rowDim;
    for (let d = 0; d < rowDim; d++)
      if ((outShape[d] as number) > (outShape[longest] as number)) longest = d;
    if (longest !== rowDim) {
      const swap = (list: number[]) => {
        const held = list[longest] as number;
        list[longest] = list[rowDim] as number;
        list[rowDim] = held;
      };
      swap(outShape);
      for (const s of outStrides) swap(s);
    }
  }
  return { shape: outShape, strides: outStrides };
}
