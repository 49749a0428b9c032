import { isTracked, record } from "../dispatch";
import { allocate, type DType, promoteTypes, type TypedArray } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import { forEachRow } from "../kernels/strided";
import {
  broadcastShapes,
  broadcastStrides,
  contiguousStrides,
  normalizeDim,
  numelOf,
  type Shape,
  sameShape,
} from "../shape";
import { Storage } from "../storage";
import { Tensor } from "../tensor";
import { copyContiguous } from "./copy";
import { dimIndex, narrow, unsqueeze } from "./views";

/** Checks an index argument and returns it as a contiguous int32 tensor. */
export function toIndexTensor(index: Tensor | readonly number[], op: string): Tensor {
  if (index instanceof Tensor) {
    if (index.dtype !== "int32") {
      throw new TensorError(
        "INVALID_DTYPE",
        op,
        `index must be an int32 tensor, but got ${index.dtype} (shape ${formatShape(index.shape)}). Hint: convert with index.int(), or pass a plain array of integers.`,
      );
    }
    return index.contiguousLayout ? index : copyContiguous(index, "int32");
  }
  if (!Array.isArray(index) || !index.every((i) => Number.isInteger(i))) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `index must be an int32 tensor or an array of integers, but got ${describeValue(index)}. Hint: e.g. [0, 2] or tensor([0, 2], { dtype: 'int32' }).`,
    );
  }
  return Tensor.fromData(Int32Array.from(index), [index.length], "int32");
}

function checkIndexValue(value: number, size: number, op: string, dim: number): number {
  if (value < -size || value >= size) {
    throw new TensorError(
      "INDEX_OUT_OF_RANGE",
      op,
      `index ${value} is out of bounds for dimension ${dim} with size ${size}. Hint: indices run from ${-size} to ${size - 1}.`,
    );
  }
  return value < 0 ? value + size : value;
}

/** Splits `shape` around `dim` into (outer, size, inner) element counts. */
function around(shape: Shape, dim: number): [number, number, number] {
  return [numelOf(shape.slice(0, dim)), shape[dim] ?? 1, numelOf(shape.slice(dim + 1))];
}

/** Rows of `x` along `dim` picked by a 1-d int32 `index` (PyTorch's `index_select`). */
export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  checkTensorArgument(x, "indexSelect");
  const idx = toIndexTensor(index, "indexSelect");
  if (idx.ndim > 1) {
    throw new TensorError(
      "INVALID_SHAPE",
      "indexSelect",
      `index must be 0-d or 1-d, but has shape ${formatShape(idx.shape)}.`,
    );
  }
  const d = x.ndim === 0 ? 0 : dimIndex(x, dim, "indexSelect");
  const source = x.contiguousLayout ? x : copyContiguous(x, x.dtype);
  const [outer, size, inner] = around(x.shape, d);
  const count = idx.numel();
  const out = allocate(x.dtype, outer * count * inner);
  const data = source.storage.data;
  for (let j = 0; j < count; j++) {
    const row = checkIndexValue(idx.storage.data[idx.offset + j] as number, size, "indexSelect", d);
    for (let o = 0; o < outer; o++) {
      const from = source.offset + (o * size + row) * inner;
      out.set(data.subarray(from, from + inner) as never, (o * count + j) * inner);
    }
  }
  const shape = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? count : s));
  return record("indexSelect", [x], Tensor.fromData(out, shape, x.dtype), { dim: d, index: idx });
}

/** Adds rows of `source` into a zero tensor of `shape` at `index` along `dim` (backward of indexSelect). */
export function indexAdd(shape: Shape, dim: number, index: Tensor, source: Tensor): Tensor {
  const src = source.contiguousLayout ? source : copyContiguous(source, source.dtype);
  const [outer, size, inner] = around(shape, dim);
  const count = index.numel();
  const out = allocate(source.dtype, numelOf(shape));
  for (let j = 0; j < count; j++) {
    const row = checkIndexValue(
      index.storage.data[index.offset + j] as number,
      size,
      "indexAdd",
      dim,
    );
    for (let o = 0; o < outer; o++) {
      const to = (o * size + row) * inner;
      const from = src.offset + (o * count + j) * inner;
      for (let i = 0; i < inner; i++)
        (out[to + i] as number) += src.storage.data[from + i] as number;
    }
  }
  return record("indexAdd", [source], Tensor.fromData(out, shape, source.dtype), { dim, index });
}

/** Walks every element of `index` with the matching position in `other` along `dim` replaced by the index value. */
function forEachIndexed(
  index: Tensor,
  dim: number,
  target: Shape,
  targetStrides: readonly number[],
  op: string,
  visit: (indexPosition: number, targetPosition: number) => void,
): void {
  const positions = contiguousStrides(index.shape);
  const n = index.numel();
  const size = target[dim] as number;
  for (let i = 0; i < n; i++) {
    let rest = i;
    let position = 0;
    for (let d = 0; d < index.ndim; d++) {
      const coordinate = Math.floor(rest / (positions[d] as number));
      rest -= coordinate * (positions[d] as number);
      const value =
        d === dim
          ? checkIndexValue(index.storage.data[index.offset + i] as number, size, op, dim)
          : coordinate;
      position += value * (targetStrides[d] as number);
    }
    visit(i, position);
  }
}

function checkGatherShapes(x: Shape, index: Tensor, dim: number, op: string): void {
  if (index.ndim !== x.length || index.shape.some((s, d) => d !== dim && s > (x[d] as number))) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `index ${formatShape(index.shape)} must have the same number of dims as the input ${formatShape(x)} and no larger size outside dim ${dim}.`,
    );
  }
}

/** `out[i][j] = x[index[i][j]][j]` for dim 0 (and likewise for other dims), like `torch.gather`. */
export function gather(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  checkTensorArgument(x, "gather");
  const idx = toIndexTensor(index, "gather");
  const d = x.ndim === 0 ? 0 : dimIndex(x, dim, "gather");
  checkGatherShapes(x.shape, idx, d, "gather");
  const out = allocate(x.dtype, idx.numel());
  const data = x.storage.data;
  forEachIndexed(idx, d, x.shape, x.strides, "gather", (i, position) => {
    out[i] = data[x.offset + position] as number;
  });
  return record("gather", [x], Tensor.fromData(out, idx.shape, x.dtype), { dim: d, index: idx });
}

/** Sums `source` into a zero tensor of `shape` at `index` positions (backward of gather). */
export function scatterAdd(shape: Shape, dim: number, index: Tensor, source: Tensor): Tensor {
  const out = allocate(source.dtype, numelOf(shape));
  const src = source.contiguousLayout ? source : copyContiguous(source, source.dtype);
  forEachIndexed(index, dim, shape, contiguousStrides(shape), "scatterAdd", (i, position) => {
    (out[position] as number) += src.storage.data[src.offset + i] as number;
  });
  return record("scatterAdd", [source], Tensor.fromData(out, shape, source.dtype), {
    dim,
    index,
    shape,
  });
}

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
  const dtype: DType = tensors.reduce<DType>((acc, t) => promoteTypes(acc, t.dtype), first.dtype);
  const total = tensors.reduce((acc, t) => acc + (t.shape[d] as number), 0);
  const shape = first.shape.map((s, j) => (j === d ? total : s));
  const [outer, , inner] = around(shape, d);
  const out = allocate(dtype, numelOf(shape));
  let position = 0;
  for (const t of tensors) {
    const part = copyContiguous(t, dtype).storage.data;
    const block = (t.shape[d] as number) * inner;
    for (let o = 0; o < outer; o++)
      out.set(
        part.subarray(o * block, (o + 1) * block) as never,
        o * total * inner + position * inner,
      );
    position += t.shape[d] as number;
  }
  return record("cat", tensors, Tensor.fromData(out, shape, dtype), { dim: d });
}

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
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
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
  return sizes.map((length) => {
    const piece = narrow(x, d, start, length);
    start += length;
    return piece;
  });
}

/** Splits into `chunks` pieces of `ceil(size / chunks)` along `dim` (fewer if the size runs out). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
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

/** `condition ? a : b` elementwise, broadcasting all three. */
export function where(condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  if (!(condition instanceof Tensor) || condition.dtype !== "bool") {
    throw new TensorError(
      "INVALID_DTYPE",
      "where",
      `condition must be a bool tensor, but got ${condition instanceof Tensor ? condition.dtype : typeof condition}. Hint: build it with a comparison such as x.gt(0).`,
    );
  }
  const left = a instanceof Tensor ? a : scalar(a, b instanceof Tensor ? b.dtype : "float32");
  const right = b instanceof Tensor ? b : scalar(b, left.dtype);
  const dtype = promoteTypes(left.dtype, right.dtype);
  const shape = broadcastShapes(
    broadcastShapes(condition.shape, left.shape, "where"),
    right.shape,
    "where",
  );
  const operands = [condition, left, right];
  const out = allocate(dtype, numelOf(shape));
  const [dc, dl, dr] = operands.map((t) => t.storage.data) as [TypedArray, TypedArray, TypedArray];
  const flat = operands.every(
    (t) => t.ndim === 0 || (t.contiguousLayout && sameShape(t.shape, shape)),
  );
  if (flat) {
    // one row over everything: contiguous operands step by 1, 0-d ones by 0
    const [sc, sl, sr] = operands.map((t) => (t.ndim === 0 ? 0 : 1)) as [number, number, number];
    whereRow(
      out,
      0,
      out.length,
      dc,
      condition.offset,
      sc,
      dl,
      left.offset,
      sl,
      dr,
      right.offset,
      sr,
    );
  } else {
    const strides = operands.map((t) => broadcastStrides(t.shape, t.strides, shape));
    const last = shape.length - 1;
    const [sc, sl, sr] = strides.map((s) => s[last] ?? 0) as [number, number, number];
    forEachRow(
      shape,
      strides,
      operands.map((t) => t.offset),
      (offsets, o, length) =>
        whereRow(
          out,
          o,
          length,
          dc,
          offsets[0] as number,
          sc,
          dl,
          offsets[1] as number,
          sl,
          dr,
          offsets[2] as number,
          sr,
        ),
    );
  }
  const result = Tensor.fromData(out, shape, dtype);
  return isTracked(left, right) ? record("where", [left, right], result, { condition }) : result;
}

/** `out[o + i] = c[ic + i·sc] ? l[il + i·sl] : r[ir + i·sr]` for `n` elements. */
function whereRow(
  out: TypedArray,
  o: number,
  n: number,
  c: TypedArray,
  ic: number,
  sc: number,
  l: TypedArray,
  il: number,
  sl: number,
  r: TypedArray,
  ir: number,
  sr: number,
): void {
  for (let end = o + n; o < end; o++, ic += sc, il += sl, ir += sr) {
    out[o] = c[ic] ? (l[il] as number) : (r[ir] as number);
  }
}

function scalar(value: number, dtype: DType): Tensor {
  if (typeof value !== "number") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "where",
      `expected a Tensor or a number, but got ${typeof value}.`,
    );
  }
  const data = allocate(dtype === "bool" || dtype === "int32" ? "float32" : dtype, 1);
  data[0] = value;
  return new Tensor(
    new Storage(data),
    [],
    [],
    0,
    dtype === "bool" || dtype === "int32" ? "float32" : dtype,
  );
}
