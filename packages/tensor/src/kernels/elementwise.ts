import type { TypedArray } from "../dtype";
import { broadcastStrides, numelOf, sameShape } from "../shape";
import type { Tensor } from "../tensor";
import { forEachRow, iterationLayout } from "./strided";

/** One operand of a kernel row: its buffer, where the row's first element is, and the step. */
export interface RowOperand {
  data: TypedArray;
  offset: number;
  stride: number;
}

/**
 * A row kernel: computes `n` elements of `operands[0]` (the output) from `operands[1…]` with
 * the op's kernel `code` and its scalar parameters `p0`, `p1`.
 */
export type RowKernel = (
  code: number,
  operands: readonly RowOperand[],
  n: number,
  p0: number,
  p1: number,
) => void;

/** Operand structs reused across calls (kernels never re-enter, so one set is enough). */
const scratch: RowOperand[] = [];

function operandsFor(count: number): RowOperand[] {
  while (scratch.length < count) scratch.push({ data: new Float32Array(0), offset: 0, stride: 0 });
  return scratch;
}

/**
 * Runs an elementwise kernel over `out` (any layout, possibly one of the inputs) with `inputs`
 * broadcast to its shape, row by row: one kernel call when every operand is contiguous (or a
 * single value), one per row of the last dim otherwise.
 */
export function runElementwise(
  kernel: RowKernel,
  code: number,
  out: Tensor,
  inputs: readonly Tensor[],
  p0 = 0,
  p1 = 0,
): void {
  // The common flat case is kept short so V8 inlines it into each op; the rest is a call away.
  const count = inputs.length + 1;
  const operands = operandsFor(count);
  const first = operands[0] as RowOperand;
  first.data = out.storage.data;
  first.offset = out.offset;
  first.stride = 1;
  let flat = out.contiguousLayout;
  for (let k = 1; k < count; k++) {
    const input = inputs[k - 1] as Tensor;
    const operand = operands[k] as RowOperand;
    operand.data = input.storage.data;
    operand.offset = input.offset;
    operand.stride = input.ndim === 0 ? 0 : 1;
    if (input.ndim !== 0 && !(input.contiguousLayout && sameShape(input.shape, out.shape)))
      flat = false;
  }
  if (flat) kernel(code, operands, numelOf(out.shape), p0, p1);
  else runRows(kernel, code, out, inputs, operands, p0, p1);
}

/** The strided or broadcast case of {@link runElementwise}: one kernel call per row. */
function runRows(
  kernel: RowKernel,
  code: number,
  out: Tensor,
  inputs: readonly Tensor[],
  operands: RowOperand[],
  p0: number,
  p1: number,
): void {
  const count = inputs.length + 1;
  const shape = out.shape;
  if (shape.length === 1) {
    // one row: each operand steps by its own stride, or stays put where it is broadcast
    (operands[0] as RowOperand).stride = out.strides[0] as number;
    for (let k = 1; k < count; k++) {
      const input = inputs[k - 1] as Tensor;
      const size = input.ndim === 0 ? 1 : (input.shape[0] as number);
      (operands[k] as RowOperand).stride = size === 1 ? 0 : (input.strides[0] as number);
    }
    kernel(code, operands, shape[0] as number, p0, p1);
    return;
  }
  const all = [out.strides as number[]];
  for (const input of inputs) all.push(broadcastStrides(input.shape, input.strides, shape));
  const layout = iterationLayout(shape, all);
  const strides = layout.strides;
  const last = layout.shape.length - 1;
  for (let k = 0; k < count; k++) (operands[k] as RowOperand).stride = strides[k]?.[last] ?? 0;
  const starts = [out.offset, ...inputs.map((input) => input.offset)];
  forEachRow(layout.shape, strides, starts, (offsets, _index, length) => {
    for (let k = 0; k < count; k++) (operands[k] as RowOperand).offset = offsets[k] as number;
    kernel(code, operands, length, p0, p1);
  });
}
