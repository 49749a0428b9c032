/**
 * einsum against PyTorch 1.13 (fixtures/scans.json, written by fixtures/scans.py): matmul-like
 * contractions, traces and diagonals, sums, outer products, ellipsis broadcasting, several
 * operands. Contractions run through matmul, so float32 results are compared as matmul's are
 * (rtol 1e-5: BLAS and @x sum in different orders); the rest is exact. Then the typed errors,
 * each pointing at the place in the equation.
 */
import { einsum, ones, type Tensor, TensorError, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { outMismatches } from "./fixtures/codec.ts";
import { runScanCase, type ScanCase, scanCases } from "./fixtures/scans-cases.ts";
import { thrownBy } from "./garbage";

const cases = scanCases.filter((c) => c.op === "einsum");
const ORDER_DEPENDENT = { rtol: 1e-5, atol: 1e-6 };

describe("einsum: values against PyTorch", () => {
  it.each(cases.map((c): [string, ScanCase] => [c.name, c]))("%s", (_, c) => {
    const { out } = runScanCase(c);
    expect(outMismatches(out, c.out, ORDER_DEPENDENT)).toEqual([]);
  });

  it("covers transposed, 0-d, empty, int32 and float64 operands", () => {
    expect(cases.some((c) => c.pre === "t")).toBe(true);
    expect(cases.some((c) => c.inputs.some((x) => x.shape.length === 0))).toBe(true);
    expect(cases.filter((c) => c.inputs.some((x) => x.shape.includes(0))).length).toBe(2);
    expect(cases.some((c) => c.inputs[0]!.dtype === "int32")).toBe(true);
    expect(cases.some((c) => c.inputs[0]!.dtype === "float64")).toBe(true);
  });
});

/** The error `einsum(equation, ...operands)` throws. */
function errorOf(equation: string, ...operands: Tensor[]): TensorError {
  const error = thrownBy(() => einsum(equation, ...operands));
  expect(error).toBeInstanceOf(TensorError);
  return error as TensorError;
}

/** The caret's column under the quoted equation (0-based), from the message. */
function caretColumn(message: string): number {
  const lines = message.split("\n");
  const caret = lines.findIndex((line) => /^ +\^$/.test(line));
  return (lines[caret] as string).indexOf("^") - 2;
}

describe("einsum: errors name the place in the equation", () => {
  const m23 = zeros(2, 3);
  const m34 = zeros(3, 4);
  it.each([
    [
      "an invalid character",
      "ij,j#->i",
      [m23, m23],
      "INVALID_ARGUMENT",
      4,
      /invalid subscript "#"/,
    ],
    ["a lone dot", "i.j", [m23], "INVALID_ARGUMENT", 1, /not part of an ellipsis/],
    ["two ellipses", "...i...", [m23], "INVALID_ARGUMENT", 4, /more than one ellipsis/],
    [
      "too many tensors",
      "ij",
      [m23, m23],
      "INVALID_ARGUMENT",
      1,
      /subscripts for 1 operand, but 2 tensors/,
    ],
    [
      "too few tensors",
      "ij,jk->ik",
      [m23],
      "INVALID_ARGUMENT",
      3,
      /subscripts for 2 operands, but 1 tensor was/,
    ],
    [
      "more subscripts than dims",
      "ijk,jk",
      [m23, m34],
      "INVALID_ARGUMENT",
      2,
      /operand 0 has 2 dims but 3 subscripts/,
    ],
    [
      "fewer subscripts than dims",
      "ij,j",
      [m23, m34],
      "INVALID_ARGUMENT",
      3,
      /operand 1 has 2 dims but 1 subscript/,
    ],
    [
      "a size mismatch",
      "ij,kj->ik",
      [m23, m34],
      "SHAPE_MISMATCH",
      4,
      /subscript j of operand 1 has size 4, but size 3 in operand 0/,
    ],
    [
      "a diagonal of unequal dims",
      "ii",
      [m23],
      "SHAPE_MISMATCH",
      1,
      /repeated in operand 0 but its dims have sizes 2 and 3/,
    ],
    [
      "an output letter not in the inputs",
      "ij->ik",
      [m23],
      "INVALID_ARGUMENT",
      5,
      /output subscript k does not appear/,
    ],
    [
      "a repeated output letter",
      "ij->ii",
      [m23],
      "INVALID_ARGUMENT",
      5,
      /output subscript i appears more than once/,
    ],
    [
      "an ellipsis size mismatch",
      "...i,...i",
      [zeros(2, 3), zeros(4, 3)],
      "SHAPE_MISMATCH",
      5,
      /dim 0 of operand 1 \(under '...'\) has size 4, but size 2/,
    ],
    ["a bad output character", "ij->i-", [m23], "INVALID_ARGUMENT", 5, /invalid subscript "-"/],
  ] as const)("%s", (_, equation, operands, code, column, message) => {
    const error = errorOf(equation, ...operands);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`at character ${column + 1} of the equation`);
    expect(error.message).toContain(`\n  ${equation}\n`);
    expect(caretColumn(error.message)).toBe(column);
    expect(error.message).toMatch(/Hint:/);
  });

  it("rejects no operands and a non-string equation", () => {
    expect(errorOf("ij").message).toMatch(/at least one operand/);
    const error = thrownBy(() => einsum(3 as unknown as string, ones(2)));
    expect((error as TensorError).code).toBe("INVALID_ARGUMENT");
    expect((error as TensorError).message).toMatch(/equation must be a string/);
  });
});

describe("einsum: contractions run through matmul", () => {
  it("a bmm-shaped contraction gives matmul's bits", () => {
    const a = tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i))).reshape(2, 3, 4);
    const b = tensor(Array.from({ length: 40 }, (_, i) => Math.cos(i))).reshape(2, 4, 5);
    expect(einsum("bij,bjk->bik", a, b).toArray()).toEqual(a.matmul(b).toArray());
  });
});
