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
  ulpMismatches,
} from "./fixtures/activations-table.ts";
import { flattenNested } from "./fixtures/codec.ts";
import { type MathCase, mathArgs, runMath } from "./fixtures/math-table.ts";

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
  const ulps = allowedUlps(c, c.out.dtype);
  const args = mathArgs(c);
  const first = args[0] as api.Tensor;
  const input = flattenNested((c.op.startsWith("t.") ? first.t() : first).toArray()) as number[];
  const absolute = (i: number) =>
    ulps === 0 ? 0 : cancellationAllowance(input[i] as number, c.out.dtype as string);
  expect(ulpMismatches(run(), c.out, ulps, absolute)).toEqual([]);
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
