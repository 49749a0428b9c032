/**
 * Rejected input of the logic ops and of integer scalar operands: each throws a TensorError
 * whose code and full message are pinned here (the message names the op, the argument, the
 * dtypes or values, and the fix). The last block feeds random garbage to every logic entry
 * point and accepts nothing but TensorErrors.
 */
import * as x from "@x/tensor";
import { TensorError, type TensorErrorCode, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { type Call, exported, method, onlyTensorErrors, thrownBy } from "./garbage.ts";

type Case = [title: string, fn: () => unknown, code: TensorErrorCode, message: string];

const int = (data: number[]) => tensor(data, { dtype: "int32" });
const bools = () => tensor([true, false]);

const cases: Case[] = [
  [
    "bitwiseAnd of float32 tensors",
    () => zeros([2]).bitwiseAnd(zeros([2])),
    "INVALID_DTYPE",
    "bitwiseAnd: bitwise ops are implemented for int32 and bool only, but the operands (a float32 tensor and a float32 tensor) compute in float32. Hint: convert with .int() or .bool() first, or use logicalAnd for truth values.",
  ],
  [
    "bitwiseOr of int32 with a fractional number",
    () => int([1, 2]).bitwiseOr(1.5),
    "INVALID_DTYPE",
    "bitwiseOr: bitwise ops are implemented for int32 and bool only, but the operands (an int32 tensor and the number 1.5) compute in float32. Hint: convert with .int() or .bool() first, or use logicalOr for truth values.",
  ],
  [
    "bitwiseXor of int32 and float64 (function form)",
    () => x.bitwiseXor(int([1]), zeros([1], { dtype: "float64" })),
    "INVALID_DTYPE",
    "bitwiseXor: bitwise ops are implemented for int32 and bool only, but the operands (an int32 tensor and a float64 tensor) compute in float64. Hint: convert with .int() or .bool() first, or use logicalXor for truth values.",
  ],
  [
    "bitwiseNot of float32",
    () => zeros([2]).bitwiseNot(),
    "INVALID_DTYPE",
    "bitwiseNot: bitwise not is implemented for int32 and bool only, but got a float32 tensor. Hint: convert with .int() or .bool() first, or use logicalNot for truth values.",
  ],
  [
    "bitwiseLeftShift of bools",
    () => bools().bitwiseLeftShift(bools()),
    "INVALID_DTYPE",
    "bitwiseLeftShift: shifts are implemented for int32 only, but the operands (a bool tensor and a bool tensor) compute in bool. Hint: convert with .int() first; to scale floats use mul(2 ** n).",
  ],
  [
    "bitwiseRightShift of float32 by a number",
    () => x.bitwiseRightShift(zeros([2]), 1),
    "INVALID_DTYPE",
    "bitwiseRightShift: shifts are implemented for int32 only, but the operands (a float32 tensor and the number 1) compute in float32. Hint: convert with .int() first; to scale floats use mul(2 ** n).",
  ],
  [
    "logicalAnd with a string",
    () => bools().logicalAnd("yes" as never),
    "INVALID_ARGUMENT",
    "logicalAnd: argument 'b' must be a Tensor or a number, but got \"yes\". Hint: wrap arrays with tensor(...).",
  ],
  [
    "logicalNot of an array",
    () => x.logicalNot([true] as never),
    "INVALID_ARGUMENT",
    "logicalNot: argument 'input' must be a Tensor, but got [true]. Hint: create one with tensor(...).",
  ],
  [
    "isnan of a number",
    () => x.isnan(1 as never),
    "INVALID_ARGUMENT",
    "isnan: argument 'input' must be a Tensor, but got 1. Hint: create one with tensor(...).",
  ],
  [
    "any over a dim out of range",
    () => zeros([2, 3]).any(2),
    "INVALID_DIM",
    "any: dim 2 is out of range for a tensor with 2 dimensions (expected to be in range of [-2, 1]). Hint: dims count from 0; negative dims count from the end.",
  ],
  [
    "all over a repeated dim",
    () => x.all(zeros([2, 3]), [1, -1]),
    "INVALID_DIM",
    "all: dim [1, -1] names a dimension twice. Hint: list each dim once.",
  ],
  [
    "isclose of float32 and float64",
    () => zeros([2]).isclose(zeros([2], { dtype: "float64" })),
    "INVALID_DTYPE",
    "isclose: expected both inputs to have the same dtype, but got float32 and float64. Hint: convert one first, e.g. other.to('float32').",
  ],
  [
    "isclose with a number",
    () => zeros([2]).isclose(1 as never),
    "INVALID_ARGUMENT",
    "isclose: argument 'other' must be a Tensor, but got 1. Hint: create one with tensor(...).",
  ],
  [
    "isclose with a negative rtol",
    () => x.isclose(zeros([2]), zeros([2]), { rtol: -1 }),
    "INVALID_ARGUMENT",
    "isclose: rtol must be a number greater than or equal to zero, but got -1. Hint: e.g. isclose(other, { rtol: 1e-4 }).",
  ],
  [
    "isclose with a NaN atol",
    () => zeros([2]).isclose(zeros([2]), { atol: Number.NaN }),
    "INVALID_ARGUMENT",
    "isclose: atol must be a number greater than or equal to zero, but got NaN. Hint: e.g. isclose(other, { atol: 1e-4 }).",
  ],
  [
    "isclose with a string equalNan",
    () => zeros([2]).isclose(zeros([2]), { equalNan: "yes" as never }),
    "INVALID_ARGUMENT",
    'isclose: equalNan must be a boolean, but got "yes". Hint: e.g. isclose(other, { equalNan: true }).',
  ],
  [
    "isclose with shapes that do not broadcast",
    () => zeros([2]).isclose(zeros([3])),
    "SHAPE_MISMATCH",
    "isclose: the size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0 (shapes [2] and [3])",
  ],
  [
    "allclose of int32 and float32",
    () => x.allclose(int([1]), zeros([1])),
    "INVALID_DTYPE",
    "allclose: expected both inputs to have the same dtype, but got int32 and float32. Hint: convert one first, e.g. other.to('int32').",
  ],
  [
    "equal with an array",
    () => zeros([2]).equal([0, 0] as never),
    "INVALID_ARGUMENT",
    "equal: argument 'other' must be a Tensor, but got [0, 0]. Hint: create one with tensor(...).",
  ],
  [
    "int32 to a negative integer power",
    () => int([2, 3]).pow(-1),
    "INVALID_ARGUMENT",
    "pow: Integers to negative integer powers are not allowed (an int32 tensor to the power -1). Hint: convert the base with .float() first, e.g. x.float().pow(-1).",
  ],
  [
    "bool to a negative integer power (function form)",
    () => x.pow(bools(), -2),
    "INVALID_ARGUMENT",
    "pow: Integers to negative integer powers are not allowed (a bool tensor to the power -2). Hint: convert the base with .float() first, e.g. x.float().pow(-2).",
  ],
  [
    "int32 mul_ by a fractional number",
    () => int([1, 2]).mul_(0.5),
    "INVALID_DTYPE",
    "mul_: result type float32 can't be cast to the desired output type int32. Hint: convert the tensor with .float() first, or use the out-of-place op.",
  ],
  [
    "bool add_ of an integer",
    () => bools().add_(1),
    "INVALID_DTYPE",
    "add_: result type int32 can't be cast to the desired output type bool. Hint: convert the tensor with .float() first, or use the out-of-place op.",
  ],
  [
    "bool minus an integer",
    () => bools().sub(1),
    "INVALID_DTYPE",
    "sub: subtraction with a bool tensor is not supported (operand dtypes bool and int32). Hint: to invert a mask use logicalNot(); otherwise convert with .int() or .float() first.",
  ],
  [
    "float32 minus a bool tensor",
    () => zeros([2]).sub(bools()),
    "INVALID_DTYPE",
    "sub: subtraction with a bool tensor is not supported (operand dtypes float32 and bool). Hint: to invert a mask use logicalNot(); otherwise convert with .int() or .float() first.",
  ],
  [
    "int32 sub_ of a bool tensor",
    () => int([1, 2]).sub_(bools()),
    "INVALID_DTYPE",
    "sub_: subtraction with a bool tensor is not supported (operand dtypes int32 and bool). Hint: to invert a mask use logicalNot(); otherwise convert with .int() or .float() first.",
  ],
];

describe("logic ops and integer scalars reject bad input", () => {
  it.each(cases)("%s", (_, fn, code, message) => {
    const error = thrownBy(fn);
    expect(TensorError.isInstance(error)).toBe(true);
    const e = error as TensorError;
    expect({ code: e.code, message: e.message }).toEqual({ code, message });
  });
});

const LOGIC_OPS = [
  ...["logicalNot", "logicalAnd", "logicalOr", "logicalXor", "bitwiseAnd", "bitwiseOr"],
  ...["bitwiseXor", "bitwiseNot", "bitwiseLeftShift", "bitwiseRightShift", "any", "all"],
  ...["isnan", "isinf", "isfinite", "isclose", "allclose", "equal"],
];

describe("garbage in, only TensorErrors out (logic ops)", () => {
  const entries = LOGIC_OPS.flatMap((name): [string, Call][] => [
    [`Tensor#${name}`, method(name)],
    [name, (t, a) => exported(name)(t, [t, ...a])],
  ]);
  it.each(entries)("%s", (_, run) => onlyTensorErrors(run, 200, 20261203));
});
