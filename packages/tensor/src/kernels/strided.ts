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
