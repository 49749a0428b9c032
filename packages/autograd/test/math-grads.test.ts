/**
 * Gradients of the pointwise math ops against PyTorch 1.13 (the "grads" of
 * packages/tensor/test/fixtures/math.json, written by math.py with torch.autograd.grad and a
 * random cotangent). Tolerances as in pytorch-parity.test.ts: float32 rtol 1e-5 / atol 1e-6
 * (a gradient chains several rounded float32 ops), float64 rtol 1e-12 / atol 1e-12; infinities
 * and NaN (asin's gradient at ±1, hypot's at 0) must match exactly.
 */
import { grad } from "@x/autograd";
import type { Tensor } from "@x/tensor";
import { tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { buildTensor, type Tolerance, tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import {
  type MathCase,
  mathArgs,
  mathFixture,
  runMath,
} from "../../tensor/test/fixtures/math-table.ts";

const withGrads = mathFixture.cases.filter((c) => c.grads !== undefined);

function toleranceOf(dtype: string): Tolerance {
  return dtype === "float64" ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-6 };
}

function gradientMismatches(c: MathCase): string[] {
  const args = mathArgs(c);
  const out = runMath(c.op, args);
  const tensors = args.filter(
    (a): a is Tensor => typeof a === "object" && a !== null && "shape" in a,
  );
  const leaves = tensors.filter((t) => t.requiresGrad);
  const gradient = buildTensor(c.gradient!, (values, options) => tensor(values, options));
  const computed = grad(out, leaves, { gradOutputs: gradient, allowUnused: true });
  const problems: string[] = [];
  let leaf = 0;
  tensors.forEach((t, i) => {
    const want = c.grads?.[i] ?? null;
    const got = t.requiresGrad ? computed[leaf++] : null;
    if (want === null) {
      if (got !== null && got !== undefined) problems.push(`input ${i}: got a gradient, want none`);
      return;
    }
    if (got === null || got === undefined) {
      problems.push(`input ${i}: got no gradient`);
      return;
    }
    for (const p of tensorMismatches(got, want, toleranceOf(want.dtype)))
      problems.push(`input ${i}: ${p}`);
  });
  return problems;
}

describe(`gradients of the pointwise math ops vs PyTorch ${mathFixture.torch}`, () => {
  it("the fixture has gradients for every differentiable math op", () => {
    const ops = new Set(withGrads.map((c) => c.op.replace(/^t\./, "")));
    expect(ops.size).toBeGreaterThanOrEqual(27);
  });
  it.each(withGrads.map((c): [string, MathCase] => [c.name, c]))("%s", (_, c) => {
    expect(gradientMismatches(c)).toEqual([]);
  });
});

describe("how the math ops are recorded", () => {
  const x = () => tensor([1.5, -2.5], { requiresGrad: true });
  it("names the nodes as PyTorch does", () => {
    expect(x().lerp(tensor([2, 2]), 0.3).gradFn?.name).toBe("LerpBackward0");
    expect(x().lerp(tensor([2, 2]), tensor([0.3, 0.6])).gradFn?.name).toBe("LerpBackward1");
    expect(x().div(2, { roundingMode: "floor" }).gradFn?.name).toBe("DivBackward2");
    expect(x().erfc().gradFn?.name).toBe("ErfcBackward0");
  });
  it("floorDivide has no derivative (torch raises at backward), so its result does not require grad", () => {
    expect(x().floorDivide(2).requiresGrad).toBe(false);
  });
});
