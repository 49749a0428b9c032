import { dispatch } from "../dispatch";
import { type DType, isFloating } from "../dtype";
import { checkTensorArgument, describeValue, TensorError } from "../errors";
import type { RowKernel, RowOperand } from "../kernels/elementwise";
import { fma32 } from "../kernels/fma";
import { fma64 } from "../kernels/fma64";
import type { BackwardRule, OpSpec } from "../op-spec";
import { type Operand, Tensor } from "../tensor";
import { computeType, tensorOperands } from "./binary";
import { elementwiseOp } from "./elementwise";
import { where } from "./ternary";

// Two-operand pointwise math (torch's atan2, hypot, logaddexp, copysign, remainder, fmod,
// div with a rounding mode, floor_divide) and lerp. Float results follow torch's CPU kernels
// step by step (each float32 step rounded where torch rounds it); integer division by zero
// throws, as torch's ZeroDivisionError.

// Kernel codes (an enum, so that bundlers inline the numbers; see binary.ts).
enum MathBinary {
  ATAN2 = 0,
  HYPOT = 1,
  LOGADDEXP = 2,
  COPYSIGN = 3,
  REMAINDER = 4,
  FMOD = 5,
  DIV_TRUNC = 6,
  DIV_TRUNC_F32 = 7,
  DIV_FLOOR = 8,
  DIV_FLOOR_F32 = 9,
  LERP = 10,
  LERP_F32 = 11,
  // integer kernels: exact, and a zero divisor throws
  REMAINDER_INT = 12,
  FMOD_INT = 13,
  DIV_TRUNC_INT = 14,
  DIV_FLOOR_INT = 15,
  FLOOR_DIVIDE_INT = 16,
}

const identity = (v: number): number => v;

/** torch's `div_floor_floating`: floor of the quotient computed from fmod, rounded as torch rounds. */
function divFloor(a: number, b: number, fit: (v: number) => number): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = fit(fit(a - mod) / b);
  if (mod !== 0 && b < 0 !== mod < 0) div = fit(div - 1);
  if (div === 0) return copySign(0, a / b);
  const floor = Math.floor(div);
  return fit(div - floor) > 0.5 ? floor + 1 : floor;
}

/** torch's `remainder`: fmod, moved into the divisor's sign. */
function remainderOf(a: number, b: number): number {
  const mod = a % b;
  return mod !== 0 && b < 0 !== mod < 0 ? mod + b : mod;
}

/** torch's `logaddexp`: `max + log1p(e^−|a−b|)`, and `a` when both are the same infinity. */
function logAddExp(a: number, b: number): number {
  if (a === b && !Number.isFinite(a)) return a;
  return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** |a| with the sign of b (−0 counts as negative; NaN's sign bit is not visible in JS: positive). */
function copySign(a: number, b: number): number {
  return b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a);
}

/**
 * torch 1.13's `lerp`: `a + w·(b − a)` for w < 0.5 (negative weights included), else
 * `b − (b − a)·(1 − w)`, each multiply-add fused into one rounding as torch's compiled CPU
 * kernel does (measured against torch on random inputs: every element equal).
 */
function lerpOf(a: number, b: number, w: number, single: boolean): number {
  const diff = single ? Math.fround(b - a) : b - a;
  const fma = single ? fma32 : fma64;
  return w < 0.5 ? fma(w, diff, a) : fma(-diff, single ? Math.fround(1 - w) : 1 - w, b);
}

const OP_OF_INT_CODE = ["remainder", "fmod", "div", "div", "floorDivide"];

function divisionByZero(code: number, a: number): TensorError {
  const op = OP_OF_INT_CODE[code - MathBinary.REMAINDER_INT] as string;
  return new TensorError(
    "DIVISION_BY_ZERO",
    op,
    `integer division by zero (${a} by 0 in int32), PyTorch's ZeroDivisionError. Hint: remove the zeros from the divisor (e.g. with where), or convert to float with .float() to get IEEE inf/NaN.`,
  );
}

function integerValue(code: number, a: number, b: number): number {
  if (b === 0) throw divisionByZero(code, a);
  switch (code) {
    case MathBinary.REMAINDER_INT:
      return remainderOf(a, b);
    case MathBinary.FMOD_INT:
      return a % b;
    case MathBinary.DIV_TRUNC_INT:
      return Math.trunc(a / b); // exact: a quotient of int32s is never within rounding of an integer
    default: // DIV_FLOOR_INT, FLOOR_DIVIDE_INT
      return Math.floor(a / b);
  }
}

function mathBinaryValue(code: number, a: number, b: number, p: number): number {
  switch (code) {
    case MathBinary.ATAN2:
      return Math.atan2(a, b);
    case MathBinary.HYPOT:
      return Math.hypot(a, b);
    case MathBinary.LOGADDEXP:
      return logAddExp(a, b);
    case MathBinary.COPYSIGN:
      return copySign(a, b);
    case MathBinary.REMAINDER:
      return remainderOf(a, b);
    case MathBinary.FMOD:
      return a % b;
    case MathBinary.DIV_TRUNC:
      return Math.trunc(a / b);
    case MathBinary.DIV_TRUNC_F32:
      return Math.trunc(Math.fround(a / b));
    case MathBinary.DIV_FLOOR:
      return divFloor(a, b, identity);
    case MathBinary.DIV_FLOOR_F32:
      return divFloor(a, b, Math.fround);
    case MathBinary.LERP:
      return lerpOf(a, b, p, false);
    case MathBinary.LERP_F32:
      return lerpOf(a, b, p, true);
    default:
      return integerValue(code, a, b);
  }
}

const mathBinaryKernel: RowKernel = (code, operands, n, p0) => {
  const out = operands[0] as RowOperand;
  const a = operands[1] as RowOperand;
  const b = operands[2] as RowOperand;
  const to = out.data;
  for (
    let i = 0, o = out.offset, ia = a.offset, ib = b.offset;
    i < n;
    i++, o += out.stride, ia += a.stride, ib += b.stride
  )
    to[o] = mathBinaryValue(code, a.data[ia] as number, b.data[ib] as number, p0);
};

/** `lerp` with a tensor weight: the three-operand form of the same kernel. */
const lerpKernel: RowKernel = (code, operands, n) => {
  const out = operands[0] as RowOperand;
  const a = operands[1] as RowOperand;
  const b = operands[2] as RowOperand;
  const w = operands[3] as RowOperand;
  const single = code === MathBinary.LERP_F32;
  for (
    let i = 0, o = out.offset, ia = a.offset, ib = b.offset, iw = w.offset;
    i < n;
    i++, o += out.stride, ia += a.stride, ib += b.stride, iw += w.stride
  )
    out.data[o] = lerpOf(a.data[ia] as number, b.data[ib] as number, w.data[iw] as number, single);
};

/** torch's result type made floating: integer and bool operands compute in float32. */
const floatType = (inputs: readonly Tensor[]): DType => {
  const dtype = computeType(inputs);
  return isFloating(dtype) ? dtype : "float32";
};

/** Picks the kernel code by the compute dtype: float32 step rounding, or an exact int kernel. */
function byDType(float64: number, float32: number, int: number) {
  return (_: readonly Tensor[], __: unknown, dtype: DType): number =>
    dtype === "int32" ? int : dtype === "float32" ? float32 : float64;
}

function binaryMathOp<const Name extends string>(
  name: Name,
  code: (inputs: readonly Tensor[], attrs: null, dtype: DType) => number,
  output: (inputs: readonly Tensor[]) => DType,
  backward: BackwardRule<null> | "not-differentiable",
): OpSpec<Name, null> {
  return elementwiseOp<Name, null>({ name, kernel: mathBinaryKernel, code, output, backward });
}

const always = (code: number) => () => code;
const truncCode = byDType(MathBinary.DIV_TRUNC, MathBinary.DIV_TRUNC_F32, MathBinary.DIV_TRUNC_INT);
const floorCode = byDType(MathBinary.DIV_FLOOR, MathBinary.DIV_FLOOR_F32, MathBinary.DIV_FLOOR_INT);

/** `rounding_mode` of `div`. */
export type RoundingMode = "trunc" | "floor";

/** Attributes of `div` with a rounding mode. */
export interface DivModeAttrs {
  roundingMode: RoundingMode;
}

/** Attributes of `lerp` with a number weight. */
export interface LerpAttrs {
  weight: number;
}

/** `−grad · q`, the divisor's gradient of remainder (q = floor(a/b)) and fmod (q = trunc(a/b)). */
function modBackward(mode: RoundingMode): BackwardRule<null> {
  return (node, grad) => [
    grad,
    node.needsGrad(1)
      ? grad.neg().mul(divide(node.saved(0), node.saved(1), { roundingMode: mode }))
      : null,
  ];
}

/** The specs of the two-operand math ops (backward rules: torch's derivatives.yaml). */
export const mathBinarySpecs = {
  atan2: binaryMathOp("atan2", always(MathBinary.ATAN2), floatType, (node, grad) => {
    const a = node.saved(0);
    const b = node.saved(1);
    const scale = grad.div(a.mul(a).add(b.mul(b)));
    return [node.needsGrad(0) ? scale.mul(b) : null, node.needsGrad(1) ? scale.mul(a).neg() : null];
  }),
  hypot: binaryMathOp("hypot", always(MathBinary.HYPOT), computeType, (node, grad) => [
    node.needsGrad(0) ? grad.mul(node.saved(0)).div(node.result) : null,
    node.needsGrad(1) ? grad.mul(node.saved(1)).div(node.result) : null,
  ]),
  logaddexp: binaryMathOp("logaddexp", always(MathBinary.LOGADDEXP), computeType, (node, grad) => {
    const a = node.saved(0);
    const b = node.saved(1);
    return [
      node.needsGrad(0) ? grad.div(b.sub(a).exp().add(1)) : null,
      node.needsGrad(1) ? grad.div(a.sub(b).exp().add(1)) : null,
    ];
  }),
  /** |a| with b's sign; a's gradient is `grad · result / a` (0 where a is 0), b's is zero. */
  copysign: binaryMathOp("copysign", always(MathBinary.COPYSIGN), floatType, (node, grad) => {
    const a = node.saved(0);
    return [
      node.needsGrad(0) ? grad.mul(where(a.eq(0), 0, node.result.div(a))) : null,
      node.needsGrad(1) ? grad.mul(0) : null,
    ];
  }),
  remainder: binaryMathOp(
    "remainder",
    byDType(MathBinary.REMAINDER, MathBinary.REMAINDER, MathBinary.REMAINDER_INT),
    computeType,
    modBackward("floor"),
  ),
  fmod: binaryMathOp(
    "fmod",
    byDType(MathBinary.FMOD, MathBinary.FMOD, MathBinary.FMOD_INT),
    computeType,
    modBackward("trunc"),
  ),
  /** `div(other, { roundingMode })`: zero gradient, as torch's DivBackward2 gives. */
  divMode: elementwiseOp<"divMode", DivModeAttrs>({
    name: "divMode",
    nodeName: "DivBackward2",
    kernel: mathBinaryKernel,
    code: (inputs, { roundingMode }, dtype) =>
      (roundingMode === "trunc" ? truncCode : floorCode)(inputs, null, dtype),
    output: computeType,
    backward: "zero",
  }),
  /** torch's `floor_divide` (floor rounding since torch 1.13); it has no derivative. */
  floorDivide: binaryMathOp(
    "floorDivide",
    byDType(MathBinary.DIV_FLOOR, MathBinary.DIV_FLOOR_F32, MathBinary.FLOOR_DIVIDE_INT),
    computeType,
    "not-differentiable",
  ),
  /** `lerp(end, weight)` with a number weight. */
  lerp: elementwiseOp<"lerp", LerpAttrs>({
    name: "lerp",
    kernel: mathBinaryKernel,
    code: (_, __, dtype) => (dtype === "float32" ? MathBinary.LERP_F32 : MathBinary.LERP),
    output: (inputs) => (inputs[0] as Tensor).dtype,
    params: [({ weight }, [x]) => (x?.dtype === "float32" ? Math.fround(weight) : weight)],
    backward: (node, grad) => {
      const { weight } = node.attrs;
      return [
        node.needsGrad(0) ? grad.mul(1 - weight) : null,
        node.needsGrad(1) ? grad.mul(weight) : null,
      ];
    },
  }),
  /** `lerp(end, weight)` with a tensor weight (input 2). */
  lerpTensor: elementwiseOp<"lerpTensor", null>({
    name: "lerpTensor",
    nodeName: "LerpBackward1",
    kernel: lerpKernel,
    code: (_, __, dtype) => (dtype === "float32" ? MathBinary.LERP_F32 : MathBinary.LERP),
    output: (inputs) => (inputs[0] as Tensor).dtype,
    backward: (node, grad) => {
      const weight = node.saved(2);
      return [
        node.needsGrad(0) ? grad.mul(weight.neg().add(1)) : null,
        node.needsGrad(1) ? grad.mul(weight) : null,
        node.needsGrad(2) ? grad.mul(node.saved(1).sub(node.saved(0))) : null,
      ];
    },
  }),
} as const;

type MathBinaryName = Exclude<keyof typeof mathBinarySpecs, "divMode" | "lerp" | "lerpTensor">;

/** Ops that torch implements for floating tensors only (hypot, logaddexp). */
const FLOAT_ONLY = new Set<string>(["hypot", "logaddexp"]);
/** Ops without a bool kernel in torch. */
const NO_BOOL = new Set<string>(["remainder", "fmod", "floorDivide", "div"]);

function checkDTypes(op: string, inputs: readonly Tensor[]): void {
  const dtype = computeType(inputs);
  if (FLOAT_ONLY.has(op) && !isFloating(dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `${op} is only defined for floating tensors, but the operands compute in ${dtype} (as in PyTorch). Hint: convert with .float() first.`,
    );
  }
  if (NO_BOOL.has(op) && dtype === "bool") {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `${op} is not defined for two bool tensors (as in PyTorch). Hint: convert with .int() or .float() first.`,
    );
  }
}

/**
 * The two-operand math op of `spec` applied to `a` and `b` (a tensor and a tensor or number,
 * broadcast): what the function forms and the `Tensor` methods run.
 */
export function mathBinary(a: Operand, b: Operand, spec: OpSpec<string, null>): Tensor {
  const inputs = tensorOperands(spec.name, a, b);
  checkDTypes(spec.name, inputs);
  return dispatch(spec, inputs, null);
}

function mathBinaryFunction(name: MathBinaryName): (a: Operand, b: Operand) => Tensor {
  const spec = mathBinarySpecs[name] as OpSpec<string, null>;
  return (a, b) => mathBinary(a, b, spec);
}

/** Elementwise `atan2(a, b)`, the angle of the point (b, a) (`torch.atan2`); integers give float32. */
export const atan2 = /* @__PURE__ */ mathBinaryFunction("atan2");
/** Elementwise `√(a² + b²)` without overflow (`torch.hypot`); floating tensors only. */
export const hypot = /* @__PURE__ */ mathBinaryFunction("hypot");
/** Elementwise `log(e^a + e^b)` without overflow (`torch.logaddexp`); floating tensors only. */
export const logaddexp = /* @__PURE__ */ mathBinaryFunction("logaddexp");
/** Elementwise |a| with the sign of b, −0 included (`torch.copysign`); integers give float32. */
export const copysign = /* @__PURE__ */ mathBinaryFunction("copysign");
/**
 * Elementwise remainder with the sign of the divisor, Python's `%` (`torch.remainder`):
 * `a − b·floor(a/b)`. int32 stays int32 and is exact; an integer zero divisor throws
 * `DIVISION_BY_ZERO`.
 */
export const remainder = /* @__PURE__ */ mathBinaryFunction("remainder");
/**
 * Elementwise remainder with the sign of the dividend, C's `fmod` (`torch.fmod`):
 * `a − b·trunc(a/b)`. int32 stays int32; an integer zero divisor throws `DIVISION_BY_ZERO`.
 */
export const fmod = /* @__PURE__ */ mathBinaryFunction("fmod");
/**
 * Elementwise `floor(a / b)` (`torch.floor_divide`, which rounds down since torch 1.13); int32
 * stays int32; no gradient. Same as `div(a, b, { roundingMode: 'floor' })`.
 */
export const floorDivide = /* @__PURE__ */ mathBinaryFunction("floorDivide");

/** Options of `div`. */
export interface DivOptions {
  /**
   * `'trunc'` rounds the quotient toward zero, `'floor'` down (both keep int32 as int32 and have
   * zero gradient); omitted or `null`: true division.
   */
  roundingMode?: RoundingMode | null | undefined;
}

/**
 * `a / b` rounded as `roundingMode` says (`torch.div(a, b, rounding_mode=…)`): what `div` runs
 * when given a mode.
 */
export function divide(a: Operand, b: Operand, options: DivOptions): Tensor {
  const mode = options.roundingMode;
  if (mode !== "trunc" && mode !== "floor") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "div",
      `roundingMode must be 'trunc', 'floor' or null, but got ${describeValue(mode)}. Hint: div(other, { roundingMode: 'floor' }) rounds down, 'trunc' toward zero.`,
    );
  }
  const inputs = tensorOperands("div", a, b);
  checkDTypes("div", inputs);
  return dispatch(mathBinarySpecs.divMode, inputs, { roundingMode: mode });
}

function lerpOperand(value: unknown, argument: string, like: Tensor): Tensor {
  const operand = value instanceof Tensor ? value : undefined;
  if (operand === undefined) {
    const kinds = argument === "weight" ? "a Tensor or a number" : "a Tensor";
    throw new TensorError(
      "INVALID_ARGUMENT",
      "lerp",
      `argument '${argument}' must be ${kinds}, but got ${describeValue(value)}. Hint: create one with tensor(...).`,
    );
  }
  if (operand.dtype !== like.dtype) {
    throw new TensorError(
      "INVALID_DTYPE",
      "lerp",
      `expected dtype ${like.dtype} for '${argument}' but got ${operand.dtype} (as in PyTorch). Hint: convert it with .to('${like.dtype}').`,
    );
  }
  return operand;
}

/**
 * Linear interpolation `x + weight · (end − x)` (`torch.lerp`), computed as torch does (from
 * `end` when weight ≥ 0.5); `weight` is a number or a tensor, broadcast. Floating tensors of
 * one dtype only.
 */
export function lerp(x: Tensor, end: Tensor, weight: Operand): Tensor {
  checkTensorArgument(x, "lerp");
  if (!isFloating(x.dtype)) {
    throw new TensorError(
      "INVALID_DTYPE",
      "lerp",
      `lerp is only defined for floating tensors, but got ${x.dtype} (as in PyTorch). Hint: convert with .float() first.`,
    );
  }
  const target = lerpOperand(end, "end", x);
  if (typeof weight === "number") {
    return dispatch(mathBinarySpecs.lerp, [x, target], { weight });
  }
  const w = lerpOperand(weight, "weight", x);
  return dispatch(mathBinarySpecs.lerpTensor, [x, target, w], null);
}
