import { dispatch } from "../dispatch";
import { type DType, promoteTypes } from "../dtype";
import { checkTensorArgument, describeValue, TensorError } from "../errors";
import type { RowKernel } from "../kernels/elementwise";
import { Logic, logicBinaryKernel, logicUnaryKernel } from "../kernels/logic";
import { REDUCE } from "../kernels/reduce";
import type { OpSpec } from "../op-spec";
import { normalizeDims, sameShape } from "../shape";
import type { Operand, Tensor } from "../tensor";
import { eq, tensorOperands } from "./binary";
import { elementwiseOp } from "./elementwise";
import { type DimArgument, type ReduceAttrs, runReduction } from "./reduce";

/** The dtype rule of an op whose output is a mask. */
const toBool = (): DType => "bool";

/**
 * The spec of an elementwise logic op: a `logic.ts` kernel, a dtype rule, and no gradient
 * (its output never requires grad, like a comparison's).
 */
export function logicOp<const Name extends string>(
  name: Name,
  kernel: RowKernel,
  code: number,
  output: (inputs: readonly Tensor[]) => DType = toBool,
): OpSpec<Name, null> {
  return elementwiseOp<Name, null>({
    name,
    kernel,
    code: () => code,
    output,
    backward: "not-differentiable",
  });
}

function truthReduction<const Name extends string>(
  name: Name,
  code: REDUCE,
): OpSpec<Name, ReduceAttrs> {
  return {
    name,
    backward: "not-differentiable",
    outputDType: toBool,
    forward: ([x], { dims, keepdim }) => runReduction(x as Tensor, code, dims, keepdim, "bool"),
  };
}

/** Tolerances of {@link isclose} and {@link allclose} (`torch.isclose`'s keywords). */
export interface IsCloseOptions {
  /** Relative tolerance, a multiple of `|other|`; default `1e-5`. */
  rtol?: number;
  /** Absolute tolerance; default `1e-8`. */
  atol?: number;
  /** Count two NaNs as close; default `false`. */
  equalNan?: boolean;
}

/** Attributes of `isclose`. */
export interface IsCloseAttrs {
  /** Relative tolerance (checked ≥ 0). */
  rtol: number;
  /** Absolute tolerance (checked ≥ 0). */
  atol: number;
  /** Whether two NaNs are close. */
  equalNan: boolean;
}

/** float64 computes in doubles; float32, int32 and bool in float32, as torch's kernels do. */
const inDoubles = (inputs: readonly Tensor[]): boolean => inputs[0]?.dtype === "float64";

/** The specs of the logic ops (truth values, NaN/∞ tests, `any`/`all`, `isclose`). */
export const logicSpecs = {
  logicalNot: logicOp("logicalNot", logicUnaryKernel, Logic.NOT),
  isnan: logicOp("isnan", logicUnaryKernel, Logic.ISNAN),
  isinf: logicOp("isinf", logicUnaryKernel, Logic.ISINF),
  isfinite: logicOp("isfinite", logicUnaryKernel, Logic.ISFINITE),
  logicalAnd: logicOp("logicalAnd", logicBinaryKernel, Logic.AND),
  logicalOr: logicOp("logicalOr", logicBinaryKernel, Logic.OR),
  logicalXor: logicOp("logicalXor", logicBinaryKernel, Logic.XOR),
  any: truthReduction("any", REDUCE.any),
  all: truthReduction("all", REDUCE.all),
  isclose: elementwiseOp<"isclose", IsCloseAttrs>({
    name: "isclose",
    kernel: logicBinaryKernel,
    code: (inputs, { equalNan }) =>
      (inDoubles(inputs) ? Logic.ISCLOSE : Logic.ISCLOSE_F32) +
      (equalNan ? Logic.ISCLOSE_NAN - Logic.ISCLOSE : 0),
    output: toBool,
    params: [
      ({ rtol }, inputs) => (inDoubles(inputs) ? rtol : Math.fround(rtol)),
      ({ atol }, inputs) => (inDoubles(inputs) ? atol : Math.fround(atol)),
    ],
    backward: "not-differentiable",
  }),
} as const;

/** The logic op of `spec` on one tensor (what the functions and methods run). */
function logicUnary(x: Tensor, spec: OpSpec<string, null>): Tensor {
  checkTensorArgument(x, spec.name);
  return dispatch(spec, [x], null);
}

/** The logic op of `spec` on two operands (a JS number counts by its truth value). */
function logicBinary(a: Operand, b: Operand, spec: OpSpec<string, null>): Tensor {
  return dispatch(spec, tensorOperands(spec.name, a, b), null);
}

/** Elementwise `not x` as a bool tensor (`torch.logical_not`): true where `x` is 0 or false. */
export const logicalNot = (x: Tensor): Tensor => logicUnary(x, logicSpecs.logicalNot);
/** True where `x` is NaN (`torch.isnan`); never for int32 or bool tensors. */
export const isnan = (x: Tensor): Tensor => logicUnary(x, logicSpecs.isnan);
/** True where `x` is +∞ or −∞ (`torch.isinf`); never for int32 or bool tensors. */
export const isinf = (x: Tensor): Tensor => logicUnary(x, logicSpecs.isinf);
/** True where `x` is neither NaN nor ±∞ (`torch.isfinite`); always for int32 and bool tensors. */
export const isfinite = (x: Tensor): Tensor => logicUnary(x, logicSpecs.isfinite);
/**
 * Elementwise `a and b` as a bool tensor (`torch.logical_and`), broadcasting; any dtype, every
 * non-zero value (NaN too) counting as true.
 */
export const logicalAnd = (a: Operand, b: Operand): Tensor =>
  logicBinary(a, b, logicSpecs.logicalAnd);
/** Elementwise `a or b` as a bool tensor (`torch.logical_or`), broadcasting; non-zero is true. */
export const logicalOr = (a: Operand, b: Operand): Tensor =>
  logicBinary(a, b, logicSpecs.logicalOr);
/** Elementwise `a xor b` as a bool tensor (`torch.logical_xor`), broadcasting; non-zero is true. */
export const logicalXor = (a: Operand, b: Operand): Tensor =>
  logicBinary(a, b, logicSpecs.logicalXor);

function truthReduce(op: "any" | "all", x: Tensor, dim: DimArgument, keepdim: boolean): Tensor {
  checkTensorArgument(x, op);
  const dims = normalizeDims(dim, x.ndim, op);
  return dispatch(logicSpecs[op], [x], { dims, keepdim });
}

/**
 * True where some element over `dim` (one dim or several; all dims when omitted) is non-zero,
 * as a bool tensor (`torch.any`); an empty reduction gives false.
 */
export function any(x: Tensor, dim?: DimArgument, keepdim = false): Tensor {
  return truthReduce("any", x, dim, keepdim);
}

/**
 * True where every element over `dim` (one dim or several; all dims when omitted) is non-zero,
 * as a bool tensor (`torch.all`); an empty reduction gives true.
 */
export function all(x: Tensor, dim?: DimArgument, keepdim = false): Tensor {
  return truthReduce("all", x, dim, keepdim);
}

function tolerance(options: IsCloseOptions, name: "rtol" | "atol", fallback: number, op: string) {
  const value = options[name] ?? fallback;
  if (typeof value !== "number" || !(value >= 0)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be a number greater than or equal to zero, but got ${describeValue(value)}. Hint: e.g. ${op}(other, { ${name}: 1e-4 }).`,
    );
  }
  return value;
}

function isCloseAttrs(a: Tensor, b: Tensor, options: IsCloseOptions, op: string): IsCloseAttrs {
  checkTensorArgument(a, op);
  checkTensorArgument(b, op, "other");
  if (a.dtype !== b.dtype) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `expected both inputs to have the same dtype, but got ${a.dtype} and ${b.dtype}. Hint: convert one first, e.g. other.to('${a.dtype}').`,
    );
  }
  const equalNan = options?.equalNan ?? false;
  if (typeof equalNan !== "boolean") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `equalNan must be a boolean, but got ${describeValue(equalNan)}. Hint: e.g. ${op}(other, { equalNan: true }).`,
    );
  }
  const given = options ?? {};
  return {
    rtol: tolerance(given, "rtol", 1e-5, op),
    atol: tolerance(given, "atol", 1e-8, op),
    equalNan,
  };
}

/**
 * True where `a` and `b` are close (`torch.isclose`), broadcasting: `|a − b| ≤ atol + rtol·|b|`,
 * with infinities close only to themselves and NaN to nothing unless `equalNan`. Both tensors
 * must have the same dtype, as in torch.
 */
export function isclose(a: Tensor, b: Tensor, options: IsCloseOptions = {}): Tensor {
  return dispatch(logicSpecs.isclose, [a, b], isCloseAttrs(a, b, options, "isclose"));
}

/** True when every element of `a` is close to `b`'s, broadcasting (`torch.allclose`); see {@link isclose}. */
export function allclose(a: Tensor, b: Tensor, options: IsCloseOptions = {}): boolean {
  const attrs = isCloseAttrs(a, b, options, "allclose");
  return all(dispatch(logicSpecs.isclose, [a, b], attrs)).item<boolean>();
}

/**
 * True when `a` and `b` have the same shape and the same values (`torch.equal`): no
 * broadcasting; different dtypes compare after promotion (`int32 1` equals `float32 1`); NaN
 * equals nothing.
 */
export function equal(a: Tensor, b: Tensor): boolean {
  checkTensorArgument(a, "equal");
  checkTensorArgument(b, "equal", "other");
  if (!sameShape(a.shape, b.shape)) return false;
  const dtype = promoteTypes(a.dtype, b.dtype);
  return all(eq(a.to(dtype), b.to(dtype))).item<boolean>();
}
