/**
 * The activations against PyTorch 1.13 (fixtures/activations.json, written by
 * fixtures/activations.py): values, dtypes, shapes and refusals, through the method and the
 * function form.
 *
 * Tolerances: softsign, leakyRelu, relu6, hardswish, hardsigmoid and hardtanh are bit-exact
 * (their kernels round each float32 step as torch's do); the ops that call exp, log1p, tanh or
 * erf are within 1 ulp in float32 and float64 (each step rounded as torch's kernel rounds it,
 * the transcendental step computed in float64 and rounded once; torch calls SLEEF and glibc),
 * or, where the formula cancels (`1 + erf` for x ≪ 0, `e^x − 1` near 0), within the error one
 * ulp of that step becomes (`cancellationAllowance`). float32 gelu uses torch's vectorised
 * Abramowitz–Stegun erf, as torch does on contiguous tensors.
 */
import * as api from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  activationFixture,
  cancellationAllowance,
  TRANSCENDENTAL,
} from "./fixtures/activations-table.ts";
import { flattenNested } from "./fixtures/codec.ts";
import { type MathCase, mathArgs, runMath } from "./fixtures/math-table.ts";
import { ulpMismatches } from "./fixtures/ulps.ts";
import { thrownBy } from "./garbage.ts";

const functions = api as unknown as Record<string, unknown>;

function allowedUlps(c: MathCase, dtype: string): number {
  return TRANSCENDENTAL.has(c.op.replace(/^t\./, "")) && dtype.startsWith("float") ? 1 : 0;
}

function check(c: MathCase, through?: Record<string, unknown>): void {
  const run = () => runMath(c.op, mathArgs(c), through);
  if ("error" in c.out) {
    const code = c.out.error.startsWith("ZeroDivisionError") ? "DIVISION_BY_ZERO" : "INVALID_DTYPE";
    expect(run).toThrowError(expect.objectContaining({ code }));
    return;
  }
  const want = c.out;
  const ulps = allowedUlps(c, want.dtype);
  const args = mathArgs(c);
  const first = args[0] as api.Tensor;
  const input = flattenNested((c.op.startsWith("t.") ? first.t() : first).toArray()) as number[];
  const absolute = (i: number) =>
    ulps === 0 ? 0 : cancellationAllowance(input[i] as number, want.dtype);
  expect(ulpMismatches(run(), want, ulps, absolute)).toEqual([]);
}

const cases = activationFixture.cases;
const named = (list: MathCase[]): [string, MathCase][] => list.map((c) => [c.name, c]);
const groups = [...new Set(cases.map((c) => c.group))];

describe(`activations vs PyTorch ${activationFixture.torch}`, () => {
  for (const group of groups) {
    describe(group, () => {
      it.each(named(cases.filter((c) => c.group === group)))("%s", (_, c) => check(c));
    });
  }
  describe("function forms", () => {
    it.each(named(cases.filter((c) => c.group !== "sweep")))("%s", (_, c) => check(c, functions));
  });
});

describe("typed errors of the activations", () => {
  const x = api.tensor([1.5, -2.5]);
  const ints = api.tensor([5, -5], { dtype: "int32" });
  const cases: [string, () => unknown, string, RegExp][] = [
    [
      "gelu with an unknown approximation",
      () => x.gelu({ approximate: "erf" as never }),
      "INVALID_ARGUMENT",
      /^gelu: approximate must be 'none' or 'tanh', but got "erf"\. Hint:/,
    ],
    [
      "celu with alpha 0",
      () => x.celu(0),
      "DIVISION_BY_ZERO",
      /^celu: alpha cannot be 0 for celu .*Hint: pass a non-zero alpha/,
    ],
    [
      "silu of int32",
      () => ints.silu(),
      "INVALID_DTYPE",
      /^silu: silu is not implemented for int32 tensors \(as in PyTorch\)\. Hint: convert with \.float\(\) first\./,
    ],
    [
      "hardtanh of bool",
      () => api.tensor([true]).hardtanh(),
      "INVALID_DTYPE",
      /^hardtanh: hardtanh is not implemented for bool tensors/,
    ],
    [
      "leakyRelu_ of int32",
      () => ints.leakyRelu_(),
      "INVALID_DTYPE",
      /^leakyRelu_: leakyRelu_ is not implemented for int32 tensors/,
    ],
    [
      "softplus with a string beta",
      () => x.softplus({ beta: "2" as never }),
      "INVALID_ARGUMENT",
      /^softplus: argument 'beta' must be a number, but got "2"\. Hint: e\.g\. softplus\(\{ beta: 2 \}\)\./,
    ],
    [
      "leakyRelu with a non-number slope",
      () => x.leakyRelu(null as never),
      "INVALID_ARGUMENT",
      /^leakyRelu: argument 'negativeSlope' must be a number, but got null/,
    ],
    [
      "hardtanh with a non-number bound",
      () => api.hardtanh(x, -1, [2] as never),
      "INVALID_ARGUMENT",
      /^hardtanh: argument 'maxVal' must be a number, but got \[2\]/,
    ],
    [
      "gelu of a non-tensor",
      () => api.gelu(3 as never),
      "INVALID_ARGUMENT",
      /^gelu: argument 'input' must be a Tensor, but got 3/,
    ],
  ];
  it.each(cases)("%s", (_, run, code, message) => {
    const thrown = thrownBy(run);
    expect(api.TensorError.isInstance(thrown)).toBe(true);
    expect((thrown as api.TensorError).code).toBe(code);
    expect((thrown as api.TensorError).message).toMatch(message);
  });
});

describe("in-place activations", () => {
  it("write into a strided view and keep int32 for hardtanh_", () => {
    const base = api.tensor([
      [-2, 4],
      [0.5, -0.5],
    ]);
    const column = base.select(1, 0);
    column.elu_();
    expect(base.toArray()).toEqual([
      [Math.fround(Math.exp(-2) - 1), 4],
      [0.5, -0.5],
    ]);
    const ints = api.tensor([-3, 0, 3], { dtype: "int32" });
    expect(ints.hardtanh_(-2, 2).toArray()).toEqual([-2, 0, 2]);
    expect(ints.dtype).toBe("int32");
  });
});
