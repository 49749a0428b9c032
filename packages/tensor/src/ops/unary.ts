import { record } from "../dispatch";
import { allocate, type DType, isFloating } from "../dtype";
import { TensorError } from "../errors";
import { forEachRow } from "../kernels/strided";
import { UNARY, type UnaryCode, unaryRow } from "../kernels/unary";
import type { OpName } from "../op-names";
import { Tensor } from "../tensor";
import { mul, pow } from "./binary";

/** Applies a unary kernel to every element into a fresh contiguous tensor of `dtype`. */
export function mapElements(x: Tensor, code: UnaryCode, dtype: DType, low = 0, high = 0): Tensor {
  const n = x.numel();
  const out = allocate(dtype, n);
  if (x.contiguousLayout) {
    unaryRow(code, out, 0, x.storage.data, x.offset, 1, n, low, high);
  } else {
    const rowStride = x.strides[x.ndim - 1] ?? 0;
    forEachRow(x.shape, [x.strides], [x.offset], (offsets, o, length) =>
      unaryRow(code, out, o, x.storage.data, offsets[0] as number, rowStride, length, low, high),
    );
  }
  return Tensor.fromData(out, x.shape, dtype, x.contiguousLayout ? x.strides : undefined);
}

function checkTensor(x: unknown, op: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `argument 'input' must be a Tensor, but got ${typeof x}.`,
    );
  }
}

function floatingOp(op: OpName, code: UnaryCode) {
  return (x: Tensor): Tensor => {
    checkTensor(x, op);
    const dtype = isFloating(x.dtype) ? x.dtype : "float32";
    return record(op, [x], mapElements(x, code, dtype));
  };
}

function sameTypeOp(op: OpName, code: UnaryCode) {
  return (x: Tensor): Tensor => {
    checkTensor(x, op);
    if (x.dtype === "bool" && op === "neg") {
      throw new TensorError(
        "INVALID_DTYPE",
        "neg",
        "negation of a bool tensor is not supported. Hint: use x.eq(false) for a logical not.",
      );
    }
    return record(op, [x], mapElements(x, code, x.dtype));
  };
}

/** Elementwise `-x`. */
export const neg = sameTypeOp("neg", UNARY.neg);
/** Elementwise `|x|`. */
export const abs = sameTypeOp("abs", UNARY.abs);
/** Elementwise sign (-1, 0, 1); not differentiable. */
export const sign = sameTypeOp("sign", UNARY.sign);
/** Elementwise `e^x`. */
export const exp = floatingOp("exp", UNARY.exp);
/** Elementwise natural log (NaN below 0, -inf at 0). */
export const log = floatingOp("log", UNARY.log);
/** Elementwise square root (NaN below 0). */
export const sqrt = floatingOp("sqrt", UNARY.sqrt);
/** Elementwise sine. */
export const sin = floatingOp("sin", UNARY.sin);
/** Elementwise cosine. */
export const cos = floatingOp("cos", UNARY.cos);
/** Elementwise hyperbolic tangent. */
export const tanh = floatingOp("tanh", UNARY.tanh);
/** Elementwise logistic sigmoid. */
export const sigmoid = floatingOp("sigmoid", UNARY.sigmoid);
/** Elementwise `max(x, 0)`. */
export const relu = sameTypeOp("relu", UNARY.relu);

/** Elementwise `x ** 2` (recorded as `pow`, as in PyTorch). */
export function square(x: Tensor): Tensor {
  checkTensor(x, "square");
  return isFloating(x.dtype) ? pow(x, 2) : mul(x, x); // integers stay integers, as in PyTorch
}

/** Clamps every element into `[min, max]`; a `null`/`undefined` bound leaves that side open. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  checkTensor(x, "clamp");
  const low = min ?? null;
  const high = max ?? null;
  if (low === null && high === null) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "clamp",
      "at least one of 'min' or 'max' must not be None. Hint: pass clamp(min) or clamp(null, max).",
    );
  }
  for (const [name, value] of [
    ["min", low],
    ["max", high],
  ] as const) {
    if (value !== null && typeof value !== "number") {
      throw new TensorError(
        "INVALID_ARGUMENT",
        "clamp",
        `'${name}' must be a number or null, but got ${typeof value}.`,
      );
    }
  }
  const dtype = isFloating(x.dtype) ? x.dtype : "float32"; // a JS number bound is a float
  const out = mapElements(
    x,
    UNARY.clamp,
    dtype,
    low ?? Number.NEGATIVE_INFINITY,
    high ?? Number.POSITIVE_INFINITY,
  );
  return record("clamp", [x], out, { min: low, max: high });
}
