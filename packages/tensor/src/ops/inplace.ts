import {
  checkInPlace,
  dispatch,
  isTracked,
  launchInPlace,
  rebase,
  traceInPlace,
} from "../dispatch";
import { canCast, isFloating } from "../dtype";
import { describeValue, formatShape, TensorError } from "../errors";
import { runElementwise } from "../kernels/elementwise";
import type { OpSpec } from "../op-spec";
import { broadcastShapes, sameShape } from "../shape";
import { type Operand, Tensor } from "../tensor";
import { binarySpecs, checkBoolSub } from "./binary";
import { scalarTensor } from "./elementwise";
import { addcArguments, scaleOf, ternarySpecs } from "./ternary";
import { clampAttrs, copyCode, copyContiguous, unaryKernel, unarySpecs } from "./unary";

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

function checkResult(
  target: Tensor,
  inputs: readonly Tensor[],
  dtype: Tensor["dtype"],
  op: string,
) {
  let shape = target.shape;
  for (const input of inputs) shape = broadcastShapes(shape, input.shape, op);
  if (!sameShape(shape, target.shape)) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `output with shape ${formatShape(target.shape)} doesn't match the broadcast shape ${formatShape(shape)}. Hint: an in-place op cannot grow its tensor; use the out-of-place op.`,
    );
  }
  if (!canCast(dtype, target.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `result type ${dtype} can't be cast to the desired output type ${target.dtype}. Hint: convert the tensor with .float() first, or use the out-of-place op.`,
    );
  }
}

/**
 * A copy of `target`'s values before the in-place write, at `target`'s place in the graph
 * (PyTorch's `original_self`): backward rules that read the op's first input (`mul_`, `clamp_`,
 * `div_`) see the old values, which the write is about to replace.
 */
function originalOf(target: Tensor): Tensor {
  const original = copyContiguous(target, target.dtype);
  original.requiresGrad = target.requiresGrad;
  original.gradFn = target.gradFn;
  return original;
}

/** True when `input` reads `target`'s memory in another layout (so writing first would corrupt it). */
function overlaps(input: Tensor, target: Tensor): boolean {
  return (
    input.storage === target.storage &&
    !(input.offset === target.offset && sameShape(input.strides, target.strides))
  );
}

/** Copies `source` (of `target`'s shape) into `target`, casting; one traced kernel launch. */
function writeInto(target: Tensor, source: Tensor): void {
  runElementwise(unaryKernel, copyCode(source.dtype, target.dtype), target, [source]);
  traceInPlace(unarySpecs.to, [source], target, { dtype: target.dtype });
}

/**
 * Runs `target ← spec(target, ...others)` in place: the kernel writes straight into `target`
 * (no temporary) unless an operand overlaps it. When autograd records the op, it runs on an
 * alias of the old `target` and `target` becomes the new graph node's output.
 */
export function inPlace<T extends Tensor, Attrs>(
  spec: OpSpec<string, Attrs>,
  op: string,
  target: T,
  others: readonly Tensor[],
  attrs: Attrs,
): T {
  checkWritable(target, op);
  checkInPlace(op, target, others);
  const inputs = [target, ...others];
  if (isTracked(inputs)) {
    const result = dispatch(spec, [originalOf(target), ...others], attrs);
    checkResult(target, [result], result.dtype, op);
    writeInto(target, result);
    target.storage.version++;
    rebase(result, target);
    return target;
  }
  if (others.some((other) => overlaps(other, target))) {
    const result = spec.forward(inputs, attrs);
    checkResult(target, [result], result.dtype, op);
    traceInPlace(spec, inputs, result, attrs);
    writeInto(target, result);
  } else {
    const shaping = spec.keepsFirstShape === true ? [] : others;
    checkResult(target, shaping, spec.outputDType?.(inputs, attrs) ?? target.dtype, op);
    launchInPlace(spec, inputs, attrs, target);
  }
  target.storage.version++;
  return target;
}

/**
 * The other operand of an in-place op: a tensor, or a JS number as a 0-d tensor (a whole
 * number keeps an integer target integral, `indices.add_(1)`, as in PyTorch).
 */
export function inPlaceOperand(target: Tensor, other: Operand, op: string): Tensor {
  if (other instanceof Tensor) return other;
  if (typeof other !== "number") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `argument 'other' must be a Tensor or a number, but got ${describeValue(other)}. Hint: wrap arrays with tensor(...).`,
    );
  }
  const dtype = isFloating(target.dtype)
    ? target.dtype
    : Number.isInteger(other)
      ? "int32"
      : "float32";
  return scalarTensor(other, dtype);
}

/** Fills `target` with one value (`fill_`, `zero_`): a recorded copy of a 0-d tensor. */
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
  return inPlace(binarySpecs.copy, op, target, [scalarTensor(number, target.dtype)], null);
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
  return inPlace(binarySpecs.copy, "copy_", target, [src], null);
}

/** `add_`, `sub_`, `mul_`, `div_`; with `alpha`, `add_`/`sub_` fuse `± alpha · other` (one kernel). */
export function binaryInPlace<T extends Tensor>(
  target: T,
  op: "add_" | "sub_" | "mul_" | "div_",
  other: Operand,
  alpha?: number,
): T {
  const operand = inPlaceOperand(target, other, op);
  if (op === "sub_") checkBoolSub(op, [target, operand]);
  if (alpha === undefined) {
    const spec = binarySpecs[op.slice(0, -1) as "add" | "sub" | "mul" | "div"];
    return inPlace(spec, op, target, [operand], null);
  }
  const scale = scaleOf(alpha, op, "alpha");
  const attrs = { alpha: op === "sub_" ? -scale : scale };
  return inPlace(binarySpecs.addScaled, op, target, [operand], attrs);
}

/** `addcmul_` / `addcdiv_`: `target += value · t1 ⊙ t2` in one kernel. */
export function addcInPlace<T extends Tensor>(
  target: T,
  op: "addcmul_" | "addcdiv_",
  t1: Tensor,
  t2: Tensor,
  value = 1,
): T {
  const scale = addcArguments(op, target, t1, t2, value);
  const spec = op === "addcmul_" ? ternarySpecs.addcmul : ternarySpecs.addcdiv;
  return inPlace(spec, op, target, [t1, t2], { value: scale });
}

/** `clamp_`: clamps into `[min, max]` in place. */
export function clamp_<T extends Tensor>(target: T, min?: number | null, max?: number | null): T {
  return inPlace(unarySpecs.clamp, "clamp_", target, [], clampAttrs(min, max));
}
