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
import {
  arange,
  cat,
  eye,
  full,
  linspace,
  ones,
  stack,
  type Tensor,
  tensor,
  where,
  zeros,
} from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  buildTensor,
  isTensorJson,
  loadFixture,
  type OutJson,
  outMismatches,
  type TensorJson,
  type Tolerance,
} from "./fixtures/codec.ts";

type Arg = Tensor | number | boolean | number[] | string | Record<string, unknown> | undefined;
type Out = Tensor | Tensor[] | { values: Tensor; indices: Tensor } | string;
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

const T = (a: Arg): Tensor => a as Tensor;
const num = (a: Arg): number => a as number;
const dims = (a: Arg): number | number[] | undefined => a as number | number[] | undefined;
const operand = (a: Arg): Tensor | number => a as Tensor | number;
const bound = (a: Arg): number | undefined => a as number | undefined;
type Options = { correction?: number; keepdim?: boolean };

/** max/min: no dim → the value; a tensor → maximum/minimum; a dim → { values, indices }. */
function extremum(kind: "max" | "min", x: Arg, dim: Arg, keepdim: Arg): Out {
  if (dim === undefined) return T(x)[kind]();
  if (typeof dim === "object" && !Array.isArray(dim)) return T(x)[kind](T(dim));
  return T(x)[kind](num(dim), keepdim as boolean | undefined);
}

/** var/std take `(dim?, keepdim?)` or `(dim?, { correction, keepdim })`. */
function spread(kind: "var" | "std", x: Arg, dim: Arg, extra: Arg): Tensor {
  if (typeof extra === "object") return T(x)[kind](dims(dim), extra as Options);
  return T(x)[kind](dims(dim), extra as boolean | undefined);
}

/** In-place ops return the mutated base so that writes through views are visible. */
const mutated =
  (f: (x: Tensor, ...rest: Arg[]) => unknown) =>
  (x: Arg, ...rest: Arg[]): Tensor => {
    f(T(x), ...rest);
    return T(x);
  };

/** The public API by op name, in method form (function forms are checked separately). */
const OPS: Record<string, (...args: Arg[]) => Out> = {
  add: (a, b) => T(a).add(operand(b)),
  sub: (a, b) => T(a).sub(operand(b)),
  mul: (a, b) => T(a).mul(operand(b)),
  div: (a, b) => T(a).div(operand(b)),
  pow: (a, b) => T(a).pow(operand(b)),
  maximum: (a, b) => T(a).maximum(T(b)),
  minimum: (a, b) => T(a).minimum(T(b)),
  eq: (a, b) => T(a).eq(operand(b)),
  ne: (a, b) => T(a).ne(operand(b)),
  lt: (a, b) => T(a).lt(operand(b)),
  le: (a, b) => T(a).le(operand(b)),
  gt: (a, b) => T(a).gt(operand(b)),
  ge: (a, b) => T(a).ge(operand(b)),
  neg: (x) => T(x).neg(),
  abs: (x) => T(x).abs(),
  exp: (x) => T(x).exp(),
  log: (x) => T(x).log(),
  sqrt: (x) => T(x).sqrt(),
  square: (x) => T(x).square(),
  sin: (x) => T(x).sin(),
  cos: (x) => T(x).cos(),
  tanh: (x) => T(x).tanh(),
  sigmoid: (x) => T(x).sigmoid(),
  relu: (x) => T(x).relu(),
  clamp: (x, lo, hi) => T(x).clamp(bound(lo), bound(hi)),
  where: (c, a, b) => where(T(c), operand(a), operand(b)),
  sum: (x, d, k) => T(x).sum(dims(d), k as boolean | undefined),
  mean: (x, d, k) => T(x).mean(dims(d), k as boolean | undefined),
  prod: (x, d, k) => T(x).prod(d as number | undefined, k as boolean | undefined),
  argmax: (x, d, k) => T(x).argmax(d as number | undefined, k as boolean | undefined),
  argmin: (x, d, k) => T(x).argmin(d as number | undefined, k as boolean | undefined),
  max: (x, d, k) => extremum("max", x, d, k),
  min: (x, d, k) => extremum("min", x, d, k),
  var: (x, d, e) => spread("var", x, d, e),
  std: (x, d, e) => spread("std", x, d, e),
  matmul: (a, b) => T(a).matmul(T(b)),
  mm: (a, b) => T(a).mm(T(b)),
  dot: (a, b) => T(a).dot(T(b)),
  indexSelect: (x, d, i) => T(x).indexSelect(num(d), T(i)),
  gather: (x, d, i) => T(x).gather(num(d), T(i)),
  cat: (...a) => cat(a.slice(0, -1).map(T), num(a.at(-1))),
  stack: (...a) => stack(a.slice(0, -1).map(T), num(a.at(-1))),
  split: (x, s, d) => T(x).split(s as number | number[], num(d)),
  chunk: (x, n, d) => T(x).chunk(num(n), num(d)),
  unbind: (x, d) => T(x).unbind(num(d)),
  reshape: (x, s) => T(x).reshape(s as number[]),
  view: (x, s) => T(x).view(s as number[]),
  flatten: (x, s, e) => T(x).flatten(num(s), num(e)),
  transpose: (x, a, b) => T(x).transpose(num(a), num(b)),
  permute: (x, p) => T(x).permute(...(p as number[])),
  expand: (x, s) => T(x).expand(...(s as number[])),
  narrow: (x, d, s, l) => T(x).narrow(num(d), num(s), num(l)),
  select: (x, d, i) => T(x).select(num(d), num(i)),
  unsqueeze: (x, d) => T(x).unsqueeze(num(d)),
  squeeze: (x, d) => (d === undefined ? T(x).squeeze() : T(x).squeeze(num(d))),
  t: (x) => T(x).t(),
  contiguous: (x) => T(x).contiguous(),
  clone: (x) => T(x).clone(),
  to: (x, d) => T(x).to(d as api.Tensor["dtype"]),
  float: (x) => T(x).float(),
  double: (x) => T(x).double(),
  toString: (x: Arg) => T(x).toString(),
  zeros: (s) => zeros(s as number[]),
  ones: (s) => ones(s as number[]),
  full: (s, v) => full(s as number[], num(v)),
  arange: (...a) => arange(num(a[0]), a[1] as number | undefined, a[2] as number | undefined),
  linspace: (a, b, n) => linspace(num(a), num(b), num(n)),
  eye: (n) => eye(num(n)),
  add_: mutated((x, y) => x.add_(operand(y))),
  sub_: mutated((x, y) => x.sub_(operand(y))),
  mul_: mutated((x, y) => x.mul_(operand(y))),
  div_: mutated((x, y) => x.div_(operand(y))),
  clamp_: mutated((x, lo, hi) => x.clamp_(bound(lo), bound(hi))),
  zero_: mutated((x) => x.zero_()),
  fill_: mutated((x, v) => x.fill_(num(v))),
  copy_: mutated((x, src) => x.copy_(T(src))),
  // small pipelines, mostly over non-contiguous views (names as in generate.py)
  "t.mul_": mutated((x, v) => x.t().mul_(num(v))),
  "narrow.fill_": mutated((x, d, s, l, v) => x.narrow(num(d), num(s), num(l)).fill_(num(v))),
  "select.zero_": mutated((x, d, i) => x.select(num(d), num(i)).zero_()),
  "transpose01.copy_": mutated((x, src) => x.transpose(0, 1).copy_(T(src))),
  "transpose01.add": (x, y) => T(x).transpose(0, 1).add(T(y)),
  "permute.sum": (x, p, d) =>
    T(x)
      .permute(...(p as number[]))
      .sum(num(d)),
  "expand.mul": (x, s, y) =>
    T(x)
      .expand(...(s as number[]))
      .mul(T(y)),
  "t.matmul": (a, b) => T(a).t().matmul(T(b)),
  "narrow.exp": (x, d, s, l) => T(x).narrow(num(d), num(s), num(l)).exp(),
  "select.maxDim": (x, d, i, m) => T(x).select(num(d), num(i)).max(num(m)),
  "add.sub": (a, b, c) => T(a).add(T(b)).sub(T(c)),
  mseLoss: (p, y) => T(p).sub(T(y)).pow(2).mean(),
  linear: (x, w, b) => T(x).mul(T(w)).add(T(b)),
};

const ELEMENTWISE = [
  ...["add", "sub", "mul", "div", "pow", "maximum", "minimum"],
  ...["eq", "ne", "lt", "le", "gt", "ge", "where", "clamp"],
  ...["neg", "abs", "exp", "log", "sqrt", "square", "sin", "cos", "tanh", "sigmoid", "relu"],
];
const TRANSCENDENTAL = new Set([
  "exp",
  "log",
  "sin",
  "cos",
  "tanh",
  "sigmoid",
  "pow",
  "narrow.exp",
]);
const ORDER_DEPENDENT = new Set(
  ["sum", "mean", "var", "std", "prod", "matmul", "mm", "dot"].concat([
    "t.matmul",
    "permute.sum",
    "mseLoss",
  ]),
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

/** Fixture arguments as API arguments: tensors built with `tensor()`, null as undefined. */
function decodeArg(a: unknown): Arg {
  if (a === null) return undefined;
  if (isTensorJson(a)) return buildTensor<Tensor>(a, (values, options) => tensor(values, options));
  return a as Arg;
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
