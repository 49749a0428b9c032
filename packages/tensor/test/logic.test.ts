/**
 * The logic ops and integer scalar operands against PyTorch 1.13 (fixtures/logic.json, written
 * by fixtures/logic.py). Every case runs in its function form and, when its first argument is
 * a tensor, in its method form too. Values are exact (bools, ints, and float32 results of
 * exactly rounded arithmetic), except float `pow`, which is libm's (1 ulp, as pytorch-parity).
 */

import * as api from "@x/tensor";
import { describe, expect, it } from "vitest";
import { loadFixture, type OutJson, outMismatches, type Tolerance } from "./fixtures/codec.ts";
import { type Arg, decodeArg } from "./fixtures/ops-table.ts";

interface Case {
  group: string;
  name: string;
  op: string;
  args: unknown[];
  out: OutJson | boolean;
}

const fixture = loadFixture<{ torch: string; cases: Case[] }>(
  "./fixtures/logic.json",
  import.meta.url,
);

const SPECIAL: Record<string, number> = { nan: Number.NaN, inf: Infinity, "-inf": -Infinity };
/** Fixture arguments, with the non-finite numbers spelled as strings decoded. */
const decode = (a: unknown): Arg =>
  typeof a === "string" && a in SPECIAL ? SPECIAL[a] : decodeArg(a);

const IN_PLACE = new Set(["add_", "sub_", "mul_"]);
/** Ops with no method form (`where`) or no function form (the in-place ops). */
const FUNCTION_ONLY = new Set(["where"]);

type Call = (...args: Arg[]) => unknown;

function functionForm(op: string): Call | undefined {
  if (IN_PLACE.has(op)) return undefined;
  const fn = (api as unknown as Record<string, unknown>)[op];
  expect(typeof fn, `@x/tensor exports a function "${op}"`).toBe("function");
  return fn as Call;
}

function methodForm(op: string, args: Arg[]): (() => unknown) | undefined {
  const [self, ...rest] = args;
  if (FUNCTION_ONLY.has(op) || !(self instanceof api.Tensor)) return undefined;
  const method = (self as unknown as Record<string, Call | undefined>)[op];
  expect(typeof method, `Tensor has a method "${op}"`).toBe("function");
  return () => {
    const result = (method as Call).apply(self, rest);
    return IN_PLACE.has(op) ? self : result;
  };
}

function tolerance(c: Case): Tolerance {
  return c.op === "pow" ? { rtol: 1e-6, atol: 1e-7 } : "exact";
}

function mismatches(actual: unknown, c: Case): string[] {
  if (typeof c.out === "boolean")
    return actual === c.out ? [] : [`got ${String(actual)}, want ${c.out}`];
  return outMismatches(actual, c.out, tolerance(c));
}

const groups = [...new Set(fixture.cases.map((c) => c.group))];

describe(`PyTorch ${fixture.torch} parity: logic ops and integer scalars`, () => {
  for (const group of groups) {
    describe(group, () => {
      const cases = fixture.cases.filter((c) => c.group === group);
      it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
        const fn = functionForm(c.op);
        if (fn !== undefined) expect(mismatches(fn(...c.args.map(decode)), c)).toEqual([]);
        const method = methodForm(c.op, c.args.map(decode));
        if (method !== undefined) expect(mismatches(method(), c)).toEqual([]);
        expect(fn !== undefined || method !== undefined).toBe(true);
      });
    });
  }

  it("covers every logic op of API-NEXT.md", () => {
    const ops = new Set(fixture.cases.map((c) => c.op));
    const logic = [
      ...["logicalNot", "logicalAnd", "logicalOr", "logicalXor", "bitwiseAnd", "bitwiseOr"],
      ...["bitwiseXor", "bitwiseNot", "bitwiseLeftShift", "bitwiseRightShift", "any", "all"],
      ...["isnan", "isinf", "isfinite", "isclose", "allclose", "equal"],
    ];
    expect(logic.filter((op) => !ops.has(op))).toEqual([]);
  });
});
