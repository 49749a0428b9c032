import { dispatch } from "../dispatch";
import { type DType, promoteTypes, resultTypeWithNumber } from "../dtype";
import { checkTensorArgument, describeValue, TensorError } from "../errors";
import type { RowKernel, RowOperand } from "../kernels/elementwise";
import { fma32 } from "../kernels/fma";
import { type Operand, Tensor } from "../tensor";
import { elementwiseOp, scalarTensor } from "./elementwise";

// PyTorch's CPU kernel computes `addcmul` as fma(value · t1, t2, self): one rounding for the
// multiply-add. Optimizers lean on it, so float32 rounds the same way to stay on torch's path.

// Kernel codes (an enum, so that bundlers inline the numbers; see binary.ts).
enum Ternary {
  WHERE = 0,
  ADDCMUL = 1,
  ADDCMUL_F32 = 2,
  ADDCDIV = 3,
  ADDCDIV_F32 = 4,
}

/** One element of a three-input kernel; `p` is addcmul's value. */
function ternaryValue(code: number, x: number, y: number, z: number, p: number): number {
  switch (code) {
    case Ternary.WHERE:
      return x ? y : z;
    case Ternary.ADDCMUL:
      return p * y * z + x;
    case Ternary.ADDCMUL_F32:
      return fma32(Math.fround(p * y), z, x);
    case Ternary.ADDCDIV:
      return x + (p * y) / z;
    default: // Ternary.ADDCDIV_F32: each step rounded, in PyTorch's order
      return Math.fround(x + Math.fround(Math.fround(p * y) / z));
  }
}

const ternaryKernel: RowKernel = (code, operands, n, p0) => {
  const out = operands[0] as RowOperand;
  const a = operands[1] as RowOperand;
  const b = operands[2] as RowOperand;
  const c = operands[3] as RowOperand;
  const to = out.data;
  for (
    let i = 0, o = out.offset, ia = a.offset, ib = b.offset, ic = c.offset;
    i < n;
    i++, o += out.stride, ia += a.stride, ib += b.stride, ic += c.stride
  )
    to[o] = ternaryValue(
      code,
      a.data[ia] as number,
      b.data[ib] as number,
      c.data[ic] as number,
      p0,
    );
};

const promoted = (inputs: readonly Tensor[]): DType =>
  inputs.reduce<DType>((dtype, t) => promoteTypes(dtype, t.dtype), (inputs[0] as Tensor).dtype);

/** addcmul's and addcdiv's `value`, rounded to float32 when they compute in float32. */
const scaleParam = ({ value }: AddcAttrs, inputs: readonly Tensor[]): number =>
  promoted(inputs) === "float32" ? Math.fround(value) : value;

/** `value` of `addcmul` and `addcdiv`. */
export interface AddcAttrs {
  value: number;
}

/** The specs of the three-input elementwise ops. */
export const ternarySpecs = {
  /** `condition ? a : b`; the condition is input 0 and gets no gradient. */
  where: elementwiseOp<"where", null>({
    name: "where",
    kernel: ternaryKernel,
    code: () => Ternary.WHERE,
    output: (inputs) => promoteTypes((inputs[1] as Tensor).dtype, (inputs[2] as Tensor).dtype),
    backward: (node, grad) => {
      const condition = node.saved(0);
      return [
        null,
        node.needsGrad(1) ? where(condition, grad, 0) : null,
        node.needsGrad(2) ? where(condition, 0, grad) : null,
      ];
    },
  }),
  /** `x + value · t1 · t2`, the final multiply-add fused for float32. */
  addcmul: elementwiseOp<"addcmul", AddcAttrs>({
    name: "addcmul",
    kernel: ternaryKernel,
    code: (inputs) => (promoted(inputs) === "float32" ? Ternary.ADDCMUL_F32 : Ternary.ADDCMUL),
    output: promoted,
    params: [scaleParam],
    backward: (node, grad) => {
      const { value } = node.attrs;
      return [
        grad,
        node.needsGrad(1) ? grad.mul(node.saved(2)).mul(value) : null,
        node.needsGrad(2) ? grad.mul(node.saved(1)).mul(value) : null,
      ];
    },
  }),
  /** `x + value · t1 / t2`, each step rounded as PyTorch's CPU kernel does. */
  addcdiv: elementwiseOp<"addcdiv", AddcAttrs>({
    name: "addcdiv",
    kernel: ternaryKernel,
    code: (inputs) => (promoted(inputs) === "float32" ? Ternary.ADDCDIV_F32 : Ternary.ADDCDIV),
    output: promoted,
    params: [scaleParam],
    backward: (node, grad) => {
      const { value } = node.attrs;
      const t2 = node.saved(2);
      return [
        grad,
        node.needsGrad(1) ? grad.mul(value).div(t2) : null,
        node.needsGrad(2) ? grad.mul(value).mul(node.saved(1)).div(t2.mul(t2)).neg() : null,
      ];
    },
  }),
} as const;

/** A JS number as a `where` operand: the other operand's dtype rule for numbers (see `resultTypeWithNumber`). */
function whereOperand(value: unknown, other: DType): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value !== "number") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "where",
      `expected a Tensor or a number, but got ${typeof value}.`,
    );
  }
  return scalarTensor(value, resultTypeWithNumber(other, value));
}

/** `condition ? a : b` elementwise, broadcasting all three. */
export function where(condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  if (!(condition instanceof Tensor) || condition.dtype !== "bool") {
    throw new TensorError(
      "INVALID_DTYPE",
      "where",
      `condition must be a bool tensor, but got ${condition instanceof Tensor ? condition.dtype : typeof condition}. Hint: build it with a comparison such as x.gt(0).`,
    );
  }
  const left = whereOperand(a, b instanceof Tensor ? b.dtype : "float32");
  const right = whereOperand(b, left.dtype);
  return dispatch(ternarySpecs.where, [condition, left, right], null);
}

export function scaleOf(value: unknown, op: string, name: string): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be a number, but got ${describeValue(value)}. Hint: e.g. ${op}(other, { ${name}: 0.5 }).`,
    );
  }
  return value;
}

/** Checks `add(other, { alpha })`'s arguments; returns the other operand as a tensor and alpha. */
export function addScaledArguments(x: Tensor, other: Operand, alpha: unknown): [Tensor, number] {
  checkTensorArgument(x, "add");
  const scale = scaleOf(alpha, "add", "alpha");
  if (other instanceof Tensor) return [other, scale];
  if (typeof other === "number")
    return [scalarTensor(other, resultTypeWithNumber(x.dtype, other)), scale];
  throw new TensorError(
    "INVALID_ARGUMENT",
    "add",
    `argument 'other' must be a Tensor or a number, but got ${describeValue(other)}.`,
  );
}

/** Checks `addcmul`/`addcdiv`'s arguments; returns the value. */
export function addcArguments(
  op: string,
  x: Tensor,
  t1: Tensor,
  t2: Tensor,
  value: unknown,
): number {
  checkTensorArgument(x, op);
  checkTensorArgument(t1, op, "tensor1");
  checkTensorArgument(t2, op, "tensor2");
  return scaleOf(value, op, "value");
}

/** `x + value · t1 · t2` with the last multiply-add fused for float32, like `torch.addcmul`. */
export function addcmul(x: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  const scale = addcArguments("addcmul", x, t1, t2, value);
  return dispatch(ternarySpecs.addcmul, [x, t1, t2], { value: scale });
}

/** `x + value · t1 / t2`, like `torch.addcdiv`. */
export function addcdiv(x: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  const scale = addcArguments("addcdiv", x, t1, t2, value);
  return dispatch(ternarySpecs.addcdiv, [x, t1, t2], { value: scale });
}
