/**
 * Forward values of @x/tensor against PyTorch 1.13 (fixtures/ops.json, written by
 * fixtures/generate.py; see its docstring for the encoding).
 *
 * Tolerances, by op (floats only; ints, bools, shapes, dtypes and indices are always exact):
 * - exact, bit for bit: + - × ÷ √, neg, abs, square, relu, clamp, maximum/minimum, where,
 *   views, indexing, joining, casts, in-place ops. IEEE-754 rounds these correctly, so
 *   `Math.fround(a op b)` equals PyTorch's float32 result; generate.py checks exactly that
 *   model against torch on every such case. JS numbers are rounded to float32 before the op,
 *   as PyTorch does with a scalar operand (see "float32 * number rounds the number first").
 * - TRANSCENDENTAL (exp log sin cos tanh sigmoid pow): float32 rtol 1e-6, atol 1e-7. libm
 *   implementations differ by up to 1 ulp (generate.py measures 1 ulp at most between
 *   `Math.fround(Math.exp(x))` and torch); atol covers sigmoid's tiny tail, which torch
 *   flushes to 0 where float64-then-round gives a denormal.
 * - ORDER_DEPENDENT (sum mean var std prod matmul mm dot): float32 rtol 1e-5, atol 1e-6. The
 *   result depends on the order of the additions (torch adds in 8-lane AVX2 blocks; its exact
 *   order is modelled in generate.py). generate.py asserts that both torch and a naive
 *   sequential float32 loop stay within half of this budget of the exact result.
 * - CREATION (arange, linspace): float32 rtol 1e-6, atol 1e-7: torch's linspace computes in
 *   float32 from both ends, so linspace(-1, 1, 7)[3] is -2.98e-8, not 0.
 * - float64: rtol 1e-14 / 1e-12 instead of the float32 tolerances above.
 */
import * as api from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  isTensorJson,
  loadFixture,
  type OutJson,
  outMismatches,
  type TensorJson,
  type Tolerance,
} from "./fixtures/codec.ts";
import { type Arg, decodeArg, OPS } from "./fixtures/ops-table.ts";

interface Case {
  group: string;
  name: string;
  op: string;
  args: unknown[];
  out: OutJson;
}

const fixture = loadFixture<{ torch: string; cases: Case[] }>(
  "./fixtures/ops.json",
  import.meta.url,
);

const ELEMENTWISE = [
  ...["add", "sub", "mul", "div", "pow", "maximum", "minimum"],
  ...["eq", "ne", "lt", "le", "gt", "ge", "where", "clamp"],
  ...["neg", "abs", "exp", "log", "sqrt", "square", "sin", "cos", "tanh", "sigmoid", "relu"],
];
const TRANSCENDENTAL = new Set("exp log sin cos tanh sigmoid pow narrow.exp".split(" "));
const ORDER_DEPENDENT = new Set(
  "sum mean var std prod matmul mm dot t.matmul permute.sum mseLoss".split(" "),
);
const CREATION = new Set(["arange", "linspace"]);

/** The tolerance for a case's float values (see the file comment for the reasons). */
function toleranceFor(c: Case): Tolerance {
  const out = isTensorJson(c.out) ? c.out : undefined;
  const f64 = out?.dtype === "float64";
  if (TRANSCENDENTAL.has(c.op))
    return f64 ? { rtol: 1e-14, atol: 1e-300 } : { rtol: 1e-6, atol: 1e-7 };
  if (ORDER_DEPENDENT.has(c.op))
    return f64 ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-6 };
  if (CREATION.has(c.op)) return { rtol: 1e-6, atol: 1e-7 };
  return "exact";
}

function check(c: Case, run: (...args: Arg[]) => unknown): void {
  const actual = run(...c.args.map(decodeArg));
  expect(outMismatches(actual, c.out, toleranceFor(c))).toEqual([]);
}

const groups = [...new Set(fixture.cases.map((c) => c.group))];

/** `[title, case]` rows, so that `it.each` prints titles without quotes. */
function named(cases: Case[], title = (c: Case) => c.name): [string, Case][] {
  return cases.map((c) => [title(c), c]);
}

describe(`PyTorch ${fixture.torch} parity: forward values`, () => {
  it("has an entry in the op table for every op in the fixture", () => {
    const missing = [...new Set(fixture.cases.map((c) => c.op))].filter((op) => !(op in OPS));
    expect(missing).toEqual([]);
  });

  it("covers every elementwise op, reduction and join of API.md", () => {
    const ops = new Set(fixture.cases.map((c) => c.op));
    const reductions = ["sum", "mean", "max", "min", "argmax", "argmin", "var", "std", "prod"];
    const rest = ["matmul", "mm", "dot", "indexSelect", "gather", "cat", "stack", "split", "chunk"];
    expect([...ELEMENTWISE, ...reductions, ...rest].filter((op) => !ops.has(op))).toEqual([]);
  });

  for (const group of groups) {
    describe(group, () => {
      it.each(named(fixture.cases.filter((c) => c.group === group)))("%s", (_, c) => {
        const run = OPS[c.op];
        if (run === undefined) throw new Error(`no op table entry for "${c.op}"`);
        check(c, run);
      });
    });
  }

  describe("function forms of the elementwise ops", () => {
    const functions = api as unknown as Record<string, unknown>;
    const elementwise = fixture.cases.filter(
      (c) => c.group === "elementwise" && ELEMENTWISE.includes(c.op),
    );
    it.each(named(elementwise, (c) => `${c.op}(...): ${c.name}`))("%s", (_, c) => {
      const fn = functions[c.op];
      expect(typeof fn, `@x/tensor exports a function "${c.op}"`).toBe("function");
      check(c, fn as (...args: Arg[]) => unknown);
    });
  });
});

/** Every stored tensor, wherever it sits in a case. */
function storedTensors(v: unknown): TensorJson[] {
  if (isTensorJson(v)) return [v];
  if (Array.isArray(v)) return v.flatMap(storedTensors);
  if (typeof v === "object" && v !== null) return Object.values(v).flatMap(storedTensors);
  return [];
}

describe("ops.json itself", () => {
  const tensors = fixture.cases.flatMap((c) => storedTensors([c.args, c.out]));

  it("stores as many values as each shape holds", () => {
    const size = (t: TensorJson) => t.shape.reduce((a, b) => a * b, 1);
    expect(tensors.filter((t) => size(t) !== t.data.length)).toEqual([]);
  });

  it("uses only the four dtypes of API.md", () => {
    expect([...new Set(tensors.map((t) => t.dtype))].sort()).toEqual([
      "bool",
      "float32",
      "float64",
      "int32",
    ]);
  });
});
