import { dispatch } from "../dispatch";
import { type DType, isFloating, resultType, resultTypeWithNumber } from "../dtype";
import { describeValue, TensorError } from "../errors";
import { type RowKernel, type RowOperand, runElementwise } from "../kernels/elementwise";
import { fma32 } from "../kernels/fma";
import { RELU_SIMD_MIN, reluFloat32Simd } from "../kernels/wasm/conv-simd";
import { binaryFloat32Simd, SIMD_ELEMENTWISE_MIN } from "../kernels/wasm/elementwise";
import type { BackwardContext, Gradient, OpSpec } from "../op-spec";
import { broadcastShapes, sameShape } from "../shape";
import { type Operand, Tensor } from "../tensor";
import { elementwiseOp, outputLike, scalarTensor } from "./elementwise";
import { type DivOptions, divide } from "./math-binary";
import { addScaledArguments, where } from "./ternary";

// Kernel codes: one per element function below (the first four have SIMD kernels). An enum,
// not consts: bundlers inline enum members as numbers (this module is in an import cycle with
// tensor.ts, and they keep cyclic modules' consts as variables).
enum Binary {
  ADD = 0,
  SUB = 1,
  MUL = 2,
  DIV = 3,
  POW = 4,
  MAXIMUM = 5,
  MINIMUM = 6,
  EQ = 7,
  NE = 8,
  LT = 9,
  LE = 10,
  GT = 11,
  GE = 12,
  IMUL = 13,
  OR = 14,
  AND = 15,
  RELU_BACKWARD = 16,
  ADD_SCALED = 17,
  ADD_SCALED_F32 = 18,
  COPY_RIGHT = 19,
  COPY_RIGHT_TO_BOOL = 20,
  IPOW = 21,
}

const simdNames = ["add", "sub", "mul", "div"] as const;

/** `x ** y` as PyTorch (C's pow) computes it: `pow(x, 2)` is `x * x`, and `1 ** y` is 1 even for NaN. */
function powOf(x: number, y: number): number {
  if (y === 2) return x * x;
  return x === 1 ? 1 : x ** y;
}

/**
 * `x ** y` for int32 (and bool) as torch computes it: exact, wrapping like C's int32 by squaring
 * with `Math.imul`; a negative exponent gives 1 for base 1, ±1 for base -1, and 0 otherwise.
 */
function integerPow(x: number, y: number): number {
  if (y < 0) return x === 1 ? 1 : x === -1 ? (y % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  for (let base = x, e = y; e > 0; e >>>= 1, base = Math.imul(base, base))
    if (e & 1) result = Math.imul(result, base);
  return result;
}

/** One element of a binary kernel; `p` is the op's scalar parameter (alpha). */
function binaryValue(code: number, x: number, y: number, p: number): number {
  switch (code) {
    case Binary.ADD:
      return x + y;
    case Binary.SUB:
      return x - y;
    case Binary.MUL:
      return x * y;
    case Binary.DIV:
      return x / y;
    case Binary.POW:
      return powOf(x, y);
    case Binary.MAXIMUM:
      return Math.max(x, y);
    case Binary.MINIMUM:
      return Math.min(x, y);
    case Binary.EQ:
      return x === y ? 1 : 0;
    case Binary.NE:
      return x !== y ? 1 : 0;
    case Binary.LT:
      return x < y ? 1 : 0;
    case Binary.LE:
      return x <= y ? 1 : 0;
    case Binary.GT:
      return x > y ? 1 : 0;
    case Binary.GE:
      return x >= y ? 1 : 0;
    case Binary.IMUL:
      return Math.imul(x, y);
    case Binary.OR:
      return x || y ? 1 : 0;
    case Binary.AND:
      return x && y ? 1 : 0;
    case Binary.RELU_BACKWARD: // the gradient `x` where relu's result `y` is positive
      return y > 0 ? x : 0;
    case Binary.ADD_SCALED:
      return p * y + x;
    case Binary.COPY_RIGHT: // copy_: the source's value, cast by the store
      return y;
    case Binary.COPY_RIGHT_TO_BOOL:
      return y ? 1 : 0;
    case Binary.IPOW:
      return integerPow(x, y);
    default: // Binary.ADD_SCALED_F32: PyTorch's CPU kernel computes `x + alpha·y` as one FMA
      return fma32(y, p, x);
  }
}

/**
 * The binary row kernel: `out[i] = a[i] ⊕ b[i]`. Large float32 add/sub/mul/div run on the
 * WebAssembly SIMD kernels (bit-identical results).
 */
const binaryKernel: RowKernel = (code, operands, n, p0) => {
  const out = operands[0] as RowOperand;
  const a = operands[1] as RowOperand;
  const b = operands[2] as RowOperand;
  const to = out.data;
  const x = a.data;
  const y = b.data;
  if (
    code <= Binary.DIV &&
    out.stride === 1 &&
    a.stride === 1 &&
    b.stride <= 1 &&
    to instanceof Float32Array &&
    x instanceof Float32Array &&
    y instanceof Float32Array
  ) {
    const o = out.offset;
    // (small rows never reach the SIMD call: it would only say no, at the cost of a call)
    const simd = n >= SIMD_ELEMENTWISE_MIN && simdNames[code] !== undefined;
    if (
      !simd ||
      !binaryFloat32Simd(simdNames[code] ?? "add", to, o, x, a.offset, 1, y, b.offset, b.stride, n)
    )
      arithmeticF32(code, to, o, x, a.offset - o, y, b.offset, b.stride, o + n);
    return;
  }
  if (code === Binary.RELU_BACKWARD) {
    // relu's gradient, as hot as relu: SIMD when long, no per-element dispatch
    if (
      n >= RELU_SIMD_MIN &&
      out.stride === 1 &&
      a.stride === 1 &&
      b.stride === 1 &&
      to instanceof Float32Array &&
      x instanceof Float32Array &&
      y instanceof Float32Array &&
      reluFloat32Simd(to, out.offset, y, b.offset, n, { data: x, offset: a.offset })
    )
      return;
    for (
      let i = 0, o = out.offset, ia = a.offset, ib = b.offset;
      i < n;
      i++, o += out.stride, ia += a.stride, ib += b.stride
    )
      to[o] = (y[ib] as number) > 0 ? (x[ia] as number) : 0;
    return;
  }
  if (
    code === Binary.ADD_SCALED_F32 &&
    out.stride === 1 &&
    a.stride === 1 &&
    b.stride === 1 &&
    to instanceof Float32Array &&
    x instanceof Float32Array &&
    y instanceof Float32Array
  ) {
    // every optimizer step's `param.add_(update, { alpha })`: no per-element dispatch
    for (let i = 0, o = out.offset, ia = a.offset, ib = b.offset; i < n; i++)
      to[o + i] = fma32(y[ib + i] as number, p0, x[ia + i] as number);
    return;
  }
  for (
    let i = 0, o = out.offset, ia = a.offset, ib = b.offset;
    i < n;
    i++, o += out.stride, ia += a.stride, ib += b.stride
  )
    to[o] = binaryValue(code, x[ia] as number, y[ib] as number, p0);
};

/**
 * float32 `+ − × ÷` with a contiguous left operand and a contiguous or single-value right one,
 * the hottest loops of small-tensor training, in a function of its own (its element accesses
 * stay monomorphic) that switches on the code once, not per element (a third of the time here).
 */
function arithmeticF32(
  code: number,
  to: Float32Array,
  start: number,
  x: Float32Array,
  da: number,
  y: Float32Array,
  ib: number,
  sb: number,
  end: number,
): void {
  const db = ib - start;
  const s = y[ib] as number;
  switch (code + 4 * sb) {
    case Binary.ADD:
      for (let i = start; i < end; i++) to[i] = (x[i + da] as number) + s;
      return;
    case Binary.SUB:
      for (let i = start; i < end; i++) to[i] = (x[i + da] as number) - s;
      return;
    case Binary.MUL:
      for (let i = start; i < end; i++) to[i] = (x[i + da] as number) * s;
      return;
    case Binary.DIV:
      for (let i = start; i < end; i++) to[i] = (x[i + da] as number) / s;
      return;
    case 4 + Binary.ADD:
      for (let i = start; i < end; i++) to[i] = (x[i + da] as number) + (y[i + db] as number);
      return;
    case 4 + Binary.SUB:
      for (let i = start; i < end; i++) to[i] = (x[i + da] as number) - (y[i + db] as number);
      return;
    case 4 + Binary.MUL:
      for (let i = start; i < end; i++) to[i] = (x[i + da] as number) * (y[i + db] as number);
      return;
    default:
      for (let i = start; i < end; i++) to[i] = (x[i + da] as number) / (y[i + db] as number);
  }
}

/** PyTorch's result type of two tensor operands (0-d tensors rank below dimensioned ones). */
export function computeType(inputs: readonly Tensor[]): DType {
  const a = inputs[0] as Tensor;
  const b = inputs[inputs.length - 1] as Tensor;
  return a.dtype === b.dtype ? a.dtype : resultType(a.dtype, a.ndim === 0, b.dtype, b.ndim === 0);
}

/** Integer `mul` and `pow` are exact (`Math.imul`); bool `add`/`mul` are `or`/`and`, as in PyTorch. */
function codeFor(code: number, dtype: DType): number {
  if (dtype === "int32" && code === Binary.MUL) return Binary.IMUL;
  if (dtype === "int32" && code === Binary.POW) return Binary.IPOW;
  if (dtype === "bool" && code === Binary.ADD) return Binary.OR;
  if (dtype === "bool" && code === Binary.MUL) return Binary.AND;
  return code;
}

/** True when `a` and `b` are float32, contiguous, and `b` is `a`'s shape or a single value. */
function isFlatF32(a: Tensor, b: Tensor, shape: readonly number[]): boolean {
  return (
    a.dtype === "float32" &&
    b.dtype === "float32" &&
    a.contiguousLayout &&
    shape === a.shape &&
    (b.ndim === 0 || (b.contiguousLayout && sameShape(b.shape, shape)))
  );
}

function arithmetic<const Name extends string>(
  name: Name,
  code: number,
  backward: Gradient<null>,
): OpSpec<Name, null> {
  const output = (inputs: readonly Tensor[]): DType => {
    const dtype = computeType(inputs);
    return code === Binary.DIV && (dtype === "int32" || dtype === "bool") ? "float32" : dtype;
  };
  const spec = elementwiseOp<Name, null>({
    name,
    kernel: binaryKernel,
    // the output's dtype picks the same kernel as the compute dtype (only int32 and bool differ)
    code: (_, __, dtype) => codeFor(code, dtype),
    output,
    backward,
  });
  // Every arithmetic op shares this forward, so its calls stay monomorphic and V8 inlines them.
  const forward = (inputs: readonly Tensor[]): Tensor => {
    const a = inputs[0] as Tensor;
    const b = inputs[1] as Tensor;
    const shape = broadcastShapes(a.shape, b.shape, name);
    const dtype = output(inputs);
    const out = outputLike(a, shape, dtype);
    const n = out.storage.data.length;
    // small flat float32 + − × ÷ go straight to their loop (larger ones take the SIMD kernels)
    if (code <= Binary.DIV && n < SIMD_ELEMENTWISE_MIN && isFlatF32(a, b, shape)) {
      const y = b.storage.data as Float32Array;
      const to = out.storage.data as Float32Array;
      arithmeticF32(
        code,
        to,
        0,
        a.storage.data as Float32Array,
        a.offset,
        y,
        b.offset,
        b.ndim === 0 ? 0 : 1,
        n,
      );
    } else runElementwise(binaryKernel, codeFor(code, dtype), out, inputs, 0, 0);
    return out;
  };
  return { ...spec, forward };
}

function comparison<const Name extends string>(name: Name, code: number): OpSpec<Name, null> {
  return elementwiseOp<Name, null>({
    name,
    kernel: binaryKernel,
    code: () => code,
    output: () => "bool",
    backward: "not-differentiable",
  });
}

/** Gradient for `maximum`/`minimum`: ties split the gradient evenly, as in PyTorch. */
function extremum(node: BackwardContext<null>, grad: Tensor, wins: "gt" | "lt"): (Tensor | null)[] {
  const a = node.saved(0);
  const b = node.saved(1);
  const tie = a.eq(b);
  const shared = where(tie, grad.div(2), grad);
  return [
    node.needsGrad(0) ? where(a[wins](b), grad, where(tie, shared, 0)) : null,
    node.needsGrad(1) ? where(b[wins](a), grad, where(tie, shared, 0)) : null,
  ];
}

/** Gradient of `a ** b` (PyTorch's pow_backward_self / pow_backward_exponent). */
function powBackward(node: BackwardContext<null>, grad: Tensor): (Tensor | null)[] {
  const base = node.saved(0);
  const exponent = node.saved(1);
  if (exponent.ndim === 0 && !exponent.requiresGrad) {
    // a constant exponent (e.g. `x.pow(2)`): grad · e · x^(e-1), without the masking ops
    const e = exponent.item();
    return [e === 0 ? grad.mul(0) : grad.mul(e === 2 ? base.mul(2) : base.pow(e - 1).mul(e)), null];
  }
  return [
    node.needsGrad(0)
      ? where(exponent.eq(0), 0, grad.mul(exponent.mul(base.pow(exponent.sub(1)))))
      : null,
    node.needsGrad(1)
      ? where(base.eq(0).mul(exponent.ge(0)), 0, grad.mul(node.result.mul(base.log())))
      : null,
  ];
}

/** Scale of `addScaled`: `x + alpha · other`. */
export interface AddScaledAttrs {
  alpha: number;
}

/** The specs of the binary elementwise ops. */
export const binarySpecs = {
  add: arithmetic("add", Binary.ADD, (_, grad) => [grad, grad]),
  sub: arithmetic("sub", Binary.SUB, (node, grad) => [grad, node.needsGrad(1) ? grad.neg() : null]),
  mul: arithmetic("mul", Binary.MUL, (node, grad) => [
    node.needsGrad(0) ? grad.mul(node.saved(1)) : null,
    node.needsGrad(1) ? grad.mul(node.saved(0)) : null,
  ]),
  div: arithmetic("div", Binary.DIV, (node, grad) => {
    const b = node.saved(1);
    return [
      node.needsGrad(0) ? grad.div(b) : null,
      node.needsGrad(1) ? grad.neg().mul(node.saved(0)).div(b.mul(b)) : null,
    ];
  }),
  pow: arithmetic("pow", Binary.POW, powBackward),
  maximum: arithmetic("maximum", Binary.MAXIMUM, (node, grad) => extremum(node, grad, "gt")),
  minimum: arithmetic("minimum", Binary.MINIMUM, (node, grad) => extremum(node, grad, "lt")),
  eq: comparison("eq", Binary.EQ),
  ne: comparison("ne", Binary.NE),
  lt: comparison("lt", Binary.LT),
  le: comparison("le", Binary.LE),
  gt: comparison("gt", Binary.GT),
  ge: comparison("ge", Binary.GE),
  reluBackward: arithmetic("reluBackward", Binary.RELU_BACKWARD, (node, grad) => [
    node.needsGrad(0) ? reluBackward(grad, node.saved(1)) : null,
    null,
  ]),
  /** `x + alpha · other`, one rounding for float32 (PyTorch's `add(other, alpha=…)`). */
  addScaled: elementwiseOp<"addScaled", AddScaledAttrs>({
    name: "addScaled",
    kernel: binaryKernel,
    code: (inputs) =>
      computeType(inputs) === "float32" ? Binary.ADD_SCALED_F32 : Binary.ADD_SCALED,
    output: computeType,
    params: [
      ({ alpha }, inputs) => (computeType(inputs) === "float32" ? Math.fround(alpha) : alpha),
    ],
    backward: (node, grad) => [grad, node.needsGrad(1) ? grad.mul(node.attrs.alpha) : null],
  }),
  /** `copy_`'s op: the source (input 1) cast to the target's dtype; the old target (input 0) gets zero gradient. */
  copy: elementwiseOp<"copy", null>({
    name: "copy",
    nodeName: "CopyBackwards",
    kernel: binaryKernel,
    code: (inputs) =>
      inputs[0]?.dtype === "bool" && inputs[1]?.dtype !== "bool"
        ? Binary.COPY_RIGHT_TO_BOOL
        : Binary.COPY_RIGHT,
    output: (inputs) => (inputs[0] as Tensor).dtype,
    backward: (node, grad) => [
      node.needsGrad(0) ? grad.mul(0) : null,
      node.needsGrad(1) ? grad.to(node.input(1).dtype) : null,
    ],
  }),
} as const;

function notATensor(op: string, argument: string, value: unknown): TensorError {
  return new TensorError(
    "INVALID_ARGUMENT",
    op,
    `argument '${argument}' must be a Tensor or a number, but got ${describeValue(value)}. Hint: wrap arrays with tensor(...).`,
  );
}

/** Checks two operands and turns a JS number into a 0-d tensor of the other's compute dtype. */
export function tensorOperands(op: string, a: unknown, b: unknown): [Tensor, Tensor] {
  // two tensors, the hot case, stays small enough for V8 to inline into every op
  return a instanceof Tensor && b instanceof Tensor ? [a, b] : numberOperands(op, a, b);
}

function numberOperands(op: string, a: unknown, b: unknown): [Tensor, Tensor] {
  if (a instanceof Tensor) {
    if (typeof b === "number") return [a, scalarTensor(b, resultTypeWithNumber(a.dtype, b))];
    throw notATensor(op, "b", b);
  }
  if (typeof a !== "number") throw notATensor(op, "a", a);
  if (b instanceof Tensor) return [scalarTensor(a, resultTypeWithNumber(b.dtype, a)), b];
  if (typeof b !== "number") throw notATensor(op, "b", b);
  throw new TensorError(
    "INVALID_ARGUMENT",
    op,
    `at least one argument must be a Tensor, but got two numbers (a=${a}, b=${describeValue(b)}). Hint: use JS arithmetic for numbers, or wrap one with tensor(...).`,
  );
}

/** Rejects subtraction with a bool operand (`mask.sub(1)`, `x.sub(mask)`), as PyTorch does. */
export function checkBoolSub(op: string, inputs: readonly Tensor[]): void {
  const [a, b] = inputs as [Tensor, Tensor];
  if (a.dtype === "bool" || b.dtype === "bool") {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `subtraction with a bool tensor is not supported (operand dtypes ${a.dtype} and ${b.dtype}). Hint: to invert a mask use logicalNot(); otherwise convert with .int() or .float() first.`,
    );
  }
}

/** Rejects an int32 or bool tensor to a negative integer power, as PyTorch does. */
function checkIntegerPower(base: Tensor, exponent: Operand): void {
  if (
    typeof exponent === "number" &&
    Number.isInteger(exponent) &&
    exponent < 0 &&
    !isFloating(base.dtype)
  ) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "pow",
      `Integers to negative integer powers are not allowed (${base.dtype === "bool" ? "a" : "an"} ${base.dtype} tensor to the power ${exponent}). Hint: convert the base with .float() first, e.g. x.float().pow(${exponent}).`,
    );
  }
}

/**
 * The binary op of `spec` (one of `binarySpecs`' ops with a function form) applied to `a` and
 * `b`: what the function forms and the `Tensor` methods run. The methods pass their spec, so a
 * bundle holds one call shape per method and no per-op function.
 */
export function binary(a: Operand, b: Operand, spec: OpSpec<string, null>): Tensor {
  const inputs = tensorOperands(spec.name, a, b);
  if (spec === binarySpecs.sub) checkBoolSub("sub", inputs);
  else if (spec === binarySpecs.pow) checkIntegerPower(inputs[0], b);
  return dispatch(spec, inputs, null);
}

function binaryFunction(name: keyof typeof binarySpecs): (a: Operand, b: Operand) => Tensor {
  const spec = binarySpecs[name] as OpSpec<string, null>;
  return (a, b) => binary(a, b, spec);
}

/** Elementwise `a + b` with broadcasting (also `tensor.add`). */
export const add = /* @__PURE__ */ binaryFunction("add");
/** Elementwise `a - b` with broadcasting. */
export const sub = /* @__PURE__ */ binaryFunction("sub");
/** Elementwise `a * b` with broadcasting. */
export const mul = /* @__PURE__ */ binaryFunction("mul");
/**
 * Elementwise true division `a / b` with broadcasting (integers divide to float32); with
 * `{ roundingMode: 'trunc' | 'floor' }`, the quotient rounded toward zero or down
 * (`torch.div(a, b, rounding_mode=…)`: int32 stays int32, zero gradient).
 */
export function div(a: Operand, b: Operand, options?: DivOptions): Tensor {
  const mode = options?.roundingMode;
  return mode === undefined || mode === null
    ? binary(a, b, binarySpecs.div)
    : divide(a, b, options as DivOptions);
}
/** Elementwise `a ** b` with broadcasting. */
export const pow = /* @__PURE__ */ binaryFunction("pow");
/** Elementwise maximum; NaN propagates. */
export const maximum = /* @__PURE__ */ binaryFunction("maximum");
/** Elementwise minimum; NaN propagates. */
export const minimum = /* @__PURE__ */ binaryFunction("minimum");
/** `a == b` as a bool tensor. */
export const eq = /* @__PURE__ */ binaryFunction("eq");
/** `a != b` as a bool tensor. */
export const ne = /* @__PURE__ */ binaryFunction("ne");
/** `a < b` as a bool tensor. */
export const lt = /* @__PURE__ */ binaryFunction("lt");
/** `a <= b` as a bool tensor. */
export const le = /* @__PURE__ */ binaryFunction("le");
/** `a > b` as a bool tensor. */
export const gt = /* @__PURE__ */ binaryFunction("gt");
/** `a >= b` as a bool tensor. */
export const ge = /* @__PURE__ */ binaryFunction("ge");
/**
 * relu's backward: `grad` where `result` is positive, else 0 (PyTorch's `threshold_backward`).
 * One pass, and differentiable in `grad` for second derivatives.
 */
export const reluBackward = (grad: Tensor, result: Tensor): Tensor =>
  dispatch(binarySpecs.reluBackward, [grad, result], null);

/** `x + alpha · other` with one rounding for float32, like `torch.add(x, other, alpha=alpha)`. */
export function addScaled(x: Tensor, other: Operand, alpha: number): Tensor {
  const [operand, scale] = addScaledArguments(x, other, alpha);
  return dispatch(binarySpecs.addScaled, [x, operand], { alpha: scale });
}
