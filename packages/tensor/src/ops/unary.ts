import { dispatch } from "../dispatch";
import { type DType, isFloating } from "../dtype";
import { checkTensorArgument, describeValue, TensorError } from "../errors";
import type { RowKernel, RowOperand } from "../kernels/elementwise";
import { RELU_SIMD_MIN, reluFloat32Simd } from "../kernels/wasm/conv-simd";
import type { Gradient, OpSpec } from "../op-spec";
import type { Tensor } from "../tensor";
import { mul, pow, reluBackward } from "./binary";
import { elementwiseOp } from "./elementwise";
import { where } from "./ternary";

// Kernel codes: one per element function below (an enum, so that bundlers inline the numbers;
// see binary.ts).
enum Unary {
  NEG = 0,
  ABS = 1,
  SIGN = 2,
  EXP = 3,
  LOG = 4,
  SQRT = 5,
  SIN = 6,
  COS = 7,
  TANH = 8,
  SIGMOID = 9,
  RELU = 10,
  CLAMP = 11,
  COPY = 12,
  TO_BOOL = 13,
  FLOOR = 14,
  CEIL = 15,
  TRUNC = 16,
  ROUND = 17,
  ROUND_SCALED = 18,
}

/** `nearbyint`: rounds half to even, as PyTorch's `round` does. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** One element of a unary kernel; `p0`/`p1` are the op's scalar parameters. */
function unaryValue(code: number, v: number, p0: number, p1: number): number {
  switch (code) {
    case Unary.NEG:
      return -v;
    case Unary.ABS:
      return Math.abs(v);
    case Unary.SIGN: // PyTorch's `(0 < v) - (v < 0)`: NaN gives 0
      return (v > 0 ? 1 : 0) - (v < 0 ? 1 : 0);
    case Unary.EXP:
      return Math.exp(v);
    case Unary.LOG:
      return Math.log(v);
    case Unary.SQRT:
      return Math.sqrt(v);
    case Unary.SIN:
      return Math.sin(v);
    case Unary.COS:
      return Math.cos(v);
    case Unary.TANH:
      return Math.tanh(v);
    case Unary.SIGMOID:
      return 1 / (1 + Math.exp(-v));
    case Unary.RELU:
      return v > 0 || Number.isNaN(v) ? v : 0;
    case Unary.CLAMP:
      return Math.min(Math.max(v, p0), p1);
    case Unary.TO_BOOL:
      return v ? 1 : 0;
    case Unary.FLOOR:
      return Math.floor(v);
    case Unary.CEIL:
      return Math.ceil(v);
    case Unary.TRUNC:
      return Math.trunc(v);
    case Unary.ROUND:
      return roundHalfEven(v);
    case Unary.ROUND_SCALED:
      return roundScaled(v, p0, p1);
    default:
      return v;
  }
}

/** torch's `round(decimals)`: `nearbyint(x · 10^d) / 10^d` (or `÷`/`·` for d < 0), step by step in the dtype. */
function roundScaled(v: number, ten: number, mode: number): number {
  const single = Math.abs(mode) === 2;
  const fit = single ? Math.fround : (x: number) => x;
  if (mode < 0) return fit(roundHalfEven(fit(v / ten)) * ten);
  return fit(roundHalfEven(fit(v * ten)) / ten);
}

/** The unary row kernel: `out[i] = f(x[i])`; writing into the output's typed array rounds to its dtype. */
export const unaryKernel: RowKernel = (code, operands, n, p0, p1) => {
  const out = operands[0] as RowOperand;
  const x = operands[1] as RowOperand;
  const to = out.data;
  const from = x.data;
  // a long same-type copy is one memcpy; for short ones the subarray would cost more than the loop
  if (
    code === Unary.COPY &&
    n > 64 &&
    out.stride === 1 &&
    x.stride === 1 &&
    to.constructor === from.constructor
  ) {
    to.set(from.subarray(x.offset, x.offset + n) as never, out.offset);
    return;
  }
  if (code === Unary.COPY) {
    // a strided copy (a transpose, a flip, windows): no per-element dispatch on the code
    for (let i = 0, o = out.offset, s = x.offset; i < n; i++, o += out.stride, s += x.stride)
      to[o] = from[s] as number;
    return;
  }
  if (code === Unary.RELU) {
    // the activation of every convolutional layer: SIMD when long, no per-element dispatch
    if (
      n >= RELU_SIMD_MIN &&
      out.stride === 1 &&
      x.stride === 1 &&
      to instanceof Float32Array &&
      from instanceof Float32Array &&
      reluFloat32Simd(to, out.offset, from, x.offset, n)
    )
      return;
    for (let i = 0, o = out.offset, s = x.offset; i < n; i++, o += out.stride, s += x.stride) {
      const v = from[s] as number;
      to[o] = v > 0 || Number.isNaN(v) ? v : 0;
    }
    return;
  }
  for (let i = 0, o = out.offset, s = x.offset; i < n; i++, o += out.stride, s += x.stride)
    to[o] = unaryValue(code, from[s] as number, p0, p1);
};

type DTypeRule = "same" | "float";

const outputDType = (rule: DTypeRule, dtype: DType): DType =>
  rule === "same" || isFloating(dtype) ? dtype : "float32";

function unaryOp<const Name extends string>(
  name: Name,
  code: number,
  dtype: DTypeRule,
  backward: Gradient<null>,
): OpSpec<Name, null> {
  return elementwiseOp<Name, null>({
    name,
    kernel: unaryKernel,
    code: () => code,
    output: (inputs) => outputDType(dtype, (inputs[0] as Tensor).dtype),
    backward,
  });
}

/** Bounds of `clamp`; `null` leaves a side open. */
export interface ClampAttrs {
  min: number | null;
  max: number | null;
}

/** Decimal places of `round`. */
export interface RoundAttrs {
  decimals: number;
}

/** The specs of the unary elementwise ops. */
export const unarySpecs = {
  neg: unaryOp("neg", Unary.NEG, "same", (_, grad) => [grad.neg()]),
  abs: unaryOp("abs", Unary.ABS, "same", (node, grad) => [grad.mul(node.saved(0).sign())]),
  sign: unaryOp("sign", Unary.SIGN, "same", "zero"),
  floor: unaryOp("floor", Unary.FLOOR, "same", "zero"),
  ceil: unaryOp("ceil", Unary.CEIL, "same", "zero"),
  trunc: unaryOp("trunc", Unary.TRUNC, "same", "zero"),
  round: elementwiseOp<"round", RoundAttrs>({
    name: "round",
    nodeName: ({ decimals }) => (decimals === 0 ? "RoundBackward0" : "RoundBackward1"),
    kernel: unaryKernel,
    code: (_, { decimals }) => (decimals === 0 ? Unary.ROUND : Unary.ROUND_SCALED),
    output: (inputs) => (inputs[0] as Tensor).dtype,
    // 10^|decimals| in the dtype, and the mode: ±1 float64, ±2 float32, negative for decimals < 0
    params: [
      ({ decimals }, [x]) => {
        const ten = 10 ** Math.abs(decimals);
        return x?.dtype === "float32" ? Math.fround(ten) : ten;
      },
      ({ decimals }, [x]) => (x?.dtype === "float32" ? 2 : 1) * Math.sign(decimals),
    ],
    backward: "zero",
  }),
  exp: unaryOp("exp", Unary.EXP, "float", (node, grad) => [grad.mul(node.result)]),
  log: unaryOp("log", Unary.LOG, "float", (node, grad) => [grad.div(node.saved(0))]),
  sqrt: unaryOp("sqrt", Unary.SQRT, "float", (node, grad) => [grad.div(node.result.mul(2))]),
  sin: unaryOp("sin", Unary.SIN, "float", (node, grad) => [grad.mul(node.saved(0).cos())]),
  cos: unaryOp("cos", Unary.COS, "float", (node, grad) => [grad.mul(node.saved(0).sin().neg())]),
  tanh: unaryOp("tanh", Unary.TANH, "float", (node, grad) => [
    grad.mul(node.result.mul(node.result).neg().add(1)),
  ]),
  sigmoid: unaryOp("sigmoid", Unary.SIGMOID, "float", (node, grad) => [
    grad.mul(node.result.mul(node.result.neg().add(1))),
  ]),
  relu: unaryOp("relu", Unary.RELU, "same", (node, grad) => [reluBackward(grad, node.result)]),
  clamp: elementwiseOp<"clamp", ClampAttrs>({
    name: "clamp",
    nodeName: "ClampBackward1",
    kernel: unaryKernel,
    code: () => Unary.CLAMP,
    output: (inputs) => outputDType("float", (inputs[0] as Tensor).dtype),
    params: [
      ({ min }) => min ?? Number.NEGATIVE_INFINITY,
      ({ max }) => max ?? Number.POSITIVE_INFINITY,
    ],
    backward: (node, grad) => {
      const { min, max } = node.attrs;
      const x = node.saved(0);
      const low = min === null ? null : x.ge(min);
      const high = max === null ? null : x.le(max);
      const inside = low === null ? (high as Tensor) : high === null ? low : low.mul(high);
      return [where(inside, grad, 0)];
    },
  }),
  /** `x.to(dtype)`: a copy converted to `dtype` (bool: non-zero → true). */
  to: elementwiseOp<"to", { dtype: DType }>({
    name: "to",
    nodeName: "ToCopyBackward0",
    kernel: unaryKernel,
    code: (inputs, _, dtype) => copyCode((inputs[0] as Tensor).dtype, dtype),
    output: (_, { dtype }) => dtype,
    backward: (node, grad) => [grad.to(node.input(0).dtype)],
  }),
  /** A copy with its own storage. */
  clone: unaryOp("clone", Unary.COPY, "same", (_, grad) => [grad]),
} as const;

/**
 * The unary op of `spec` (one of `unarySpecs`' ops with a function form) applied to `x`: what
 * the function forms and the `Tensor` methods run. The methods pass their spec, so a bundle
 * holds one call shape per method and no per-op function.
 */
export function unary(x: Tensor, spec: OpSpec<string, null>): Tensor {
  checkTensorArgument(x, spec.name);
  if (x.dtype === "bool" && spec === unarySpecs.neg) {
    throw new TensorError(
      "INVALID_DTYPE",
      "neg",
      "negation of a bool tensor is not supported. Hint: use x.logicalNot() for a logical not.",
    );
  }
  return dispatch(spec, [x], null);
}

function unaryFunction(name: keyof typeof unarySpecs): (x: Tensor) => Tensor {
  const spec = unarySpecs[name] as OpSpec<string, null>;
  return (x) => unary(x, spec);
}

/** Elementwise `-x`. */
export const neg = /* @__PURE__ */ unaryFunction("neg");
/** Elementwise `|x|`. */
export const abs = /* @__PURE__ */ unaryFunction("abs");
/** Elementwise sign: -1, 0 or 1 (NaN gives 0, as in PyTorch); its gradient is zero. */
export const sign = /* @__PURE__ */ unaryFunction("sign");
/** Rounds down to an integer (`torch.floor`); zero gradient. */
export const floor = /* @__PURE__ */ unaryFunction("floor");
/** Rounds up to an integer (`torch.ceil`); zero gradient. */
export const ceil = /* @__PURE__ */ unaryFunction("ceil");
/** Rounds toward zero (`torch.trunc`); zero gradient. */
export const trunc = /* @__PURE__ */ unaryFunction("trunc");
/** Elementwise `e^x`. */
export const exp = /* @__PURE__ */ unaryFunction("exp");
/** Elementwise natural log (NaN below 0, -inf at 0). */
export const log = /* @__PURE__ */ unaryFunction("log");
/** Elementwise square root (NaN below 0). */
export const sqrt = /* @__PURE__ */ unaryFunction("sqrt");
/** Elementwise sine. */
export const sin = /* @__PURE__ */ unaryFunction("sin");
/** Elementwise cosine. */
export const cos = /* @__PURE__ */ unaryFunction("cos");
/** Elementwise hyperbolic tangent. */
export const tanh = /* @__PURE__ */ unaryFunction("tanh");
/** Elementwise logistic sigmoid. */
export const sigmoid = /* @__PURE__ */ unaryFunction("sigmoid");
/** Elementwise `max(x, 0)`. */
export const relu = /* @__PURE__ */ unaryFunction("relu");

/** Elementwise `x ** 2` (recorded as `pow`, as in PyTorch). */
export function square(x: Tensor): Tensor {
  checkTensorArgument(x, "square");
  return isFloating(x.dtype) ? pow(x, 2) : mul(x, x); // integers stay integers, as in PyTorch
}

/** Options of {@link round}. */
export interface RoundOptions {
  /** Decimal places to keep (negative: round to tens, hundreds, …); default 0. */
  decimals?: number;
}

/**
 * Rounds half to even (`torch.round`), or to `decimals` places as torch computes it
 * (`nearbyint(x · 10^d) / 10^d` in the input's dtype); zero gradient.
 */
export function round(x: Tensor, options: RoundOptions = {}): Tensor {
  checkTensorArgument(x, "round");
  const decimals = options?.decimals ?? 0;
  if (!Number.isInteger(decimals)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "round",
      `decimals must be a whole number, but got ${describeValue(decimals)}. Hint: e.g. round({ decimals: 2 }).`,
    );
  }
  if (decimals !== 0 && !isFloating(x.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      "round",
      `decimals is only supported for floating tensors, but got ${x.dtype}. Hint: convert with .float() first.`,
    );
  }
  return dispatch(unarySpecs.round, [x], { decimals });
}

/** Checks clamp's bounds and returns them as attributes (shared with `clamp_`). */
export function clampAttrs(min: unknown, max: unknown): ClampAttrs {
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
  return { min: low as number | null, max: high as number | null };
}

/** Clamps every element into `[min, max]`; a `null`/`undefined` bound leaves that side open. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  checkTensorArgument(x, "clamp");
  return dispatch(unarySpecs.clamp, [x], clampAttrs(min, max));
}

/** The kernel code that copies `from` values into a `to` tensor (bool keeps exactly 0 or 1). */
export function copyCode(from: DType, to: DType): number {
  return to === "bool" && from !== "bool" ? Unary.TO_BOOL : Unary.COPY;
}

/**
 * A contiguous copy of `x` converted to `dtype`, for use inside an op's own `forward` (it is
 * part of that op's kernel launch, so it is neither recorded nor traced on its own).
 */
export function copyContiguous(x: Tensor, dtype: DType): Tensor {
  return unarySpecs.to.forward([x], { dtype });
}
