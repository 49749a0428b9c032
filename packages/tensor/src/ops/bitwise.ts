import { dispatch } from "../dispatch";
import { checkTensorArgument, TensorError } from "../errors";
import { Logic, logicBinaryKernel, logicUnaryKernel } from "../kernels/logic";
import type { OpSpec } from "../op-spec";
import type { Operand, Tensor } from "../tensor";
import { computeType, tensorOperands } from "./binary";
import { elementwiseOp } from "./elementwise";
import { logicOp } from "./logic";

/** The specs of the bitwise ops on int32 and bool tensors (no gradient). */
export const bitwiseSpecs = {
  bitwiseNot: elementwiseOp<"bitwiseNot", null>({
    name: "bitwiseNot",
    kernel: logicUnaryKernel,
    code: ([x]) => (x?.dtype === "bool" ? Logic.BITWISE_NOT_BOOL : Logic.BITWISE_NOT_INT),
    output: ([x]) => (x as Tensor).dtype,
    backward: "not-differentiable",
  }),
  bitwiseAnd: logicOp("bitwiseAnd", logicBinaryKernel, Logic.BITWISE_AND, computeType),
  bitwiseOr: logicOp("bitwiseOr", logicBinaryKernel, Logic.BITWISE_OR, computeType),
  bitwiseXor: logicOp("bitwiseXor", logicBinaryKernel, Logic.BITWISE_XOR, computeType),
  bitwiseLeftShift: logicOp("bitwiseLeftShift", logicBinaryKernel, Logic.SHIFT_LEFT, computeType),
  bitwiseRightShift: logicOp(
    "bitwiseRightShift",
    logicBinaryKernel,
    Logic.SHIFT_RIGHT,
    computeType,
  ),
} as const;

/** How an operand reads in a message: `a float32 tensor` or `the number 1.5`. */
function describeOperand(value: Operand, asTensor: Tensor): string {
  if (typeof value === "number") return `the number ${value}`;
  return `${asTensor.dtype === "int32" ? "an" : "a"} ${asTensor.dtype} tensor`;
}

/** The bitwise op of `spec` on two operands: int32 or bool only (shifts: int32), as in torch. */
function bitwise(a: Operand, b: Operand, spec: OpSpec<string, null>): Tensor {
  const inputs = tensorOperands(spec.name, a, b);
  const dtype = computeType(inputs);
  const shift = spec === bitwiseSpecs.bitwiseLeftShift || spec === bitwiseSpecs.bitwiseRightShift;
  if (dtype === "float32" || dtype === "float64" || (shift && dtype === "bool")) {
    const operands = `${describeOperand(a, inputs[0])} and ${describeOperand(b, inputs[1])}`;
    throw new TensorError(
      "INVALID_DTYPE",
      spec.name,
      shift
        ? `shifts are implemented for int32 only, but the operands (${operands}) compute in ${dtype}. Hint: convert with .int() first; to scale floats use mul(2 ** n).`
        : `bitwise ops are implemented for int32 and bool only, but the operands (${operands}) compute in ${dtype}. Hint: convert with .int() or .bool() first, or use ${spec.name.replace("bitwise", "logical")} for truth values.`,
    );
  }
  return dispatch(spec, inputs, null);
}

/** Elementwise bitwise and of int32 or bool operands (`torch.bitwise_and`, `a & b`), broadcasting. */
export const bitwiseAnd = (a: Operand, b: Operand): Tensor =>
  bitwise(a, b, bitwiseSpecs.bitwiseAnd);
/** Elementwise bitwise or of int32 or bool operands (`torch.bitwise_or`, `a | b`), broadcasting. */
export const bitwiseOr = (a: Operand, b: Operand): Tensor => bitwise(a, b, bitwiseSpecs.bitwiseOr);
/** Elementwise bitwise xor of int32 or bool operands (`torch.bitwise_xor`, `a ^ b`), broadcasting. */
export const bitwiseXor = (a: Operand, b: Operand): Tensor =>
  bitwise(a, b, bitwiseSpecs.bitwiseXor);
/**
 * `a << b` on int32 (`torch.bitwise_left_shift`), broadcasting. As torch 1.13 on int32, the
 * count is taken modulo 32 (`x << 32` is `x`, `x << -1` is `x << 31`), and bits shifted past
 * the sign are lost.
 */
export const bitwiseLeftShift = (a: Operand, b: Operand): Tensor =>
  bitwise(a, b, bitwiseSpecs.bitwiseLeftShift);
/**
 * `a >> b` on int32 (`torch.bitwise_right_shift`), arithmetic (the sign is kept), broadcasting;
 * the count is taken modulo 32, as in torch 1.13 on int32.
 */
export const bitwiseRightShift = (a: Operand, b: Operand): Tensor =>
  bitwise(a, b, bitwiseSpecs.bitwiseRightShift);

/** Elementwise bitwise not (`torch.bitwise_not`, `~x`): `-x - 1` for int32, logical not for bool. */
export function bitwiseNot(x: Tensor): Tensor {
  checkTensorArgument(x, "bitwiseNot");
  if (x.dtype !== "int32" && x.dtype !== "bool") {
    throw new TensorError(
      "INVALID_DTYPE",
      "bitwiseNot",
      `bitwise not is implemented for int32 and bool only, but got a ${x.dtype} tensor. Hint: convert with .int() or .bool() first, or use logicalNot for truth values.`,
    );
  }
  return dispatch(bitwiseSpecs.bitwiseNot, [x], null);
}
