/**
 * sign and the roundings are recorded with a zero gradient, and addcdiv is one op with its own
 * backward, exactly as in PyTorch (fixtures/zero-grads.json, from fixtures/zero_grads.py).
 */
import { readFileSync } from "node:fs";
import { type DType, type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import "../src/index";

interface Case {
  name: string;
  dtype: DType;
  gradFn: string;
  out: number[];
  grads: (number[] | null)[];
}
const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/zero-grads.json", import.meta.url), "utf8"),
) as { x: number[]; weights: number[]; t1: number[]; t2: number[]; cases: Case[] };

const ops: Record<string, (x: Tensor, t1: Tensor, t2: Tensor) => Tensor> = {
  sign: (x) => x.sign(),
  floor: (x) => x.floor(),
  ceil: (x) => x.ceil(),
  trunc: (x) => x.trunc(),
  round: (x) => x.round(),
  "round decimals=1": (x) => x.round({ decimals: 1 }),
  "sign times x": (x) => x.sign().mul(x),
  addcdiv: (x, t1, t2) => x.addcdiv(t1, t2, { value: -0.5 }),
};

describe("zero-gradient ops and addcdiv against PyTorch", () => {
  it("the fixture covers every op of the table", () => {
    expect(new Set(fixture.cases.map((c) => c.name))).toEqual(new Set(Object.keys(ops)));
  });

  it.each(fixture.cases)("$name ($dtype)", (c) => {
    const leaves = [fixture.x, fixture.t1, fixture.t2].map((values) =>
      tensor(values, { dtype: c.dtype, requiresGrad: true }),
    ) as [Tensor, Tensor, Tensor];
    const out = (ops[c.name] as (typeof ops)[string])(...leaves);
    expect(out.gradFn?.name).toBe(c.gradFn);
    expect(out.toArray()).toEqual(c.out);
    out
      .mul(tensor(fixture.weights, { dtype: c.dtype }))
      .sum()
      .backward();
    leaves.forEach((leaf, i) => {
      const want = c.grads[i] ?? null;
      if (want === null) expect(leaf.grad).toBeNull();
      else {
        const got = (leaf.grad as Tensor).toArray() as number[];
        got.forEach((value, j) => {
          expect(value).toBeCloseTo(want[j] as number, 5);
        });
      }
    });
  });
});
