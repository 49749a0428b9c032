import { record, recorder } from "../dispatch";
import { allocate, type DType, resultType, resultTypeWithNumber } from "../dtype";
import { describeValue, TensorError } from "../errors";
import { BINARY, type BinaryCode, binaryRows } from "../kernels/binary";
import { forEachRow } from "../kernels/strided";
import type { OpName } from "../op-names";
import { broadcastShapes, broadcastStrides, sameShape } from "../shape";
import { Storage } from "../storage";
import { type Operand, Tensor } from "../tensor";

type Kind = "arithmetic" | "comparison";

function notATensor(op: string, argument: string, value: unknown): TensorError {
  return new TensorError(
    "INVALID_ARGUMENT",
    op,
    `argument '${argument}' must be a Tensor or a number, but got ${describeValue(value)}. Hint: wrap arrays with tensor(...).`,
  );
}

function bothNumbers(op: string, a: number, b: unknown): TensorError {
  return new TensorError(
    "INVALID_ARGUMENT",
    op,
    `at least one argument must be a Tensor, but got two numbers (a=${a}, b=${describeValue(b)}). Hint: use JS arithmetic for numbers, or wrap one with tensor(...).`,
  );
}

/** A 0-d tensor holding `value` in `dtype` (how a JS number enters the graph). */
export function scalarTensor(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(new Storage(data), [], [], 0, dtype);
}

function kernelFor(code: BinaryCode, dtype: DType): BinaryCode {
  if (dtype === "int32" && code === BINARY.mul) return BINARY.imul;
  if (dtype === "bool" && code === BINARY.add) return BINARY.or;
  if (dtype === "bool" && code === BINARY.mul) return BINARY.and;
  return code;
}

function outputDType(op: OpName, compute: DType): DType {
  if (op === "div" && (compute === "int32" || compute === "bool")) return "float32";
  if (op === "sub" && compute === "bool") {
    throw new TensorError(
      "INVALID_DTYPE",
      "sub",
      "subtraction with two bool tensors is not supported. Hint: use logical ops, or convert with .int() or .float() first.",
    );
  }
  return compute;
}

/** Runs a broadcasting binary op: dtype promotion, the kernel, and recording for autograd. */
export function binaryOp(op: OpName, code: BinaryCode, kind: Kind, a: Operand, b: Operand): Tensor {
  if (!(a instanceof Tensor)) {
    if (typeof a !== "number") throw notATensor(op, "a", a);
    if (!(b instanceof Tensor))
      throw typeof b === "number" ? bothNumbers(op, a, b) : notATensor(op, "b", b);
    return binaryOp(op, code, kind, scalarTensor(a, resultTypeWithNumber(b.dtype)), b);
  }
  if (typeof b === "number") return binaryScalar(op, code, kind, a, b);
  if (!(b instanceof Tensor)) throw notATensor(op, "b", b);
  const compute =
    a.dtype === b.dtype ? a.dtype : resultType(a.dtype, a.ndim === 0, b.dtype, b.ndim === 0);
  const dtype = kind === "comparison" ? "bool" : outputDType(op, compute);
  const kernel = kernelFor(code, compute);
  const shape = broadcastShapes(a.shape, b.shape, op);
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i] as number;
  const out = allocate(dtype, n);
  const da = a.storage.data;
  const db = b.storage.data;
  if (a.contiguousLayout && b.contiguousLayout && sameShape(a.shape, b.shape)) {
    binaryRows(kernel, out, 0, da, a.offset, 1, db, b.offset, 1, n);
  } else {
    const sa = broadcastStrides(a.shape, a.strides, shape);
    const sb = broadcastStrides(b.shape, b.strides, shape);
    const last = shape.length - 1;
    const rowA = sa[last] ?? 0;
    const rowB = sb[last] ?? 0;
    if (shape.length <= 1) binaryRows(kernel, out, 0, da, a.offset, rowA, db, b.offset, rowB, n);
    else {
      forEachRow(shape, [sa, sb], [a.offset, b.offset], (offsets, o, length) =>
        binaryRows(
          kernel,
          out,
          o,
          da,
          offsets[0] as number,
          rowA,
          db,
          offsets[1] as number,
          rowB,
          length,
        ),
      );
    }
  }
  const result = Tensor.fromData(
    out,
    shape,
    dtype,
    shape === a.shape && a.contiguousLayout ? a.strides : undefined,
  );
  return kind === "comparison" ? result : record(op, [a, b], result);
}

function binaryScalar(op: OpName, code: BinaryCode, kind: Kind, a: Tensor, b: number): Tensor {
  const compute = resultTypeWithNumber(a.dtype);
  const dtype = kind === "comparison" ? "bool" : outputDType(op, compute);
  const scalar = allocate(compute, 1);
  scalar[0] = b; // rounds the number to the compute dtype, as PyTorch does
  const n = a.numel();
  const out = allocate(dtype, n);
  const kernel = kernelFor(code, compute);
  if (a.contiguousLayout) {
    binaryRows(kernel, out, 0, a.storage.data, a.offset, 1, scalar, 0, 0, n);
  } else {
    const rowStride = a.strides[a.ndim - 1] ?? 0;
    forEachRow(a.shape, [a.strides], [a.offset], (offsets, o, length) =>
      binaryRows(
        kernel,
        out,
        o,
        a.storage.data,
        offsets[0] as number,
        rowStride,
        scalar,
        0,
        0,
        length,
      ),
    );
  }
  const result = Tensor.fromData(out, a.shape, dtype, a.contiguousLayout ? a.strides : undefined);
  if (kind === "comparison" || !a.requiresGrad || recorder.hooks === null) return result;
  return record(op, [a, new Tensor(new Storage(scalar), [], [], 0, compute)], result);
}

/** Elementwise `a + b` with broadcasting (also `tensor.add`). */
export const add = (a: Operand, b: Operand): Tensor =>
  binaryOp("add", BINARY.add, "arithmetic", a, b);
/** Elementwise `a - b` with broadcasting. */
export const sub = (a: Operand, b: Operand): Tensor =>
  binaryOp("sub", BINARY.sub, "arithmetic", a, b);
/** Elementwise `a * b` with broadcasting. */
export const mul = (a: Operand, b: Operand): Tensor =>
  binaryOp("mul", BINARY.mul, "arithmetic", a, b);
/** Elementwise true division `a / b` with broadcasting (integers divide to float32). */
export const div = (a: Operand, b: Operand): Tensor =>
  binaryOp("div", BINARY.div, "arithmetic", a, b);
/** Elementwise `a ** b` with broadcasting. */
export const pow = (a: Operand, b: Operand): Tensor =>
  binaryOp("pow", BINARY.pow, "arithmetic", a, b);
/** Elementwise maximum; NaN propagates. */
export const maximum = (a: Operand, b: Operand): Tensor =>
  binaryOp("maximum", BINARY.maximum, "arithmetic", a, b);
/** Elementwise minimum; NaN propagates. */
export const minimum = (a: Operand, b: Operand): Tensor =>
  binaryOp("minimum", BINARY.minimum, "arithmetic", a, b);
/** `a == b` as a bool tensor. */
export const eq = (a: Operand, b: Operand): Tensor => binaryOp("eq", BINARY.eq, "comparison", a, b);
/** `a != b` as a bool tensor. */
export const ne = (a: Operand, b: Operand): Tensor => binaryOp("ne", BINARY.ne, "comparison", a, b);
/** `a < b` as a bool tensor. */
export const lt = (a: Operand, b: Operand): Tensor => binaryOp("lt", BINARY.lt, "comparison", a, b);
/** `a <= b` as a bool tensor. */
export const le = (a: Operand, b: Operand): Tensor => binaryOp("le", BINARY.le, "comparison", a, b);
/** `a > b` as a bool tensor. */
export const gt = (a: Operand, b: Operand): Tensor => binaryOp("gt", BINARY.gt, "comparison", a, b);
/**
 * relu's backward: `grad` where `result` is positive, else 0 (PyTorch's `threshold_backward`).
 * One pass, and differentiable in `grad` for second derivatives.
 */
export const reluBackward = (grad: Tensor, result: Tensor): Tensor =>
  binaryOp("reluBackward", BINARY.reluBackward, "arithmetic", grad, result);
/** `a >= b` as a bool tensor. */
export const ge = (a: Operand, b: Operand): Tensor => binaryOp("ge", BINARY.ge, "comparison", a, b);
