import { isTracked, record, recorder } from "../dispatch";
import { canCast, isFloating } from "../dtype";
import { describeValue, formatShape, TensorError } from "../errors";
import { BINARY, binaryRow } from "../kernels/binary";
import { forEachRow } from "../kernels/strided";
import { UNARY, unaryRow } from "../kernels/unary";
import { broadcastShapes, sameShape } from "../shape";
import { type Operand, Tensor } from "../tensor";
import { add, div, mul, scalarTensor, sub } from "./binary";
import { copyContiguous } from "./copy";
import { expand } from "./views";

function checkWritable(target: Tensor, op: string): void {
  if (target.numel() === 0) return;
  for (let d = 0; d < target.ndim; d++) {
    if (target.strides[d] === 0 && (target.shape[d] as number) > 1) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `unsupported operation: more than one element of the written-to tensor refers to a single memory location (shape ${formatShape(target.shape)}, strides ${formatShape(target.strides)}). Hint: call clone() before the in-place op.`,
      );
    }
  }
}

/** Copies contiguous `source` into the (possibly strided) `target` and bumps its storage version. */
function writeInto(target: Tensor, source: Tensor, op: string): void {
  if (!sameShape(source.shape, target.shape)) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `output with shape ${formatShape(target.shape)} doesn't match the broadcast shape ${formatShape(source.shape)}. Hint: an in-place op cannot grow its tensor; use the out-of-place op.`,
    );
  }
  if (!canCast(source.dtype, target.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `result type ${source.dtype} can't be cast to the desired output type ${target.dtype}. Hint: convert the tensor with .float() first, or use the out-of-place op.`,
    );
  }
  const code = target.dtype === "bool" ? UNARY.toBool : UNARY.copy;
  const rowStride = target.strides[target.ndim - 1] ?? 1;
  const from = source.storage.data;
  const to = target.storage.data;
  if (target.contiguousLayout)
    unaryRow(code, to, target.offset, from, source.offset, 1, source.numel(), 0, 0);
  else
    forEachRow(target.shape, [target.strides], [target.offset], (offsets, o, length) => {
      // target rows are strided: write element by element
      for (let i = 0, p = offsets[0] as number; i < length; i++, p += rowStride)
        to[p] = from[source.offset + o + i] as number;
    });
  target.storage.version++;
}

function aliasOf(target: Tensor): Tensor {
  const alias = new Tensor(
    target.storage,
    target.shape,
    target.strides,
    target.offset,
    target.dtype,
  );
  alias.requiresGrad = target.requiresGrad;
  alias.gradFn = target.gradFn;
  return alias;
}

/**
 * Runs an in-place op as `target ← compute(target, other)`. When autograd tracks it, the graph
 * records `compute` on an alias of the old `target`, and `target` becomes the node's output.
 */
export function inPlace<T extends Tensor>(
  target: T,
  op: string,
  compute: (x: Tensor, other: Operand) => Tensor,
  operand: Operand,
): T {
  checkWritable(target, op);
  // A whole JS number keeps an integer tensor integral (`indices.add_(1)`), as in PyTorch.
  const other =
    typeof operand === "number" && !isFloating(target.dtype) && Number.isInteger(operand)
      ? scalarTensor(operand, "int32")
      : operand;
  const hooks = recorder.hooks;
  const tracked = isTracked(target, other instanceof Tensor ? other : undefined);
  if (hooks !== null) hooks.checkInPlace(op, target);
  if (!tracked || hooks === null) {
    writeInto(target, compute(target, other), op);
    return target;
  }
  const result = compute(aliasOf(target), other);
  writeInto(target, result, op);
  hooks.rebase(result, target);
  return target;
}

const binaryCodes = {
  add_: BINARY.add,
  sub_: BINARY.sub,
  mul_: BINARY.mul,
  div_: BINARY.div,
} as const;
const binaryOps = { add_: add, sub_: sub, mul_: mul, div_: div } as const;

/**
 * `add_`, `sub_`, `mul_`, `div_`. When nothing is recorded and the operands line up (a float
 * target, a number or a same-shaped/0-d tensor of its dtype in other storage), the kernel writes
 * straight into the target: no temporary, no second pass.
 */
export function binaryInPlace<T extends Tensor>(
  target: T,
  op: keyof typeof binaryCodes,
  other: Operand,
): T {
  const tracked = isTracked(target, other instanceof Tensor ? other : undefined);
  if (!tracked && target.contiguousLayout && isFloating(target.dtype)) {
    let source: Tensor | null = null;
    if (typeof other === "number") source = scalarTensor(other, target.dtype);
    else if (
      other instanceof Tensor &&
      other.dtype === target.dtype &&
      other.storage !== target.storage &&
      other.contiguousLayout &&
      (other.ndim === 0 || sameShape(other.shape, target.shape))
    )
      source = other;
    if (source !== null) {
      recorder.hooks?.checkInPlace(op, target);
      const data = target.storage.data;
      binaryRow(
        binaryCodes[op],
        data,
        target.offset,
        data,
        target.offset,
        1,
        source.storage.data,
        source.offset,
        source.ndim === 0 ? 0 : 1,
        target.numel(),
      );
      target.storage.version++;
      return target;
    }
  }
  return inPlace(target, op, binaryOps[op], other);
}

/** Records `copy` of `source` over `previous`: gradient flows to `source` only. */
function copyOp(previous: Tensor, source: Operand): Tensor {
  if (!(source instanceof Tensor))
    throw new TensorError("INVALID_ARGUMENT", "copy_", "source must be a Tensor.");
  const out = copyContiguous(expand(source, previous.shape), previous.dtype);
  return record("copy", [previous, source], out);
}

/** Fills `target` with one value (`fill_`, `zero_`). */
export function fill_<T extends Tensor>(target: T, value: number | boolean, op: string): T {
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `value must be a number or boolean, but got ${describeValue(value)}. Hint: e.g. ${op === "zero_" ? "zero_()" : "fill_(0.5)"}.`,
    );
  }
  // bool storage holds exactly 0 or 1 (value != 0, as PyTorch converts)
  const number = target.dtype === "bool" ? Number(Number(value) !== 0) : Number(value);
  const scalar = scalarTensor(number, target.dtype);
  if (recorder.hooks === null || !target.requiresGrad || !recorder.gradEnabled) {
    checkWritable(target, op);
    recorder.hooks?.checkInPlace(op, target);
    if (!target.contiguousLayout) {
      writeInto(target, copyContiguous(expand(scalar, target.shape), target.dtype), op);
      return target;
    }
    target.storage.data.fill(
      scalar.storage.data[0] as number,
      target.offset,
      target.offset + target.numel(),
    );
    target.storage.version++;
    return target;
  }
  return inPlace(target, op, copyOp, scalar);
}

/** Copies `source` (broadcast, cast to `target`'s dtype) into `target`. */
export function copy_<T extends Tensor>(target: T, source: Operand): T {
  const src =
    source instanceof Tensor
      ? source
      : typeof source === "number"
        ? scalarTensor(source, target.dtype)
        : null;
  if (src === null) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "copy_",
      `source must be a Tensor or a number, but got ${typeof source}.`,
    );
  }
  if (!sameShape(broadcastShapes(src.shape, target.shape, "copy_"), target.shape)) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      "copy_",
      `source of shape ${formatShape(src.shape)} cannot be broadcast to the target's shape ${formatShape(target.shape)}. Hint: the source must broadcast to the target without growing it.`,
    );
  }
  return inPlace(target, "copy_", (previous) => copyOp(previous, src), src);
}
