import { dispatch } from "../dispatch";
import { allocate, promoteTypes } from "../dtype";
import { formatShape, TensorError } from "../errors";
import { type MatrixOperand, matmulStrided } from "../kernels/matmul";
import type { OpSpec } from "../op-spec";
import { broadcastShapes, numelOf } from "../shape";
import { Tensor } from "../tensor";
import { copyContiguous } from "./unary";

function check(a: unknown, b: unknown, op: string): asserts a is Tensor {
  for (const [name, value] of [
    ["a", a],
    ["b", b],
  ] as const) {
    if (!(value instanceof Tensor)) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `argument '${name}' must be a Tensor, but got ${typeof value}.`,
      );
    }
    if (value.ndim === 0) {
      throw new TensorError(
        "INVALID_SHAPE",
        op,
        `both arguments need at least 1 dimension, but '${name}' is 0-d. Hint: use mul() for a scalar product.`,
      );
    }
  }
}

/** `x` in `dtype` (a copy only when the dtype differs): views keep their strides. */
function asDType(x: Tensor, dtype: Tensor["dtype"]): Tensor {
  return x.dtype === dtype ? x : copyContiguous(x, dtype);
}

/**
 * A `matmul` operand's shape (or, with `fill` 0, its strides) as a matrix: a 1-d left operand is
 * the row `[1, k]`, a 1-d right operand the column `[k, 1]`.
 */
function asMatrix(values: readonly number[], left: boolean, fill: number): readonly number[] {
  if (values.length !== 1) return values;
  const size = values[0] as number;
  return left ? [fill, size] : [size, fill];
}

/** Matrix product with PyTorch's `matmul` rules: 1-d vectors, 2-d matrices, batched with broadcast batch dims. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  check(a, b, "matmul");
  return dispatch(matmulSpec, [a, b as Tensor], null);
}

/** The product (the shapes are checked here, where they are needed, before any work). */
function matmulForward([a, b]: readonly Tensor[]): Tensor {
  const b1 = b as Tensor;
  const a1 = a as Tensor;
  const aShape = asMatrix(a1.shape, true, 1);
  const bShape = asMatrix(b1.shape, false, 1);
  const m = aShape.at(-2) as number;
  const k = aShape.at(-1) as number;
  const n = bShape.at(-1) as number;
  if (bShape.at(-2) !== k) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      "matmul",
      `mat1 and mat2 shapes cannot be multiplied (${m}x${k} and ${bShape.at(-2)}x${n}) (shapes ${formatShape(a1.shape)} and ${formatShape(b1.shape)}). Hint: the last dim of a must equal the second-to-last dim of b.`,
    );
  }
  const batch = broadcastShapes(aShape.slice(0, -2), bShape.slice(0, -2), "matmul");
  const dtype = promoteTypes(a1.dtype, b1.dtype);
  const left = asDType(a1, dtype);
  const right = asDType(b1, dtype);
  const aStrides = asMatrix(left.strides, true, 0);
  const bStrides = asMatrix(right.strides, false, 0);
  const batchCount = numelOf(batch);
  const out = allocate(dtype, batchCount * m * n);
  const aBatch = batchOffsets(aShape.slice(0, -2), aStrides.slice(0, -2), batch);
  const bBatch = batchOffsets(bShape.slice(0, -2), bStrides.slice(0, -2), batch);
  const row = new Float64Array(n);
  const lhs: MatrixOperand = {
    data: left.storage.data,
    offset: 0,
    rowStride: aStrides.at(-2) as number,
    colStride: aStrides.at(-1) as number,
  };
  const rhs: MatrixOperand = {
    data: right.storage.data,
    offset: 0,
    rowStride: bStrides.at(-2) as number,
    colStride: bStrides.at(-1) as number,
  };
  for (let i = 0; i < batchCount; i++) {
    lhs.offset = left.offset + (aBatch[i] as number);
    rhs.offset = right.offset + (bBatch[i] as number);
    matmulStrided(lhs, rhs, out, i * m * n, m, k, n, row);
  }
  const shape = [...batch, ...(a1.ndim === 1 ? [] : [m]), ...(b1.ndim === 1 ? [] : [n])];
  return Tensor.fromData(out, shape, dtype);
}

/**
 * The spec of `matmul`, for every operand rank: vectors are promoted to matrices, the matrix
 * rule `dA = G·Bᵀ`, `dB = Aᵀ·G` applied, and the promotion undone. Broadcast batch dims are
 * summed away by the engine.
 */
export const matmulSpec: OpSpec<"matmul", null> = {
  name: "matmul",
  nodeName: "MmBackward0",
  forward: matmulForward,
  backward: (node, grad) => {
    const a = node.saved(0);
    const b = node.saved(1);
    const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
    const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
    let g2 = grad;
    if (a.ndim === 1) g2 = g2.unsqueeze(b.ndim === 1 ? 0 : -2);
    if (b.ndim === 1) g2 = g2.unsqueeze(-1);
    const gradA = node.needsGrad(0) ? g2.matmul(b2.transpose(-1, -2)) : null;
    const gradB = node.needsGrad(1) ? a2.transpose(-1, -2).matmul(g2) : null;
    return [
      gradA === null ? null : a.ndim === 1 ? gradA.squeeze(-2) : gradA,
      gradB === null ? null : b.ndim === 1 ? gradB.squeeze(-1) : gradB,
    ];
  },
};

/** Storage offset of each broadcast batch's matrix for an operand with batch shape `own` and batch strides `strides`. */
function batchOffsets(
  own: readonly number[],
  strides: readonly number[],
  batch: readonly number[],
): Int32Array {
  const count = numelOf(batch);
  const result = new Int32Array(count);
  const lead = batch.length - own.length;
  for (let i = 0; i < count; i++) {
    let rest = i;
    let offset = 0;
    for (let d = batch.length - 1; d >= 0; d--) {
      const size = batch[d] as number;
      const index = rest % size;
      rest = (rest - index) / size;
      if (d >= lead && own[d - lead] !== 1) offset += index * (strides[d - lead] as number);
    }
    result[i] = offset;
  }
  return result;
}

/** 2-d matrix product `a @ b`. */
export function mm(a: Tensor, b: Tensor): Tensor {
  check(a, b, "mm");
  if (a.ndim !== 2 || (b as Tensor).ndim !== 2) {
    throw new TensorError(
      "INVALID_SHAPE",
      "mm",
      `expects 2-d tensors, got shapes ${formatShape(a.shape)} and ${formatShape((b as Tensor).shape)}. Hint: use matmul() for 1-d or batched inputs.`,
    );
  }
  return matmul(a, b);
}

/** Inner product of two 1-d tensors of the same length. */
export function dot(a: Tensor, b: Tensor): Tensor {
  check(a, b, "dot");
  if (a.ndim !== 1 || (b as Tensor).ndim !== 1 || a.shape[0] !== (b as Tensor).shape[0]) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      "dot",
      `expects two 1-d tensors of the same length, got shapes ${formatShape(a.shape)} and ${formatShape((b as Tensor).shape)}.`,
    );
  }
  return matmul(a, b);
}
