import { dispatch } from "../dispatch";
import { allocate } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import { runElementwise } from "../kernels/elementwise";
import type { OpSpec } from "../op-spec";
import { checkNumel, formatList, numelOf, type Shape } from "../shape";
import { Tensor } from "../tensor";
import { indexSelect } from "./indexing";
import {
  diagonalBackward,
  diagonalLayout,
  distinctDims,
  embedDiagonal,
  shapeViewSpecs,
  wholeNumber,
} from "./shape-views";
import { copyCode, copyContiguous, unaryKernel } from "./unary";
import { dimIndex, reshape, viewOf } from "./views";

/** Attributes of `flip`: the dims to reverse (normalised). */
export interface FlipAttrs {
  dims: readonly number[];
}

/** Attributes of `roll`: one shift per dim; no dims rolls the flattened tensor by `shifts[0]`. */
export interface RollAttrs {
  shifts: readonly number[];
  dims: readonly number[];
}

/** Attributes of `repeat`: how often to tile each dim (at least as many sizes as dims). */
export interface RepeatAttrs {
  sizes: readonly number[];
}

/** Attributes of `tril`, `triu` and `diag`: which diagonal (0 main, > 0 above, < 0 below). */
export interface TriangleAttrs {
  diagonal: number;
}

/** A contiguous copy of `x`'s storage read through the given layout (part of an op's kernel). */
function copyThrough(x: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  return copyContiguous(viewOf(x, shape, strides, offset), x.dtype);
}

/** `length` elements from `start` along `dim` of `x`'s layout (no dispatch: kernel use only). */
function region(x: Tensor, dim: number, start: number, length: number): Tensor {
  const shape = x.shape.slice();
  shape[dim] = length;
  return viewOf(x, shape, x.strides, x.offset + start * (x.strides[dim] as number));
}

function copyRegion(to: Tensor, from: Tensor): void {
  runElementwise(unaryKernel, copyCode(from.dtype, to.dtype), to, [from]);
}

function flipForward(x: Tensor, { dims }: FlipAttrs): Tensor {
  const strides = x.strides.slice();
  let offset = x.offset;
  for (const d of dims) {
    const size = x.shape[d] ?? 1;
    if (size <= 1) continue; // a size-1 dim reads the same either way
    offset += (size - 1) * (strides[d] as number);
    strides[d] = -(strides[d] as number);
  }
  return copyThrough(x, x.shape, strides, offset);
}

/** A fresh contiguous copy of `x` rolled by `shift` along `dim` (two region copies). */
function rollAlong(x: Tensor, shift: number, dim: number): Tensor {
  const out = Tensor.fromData(allocate(x.dtype, x.numel()), x.shape, x.dtype);
  const size = x.shape[dim] as number;
  if (out.numel() === 0) return out;
  const s = ((shift % size) + size) % size;
  copyRegion(region(out, dim, s, size - s), region(x, dim, 0, size - s));
  copyRegion(region(out, dim, 0, s), region(x, dim, size - s, s));
  return out;
}

function rollForward(x: Tensor, { shifts, dims }: RollAttrs): Tensor {
  if (dims.length === 0) {
    const flat = copyContiguous(x, x.dtype);
    const rolled = rollAlong(viewOf(flat, [flat.numel()], [1], 0), shifts[0] as number, 0);
    return Tensor.fromData(rolled.storage.data, x.shape, x.dtype);
  }
  let out = x;
  dims.forEach((d, i) => {
    out = rollAlong(out, shifts[i] as number, d);
  });
  return out;
}

/** `[r0, s0, r1, s1, …]`: the tiled shape before the pairs are merged. */
function tiledShape(shape: Shape, sizes: readonly number[]): number[] {
  const lead = sizes.length - shape.length;
  return sizes.flatMap((r, i) => [r, i < lead ? 1 : (shape[i - lead] as number)]);
}

function repeatForward(x: Tensor, { sizes }: RepeatAttrs): Tensor {
  const lead = sizes.length - x.ndim;
  const strides = sizes.flatMap((_, i) => [0, i < lead ? 0 : (x.strides[i - lead] as number)]);
  const tiled = copyThrough(x, tiledShape(x.shape, sizes), strides, x.offset);
  const shape = sizes.map((r, i) => r * (i < lead ? 1 : (x.shape[i - lead] as number)));
  return Tensor.fromData(tiled.storage.data, shape, x.dtype);
}

/**
 * Copies `x` and zeroes, in each matrix of its last two dims, the columns above (`lower`) or below
 * the `diagonal`-th diagonal: one `fill` per row.
 */
function triangle(x: Tensor, lower: boolean, diagonal: number): Tensor {
  const out = copyContiguous(x, x.dtype);
  const rows = x.shape[x.ndim - 2] as number;
  const cols = x.shape[x.ndim - 1] as number;
  const data = out.storage.data;
  const clampColumn = (c: number) => Math.min(Math.max(c, 0), cols);
  for (let base = 0; base < data.length; base += rows * cols)
    for (let r = 0, row = base; r < rows; r++, row += cols) {
      const edge = r + diagonal; // the column of the diagonal in this row
      if (lower) data.fill(0, row + clampColumn(edge + 1), row + cols);
      else data.fill(0, row, row + clampColumn(edge));
    }
  return out;
}

const mainDims = (diagonal: number) => ({ offset: diagonal, dim1: 0, dim2: 1 });

function diagForward(x: Tensor, { diagonal }: TriangleAttrs): Tensor {
  if (x.ndim === 1) {
    const size = (x.shape[0] as number) + Math.abs(diagonal);
    return embedDiagonal(x, [size, size], mainDims(diagonal));
  }
  const layout = diagonalLayout(x.shape, x.strides, x.offset, mainDims(diagonal));
  return copyThrough(x, layout.shape, layout.strides, layout.offset);
}

function copyOp<const Name extends string, Attrs>(
  name: Name,
  forward: (x: Tensor, attrs: Attrs) => Tensor,
  backward: OpSpec<Name, Attrs>["backward"],
): OpSpec<Name, Attrs> {
  return { name, forward: (inputs, attrs) => forward(inputs[0] as Tensor, attrs), backward };
}

const flipSpec: OpSpec<"flip", FlipAttrs> = copyOp("flip", flipForward, (node, grad) => [
  dispatch(flipSpec, [grad], node.attrs),
]);

const rollSpec: OpSpec<"roll", RollAttrs> = copyOp("roll", rollForward, (node, grad) => [
  dispatch(rollSpec, [grad], { ...node.attrs, shifts: node.attrs.shifts.map((s) => -s) }),
]);

const repeatSpec: OpSpec<"repeat", RepeatAttrs> = copyOp("repeat", repeatForward, (node, grad) => {
  const input = node.input(0);
  const tiled = reshape(grad, tiledShape(input.shape, node.attrs.sizes));
  const copies = node.attrs.sizes.map((_, i) => 2 * i);
  return [reshape(copies.length === 0 ? tiled : tiled.sum(copies), input.shape as number[])];
});

const trilSpec: OpSpec<"tril", TriangleAttrs> = copyOp(
  "tril",
  (x, { diagonal }) => triangle(x, true, diagonal),
  (node, grad) => [dispatch(trilSpec, [grad], node.attrs)],
);

const triuSpec: OpSpec<"triu", TriangleAttrs> = copyOp(
  "triu",
  (x, { diagonal }) => triangle(x, false, diagonal),
  (node, grad) => [dispatch(triuSpec, [grad], node.attrs)],
);

const diagSpec: OpSpec<"diag", TriangleAttrs> = copyOp("diag", diagForward, (node, grad) => {
  const input = node.input(0);
  const dims = mainDims(node.attrs.diagonal);
  return [
    input.ndim === 1
      ? dispatch(shapeViewSpecs.diagonal, [grad], dims)
      : diagonalBackward(grad, input.shape, dims),
  ];
});

/** The specs of the rearranging ops that copy (their outputs have their own storage). */
export const shapeSpecs = {
  flip: flipSpec,
  roll: rollSpec,
  repeat: repeatSpec,
  tril: trilSpec,
  triu: triuSpec,
  diag: diagSpec,
} as const;

/** Reverses the order of elements along `dims` (a copy, `torch.flip`). */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  checkTensorArgument(x, "flip");
  return dispatch(shapeSpecs.flip, [x], { dims: distinctDims(x, dims, "flip", "dims") });
}

/**
 * Shifts elements along `dims` by `shifts`, wrapping around (a copy, `torch.roll`). Without
 * dims the tensor is rolled as if flattened, then given its shape back.
 */
export function roll(
  x: Tensor,
  shifts: number | readonly number[],
  dims?: number | readonly number[] | null,
): Tensor {
  checkTensorArgument(x, "roll");
  const shiftList = (typeof shifts === "number" ? [shifts] : shifts) as readonly number[];
  if (!Array.isArray(shiftList) || shiftList.length === 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "roll",
      `shifts must be a number or a non-empty array of numbers, but got ${describeValue(shifts)}. Hint: e.g. roll(1) or roll([1, -2], [0, 1]).`,
    );
  }
  shiftList.forEach((s, i) => {
    wholeNumber(s, "roll", `shifts[${i}]`);
  });
  const dimList = dims === undefined || dims === null ? [] : distinctDims(x, dims, "roll", "dims");
  if (dimList.length > 0 && x.ndim === 0) {
    throw new TensorError(
      "INVALID_DIM",
      "roll",
      `dims ${describeValue(dims)} given for a 0-d tensor, which has no dims. Hint: leave dims out.`,
    );
  }
  if (shiftList.length !== Math.max(dimList.length, 1)) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      "roll",
      `shifts and dims must align: got ${shiftList.length} shifts ${formatList(shiftList)} and ${dimList.length} dims. Hint: give one shift per dim, or one shift and no dims to roll the flattened tensor.`,
    );
  }
  return dispatch(shapeSpecs.roll, [x], { shifts: shiftList.slice(), dims: dimList });
}

/** Tiles `x` `sizes[i]` times along each dim (a copy, `torch.Tensor.repeat`); extra sizes add leading dims. */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  checkTensorArgument(x, "repeat");
  if (!Array.isArray(sizes) || sizes.length < x.ndim) {
    throw new TensorError(
      "INVALID_SHAPE",
      "repeat",
      `expects at least one size per dim of the input (shape ${formatShape(x.shape)}, ${x.ndim} dims), but got ${describeValue(sizes)}. Hint: e.g. repeat(${x.shape.map(() => 2).join(", ") || "2"}); use 1 for dims to keep.`,
    );
  }
  sizes.forEach((r, i) => {
    if (!Number.isInteger(r) || r < 0) {
      throw new TensorError(
        "INVALID_SHAPE",
        "repeat",
        `repeat count ${describeValue(r)} at position ${i} of ${formatList(sizes)} is invalid. Hint: counts are whole numbers >= 0.`,
      );
    }
  });
  checkNumel(
    numelOf(sizes) * x.numel(),
    "repeat",
    `the result of repeating ${formatShape(x.shape)}`,
  );
  return dispatch(shapeSpecs.repeat, [x], { sizes: sizes.slice() });
}

/** The repeat count of each of `size` entries: a number, an int32 tensor or an array of integers. */
function repeatCounts(repeats: number | Tensor | readonly number[], size: number): number[] {
  let counts: number[];
  if (typeof repeats === "number") counts = [repeats];
  else if (repeats instanceof Tensor) {
    if (repeats.dtype !== "int32" || repeats.ndim > 1) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "repeatInterleave",
        `repeats must be a 0-d or 1-d int32 tensor, but got ${repeats.dtype} of shape ${formatShape(repeats.shape)}. Hint: convert with .int(), or pass a number or an array.`,
      );
    }
    counts = repeats.toArray() as number | number[] as number[];
    if (!Array.isArray(counts)) counts = [counts];
  } else if (Array.isArray(repeats)) counts = repeats.slice();
  else {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "repeatInterleave",
      `repeats must be a number, an int32 tensor or an array of integers, but got ${describeValue(repeats)}. Hint: e.g. repeatInterleave(2) or repeatInterleave([1, 2], 0).`,
    );
  }
  if (counts.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "repeatInterleave",
      `repeats ${formatList(counts)} can not be negative or fractional. Hint: give whole numbers >= 0.`,
    );
  }
  if (counts.length === 1) return new Array<number>(size).fill(counts[0] as number);
  if (counts.length !== size) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      "repeatInterleave",
      `repeats must have the same size as the input along dim: got ${counts.length} repeats for ${size} entries. Hint: give one count per entry, or a single count for all.`,
    );
  }
  return counts;
}

/**
 * Repeats each entry along `dim` the given number of times, keeping repeats together
 * (`torch.repeat_interleave`); without `dim` the tensor is flattened first. Runs as an
 * `indexSelect`, which records the gradient.
 */
export function repeatInterleave(
  x: Tensor,
  repeats: number | Tensor | readonly number[],
  dim?: number | null,
): Tensor {
  checkTensorArgument(x, "repeatInterleave");
  const flat = dim === undefined || dim === null;
  if (!flat && x.ndim === 0) {
    throw new TensorError(
      "INVALID_DIM",
      "repeatInterleave",
      `dim ${dim} given for a 0-d tensor, which has no dims. Hint: leave dim out to repeat the flattened tensor.`,
    );
  }
  const source = flat ? reshape(x, [-1]) : x;
  const d = flat ? 0 : dimIndex(x, dim, "repeatInterleave");
  const counts = repeatCounts(repeats, source.shape[d] as number);
  const index = counts.flatMap((count, i) => new Array<number>(count).fill(i));
  return indexSelect(source, d, index);
}

function triangleOf(x: Tensor, diagonal: number, op: "tril" | "triu"): Tensor {
  checkTensorArgument(x, op);
  wholeNumber(diagonal, op, "diagonal");
  if (x.ndim < 2) {
    throw new TensorError(
      "INVALID_DIM",
      op,
      `input tensor must have at least 2 dimensions, but has shape ${formatShape(x.shape)}. Hint: reshape a vector into a matrix first, or use diag() to build one.`,
    );
  }
  return dispatch(shapeSpecs[op], [x], { diagonal });
}

/** The lower triangle of the last two dims, on and below `diagonal`; the rest zero (a copy, `torch.tril`). */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangleOf(x, diagonal, "tril");
}

/** The upper triangle of the last two dims, on and above `diagonal`; the rest zero (a copy, `torch.triu`). */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangleOf(x, diagonal, "triu");
}

/**
 * `torch.diag`: for a 1-d tensor, the square matrix with it on the `diagonal`-th diagonal;
 * for a 2-d tensor, a copy of that diagonal as a 1-d tensor.
 */
export function diag(x: Tensor, diagonal = 0): Tensor {
  checkTensorArgument(x, "diag");
  wholeNumber(diagonal, "diag", "diagonal");
  if (x.ndim !== 1 && x.ndim !== 2) {
    throw new TensorError(
      "INVALID_DIM",
      "diag",
      `matrix or a vector expected, but got shape ${formatShape(x.shape)}. Hint: use diagonal(offset, dim1, dim2) for the diagonals of a batch.`,
    );
  }
  const [rows, cols] = x.shape as [number, number];
  if (x.ndim === 2 && (diagonal < -rows || diagonal > cols)) {
    throw new TensorError(
      "INDEX_OUT_OF_RANGE",
      "diag",
      `diagonal ${diagonal} lies outside the matrix of shape ${formatShape(x.shape)}. Hint: for a ${rows} x ${cols} matrix it must be in [${-rows}, ${cols}]; diagonal(offset) gives an empty view instead.`,
    );
  }
  return dispatch(shapeSpecs.diag, [x], { diagonal });
}
