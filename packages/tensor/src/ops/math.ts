import { dispatch } from "../dispatch";
import { isFloating } from "../dtype";
import { checkTensorArgument, TensorError } from "../errors";
import type { RowKernel, RowOperand } from "../kernels/elementwise";
import type { BackwardRule, OpSpec } from "../op-spec";
import type { Tensor } from "../tensor";
import { elementwiseOp } from "./elementwise";
import { erfc as erfcValue, erf as erfValue } from "./erf";

// The pointwise math functions of torch's "Pointwise Ops" beyond exp/log/sin/cos/tanh. Each
// element is computed in float64 with Math.* and rounded once to the output dtype (within
// 1 ulp of torch's float32 kernels); rsqrt rounds like torch's float32 `1 / sqrt(x)`, twice.

// Kernel codes (an enum, so that bundlers inline the numbers; see binary.ts).
enum MathUnary {
  TAN = 0,
  ASIN = 1,
  ACOS = 2,
  ATAN = 3,
  SINH = 4,
  COSH = 5,
  ASINH = 6,
  ACOSH = 7,
  ATANH = 8,
  LOG2 = 9,
  LOG10 = 10,
  LOG1P = 11,
  EXPM1 = 12,
  EXP2 = 13,
  RSQRT = 14,
  RSQRT_F32 = 15,
  RECIPROCAL = 16,
  ERF = 17,
  ERFC = 18,
  FRAC = 19,
}

function mathValue(code: number, v: number): number {
  switch (code) {
    case MathUnary.TAN:
      return Math.tan(v);
    case MathUnary.ASIN:
      return Math.asin(v);
    case MathUnary.ACOS:
      return Math.acos(v);
    case MathUnary.ATAN:
      return Math.atan(v);
    case MathUnary.SINH:
      return Math.sinh(v);
    case MathUnary.COSH:
      return Math.cosh(v);
    case MathUnary.ASINH:
      return Math.asinh(v);
    case MathUnary.ACOSH:
      return Math.acosh(v);
    case MathUnary.ATANH:
      return Math.atanh(v);
    case MathUnary.LOG2:
      return Math.log2(v);
    case MathUnary.LOG10:
      return Math.log10(v);
    case MathUnary.LOG1P:
      return Math.log1p(v);
    case MathUnary.EXPM1:
      return Math.expm1(v);
    case MathUnary.EXP2:
      return 2 ** v;
    case MathUnary.RSQRT:
      return 1 / Math.sqrt(v);
    case MathUnary.RSQRT_F32: // torch's float32 kernel: sqrt rounded, then the division rounded
      return 1 / Math.fround(Math.sqrt(v));
    case MathUnary.RECIPROCAL:
      return 1 / v;
    case MathUnary.ERF:
      return erfValue(v);
    case MathUnary.ERFC:
      return erfcValue(v);
    default: // MathUnary.FRAC: exact in either float dtype (inf gives NaN, as in torch)
      return v - Math.trunc(v);
  }
}

const mathKernel: RowKernel = (code, operands, n) => {
  const out = operands[0] as RowOperand;
  const x = operands[1] as RowOperand;
  const to = out.data;
  const from = x.data;
  for (let i = 0, o = out.offset, s = x.offset; i < n; i++, o += out.stride, s += x.stride)
    to[o] = mathValue(code, from[s] as number);
};

/** A float-valued unary op: integer and bool inputs give float32, as in torch. */
function mathOp<const Name extends string>(
  name: Name,
  code: number,
  backward: BackwardRule<null>,
): OpSpec<Name, null> {
  return elementwiseOp<Name, null>({
    name,
    kernel: mathKernel,
    code: (_, __, dtype) =>
      code === MathUnary.RSQRT && dtype === "float32" ? MathUnary.RSQRT_F32 : code,
    output: ([x]) => (isFloating((x as Tensor).dtype) ? (x as Tensor).dtype : "float32"),
    backward,
  });
}

const LN2 = Math.LN2;
const LN10 = Math.LN10;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** The specs of the unary math ops; backward rules are torch's derivatives.yaml formulas. */
export const mathSpecs = {
  tan: mathOp("tan", MathUnary.TAN, (node, grad) => [
    grad.mul(node.result.mul(node.result).add(1)),
  ]),
  asin: mathOp("asin", MathUnary.ASIN, (node, grad) => {
    const x = node.saved(0);
    return [grad.mul(rsqrt(x.mul(x).neg().add(1)))];
  }),
  acos: mathOp("acos", MathUnary.ACOS, (node, grad) => {
    const x = node.saved(0);
    return [grad.mul(rsqrt(x.mul(x).neg().add(1)).neg())];
  }),
  atan: mathOp("atan", MathUnary.ATAN, (node, grad) => {
    const x = node.saved(0);
    return [grad.div(x.mul(x).add(1))];
  }),
  sinh: mathOp("sinh", MathUnary.SINH, (node, grad) => [grad.mul(cosh(node.saved(0)))]),
  cosh: mathOp("cosh", MathUnary.COSH, (node, grad) => [grad.mul(sinh(node.saved(0)))]),
  asinh: mathOp("asinh", MathUnary.ASINH, (node, grad) => {
    const x = node.saved(0);
    return [grad.mul(rsqrt(x.mul(x).add(1)))];
  }),
  acosh: mathOp("acosh", MathUnary.ACOSH, (node, grad) => {
    const x = node.saved(0);
    return [grad.mul(rsqrt(x.mul(x).sub(1)))];
  }),
  atanh: mathOp("atanh", MathUnary.ATANH, (node, grad) => {
    const x = node.saved(0);
    return [grad.div(x.mul(x).neg().add(1))];
  }),
  log2: mathOp("log2", MathUnary.LOG2, (node, grad) => [grad.div(node.saved(0).mul(LN2))]),
  log10: mathOp("log10", MathUnary.LOG10, (node, grad) => [grad.div(node.saved(0).mul(LN10))]),
  log1p: mathOp("log1p", MathUnary.LOG1P, (node, grad) => [grad.div(node.saved(0).add(1))]),
  expm1: mathOp("expm1", MathUnary.EXPM1, (node, grad) => [grad.mul(node.result.add(1))]),
  exp2: mathOp("exp2", MathUnary.EXP2, (node, grad) => [grad.mul(node.result).mul(LN2)]),
  rsqrt: mathOp("rsqrt", MathUnary.RSQRT, (node, grad) => {
    return [grad.mul(-0.5).mul(node.result.pow(3))];
  }),
  reciprocal: mathOp("reciprocal", MathUnary.RECIPROCAL, (node, grad) => {
    const r = node.result;
    return [grad.neg().mul(r.mul(r))];
  }),
  erf: mathOp("erf", MathUnary.ERF, (node, grad) => [erfGradient(node.saved(0), grad, 1)]),
  erfc: mathOp("erfc", MathUnary.ERFC, (node, grad) => [erfGradient(node.saved(0), grad, -1)]),
  /** `x − trunc(x)`; its gradient is the identity, as in torch (`self: grad`). */
  frac: elementwiseOp<"frac", null>({
    name: "frac",
    kernel: mathKernel,
    code: () => MathUnary.FRAC,
    output: ([x]) => (x as Tensor).dtype,
    backward: (_, grad) => [grad],
  }),
} as const;

/** `±2/√π · e^(−x²) · grad`: the derivative of erf (sign 1) and erfc (sign −1). */
function erfGradient(x: Tensor, grad: Tensor, sign: number): Tensor {
  return x
    .mul(x)
    .neg()
    .exp()
    .mul(sign * TWO_OVER_SQRT_PI)
    .mul(grad);
}

/**
 * The unary math op of `spec` (one of {@link mathSpecs}) applied to `x`: what the function
 * forms and the `Tensor` methods run.
 */
export function mathUnary(x: Tensor, spec: OpSpec<string, null>): Tensor {
  checkTensorArgument(x, spec.name);
  if (spec === mathSpecs.frac && !isFloating(x.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      "frac",
      `frac is only defined for floating tensors, but got ${x.dtype} (as in PyTorch). Hint: convert with .float() first; the fractional part of an integer is 0.`,
    );
  }
  return dispatch(spec, [x], null);
}

function mathFunction(name: keyof typeof mathSpecs): (x: Tensor) => Tensor {
  const spec = mathSpecs[name] as OpSpec<string, null>;
  return (x) => mathUnary(x, spec);
}

/** Elementwise tangent (`torch.tan`); integers give float32. */
export const tan = /* @__PURE__ */ mathFunction("tan");
/** Elementwise arcsine (`torch.asin`); NaN outside [−1, 1]. */
export const asin = /* @__PURE__ */ mathFunction("asin");
/** Elementwise arccosine (`torch.acos`); NaN outside [−1, 1]. */
export const acos = /* @__PURE__ */ mathFunction("acos");
/** Elementwise arctangent (`torch.atan`). */
export const atan = /* @__PURE__ */ mathFunction("atan");
/** Elementwise hyperbolic sine (`torch.sinh`). */
export const sinh = /* @__PURE__ */ mathFunction("sinh");
/** Elementwise hyperbolic cosine (`torch.cosh`). */
export const cosh = /* @__PURE__ */ mathFunction("cosh");
/** Elementwise inverse hyperbolic sine (`torch.asinh`). */
export const asinh = /* @__PURE__ */ mathFunction("asinh");
/** Elementwise inverse hyperbolic cosine (`torch.acosh`); NaN below 1. */
export const acosh = /* @__PURE__ */ mathFunction("acosh");
/** Elementwise inverse hyperbolic tangent (`torch.atanh`); ±inf at ±1, NaN outside. */
export const atanh = /* @__PURE__ */ mathFunction("atanh");
/** Elementwise base-2 logarithm (`torch.log2`). */
export const log2 = /* @__PURE__ */ mathFunction("log2");
/** Elementwise base-10 logarithm (`torch.log10`). */
export const log10 = /* @__PURE__ */ mathFunction("log10");
/** Elementwise `log(1 + x)`, accurate near 0 (`torch.log1p`). */
export const log1p = /* @__PURE__ */ mathFunction("log1p");
/** Elementwise `e^x − 1`, accurate near 0 (`torch.expm1`). */
export const expm1 = /* @__PURE__ */ mathFunction("expm1");
/** Elementwise `2^x` (`torch.exp2`). */
export const exp2 = /* @__PURE__ */ mathFunction("exp2");
/** Elementwise `1 / √x` (`torch.rsqrt`); inf at 0, NaN below 0. */
export const rsqrt = /* @__PURE__ */ mathFunction("rsqrt");
/** Elementwise `1 / x` (`torch.reciprocal`); integers give float32. */
export const reciprocal = /* @__PURE__ */ mathFunction("reciprocal");
/** Elementwise error function (`torch.erf`). */
export const erf = /* @__PURE__ */ mathFunction("erf");
/** Elementwise complementary error function `1 − erf(x)` (`torch.erfc`), accurate for large x. */
export const erfc = /* @__PURE__ */ mathFunction("erfc");
/** Elementwise fractional part `x − trunc(x)` (`torch.frac`), sign of x; floating tensors only. */
export const frac = /* @__PURE__ */ mathFunction("frac");
