/**
 * Gradients of the mask and scatter ops against PyTorch 1.13 (the cases of
 * packages/tensor/test/fixtures/masks_scatter.json that record gradients): repeated indices,
 * includeSelf false, prod with zeros, amax/amin ties (shared evenly), broadcast and empty masks.
 * Tolerances: float64 rtol 1e-12 (formulas may associate differently), float32 rtol 1e-5.
 */
import "@x/autograd";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { outMismatches, type Tolerance } from "../../tensor/test/fixtures/codec.ts";
import {
  decodeMaskArg,
  type MaskScatterCase,
  maskScatterCases,
  runMaskScatter,
} from "../../tensor/test/fixtures/masks-scatter-table.ts";

const withGrads = maskScatterCases.filter((c) => c.gradient !== undefined);

function tolerance(c: MaskScatterCase): Tolerance {
  return c.gradient?.dtype === "float64"
    ? { rtol: 1e-12, atol: 1e-12 }
    : { rtol: 1e-5, atol: 1e-6 };
}

describe("gradients against PyTorch", () => {
  it("covers ties, zeros, includeSelf false and every differentiable op", () => {
    const names = withGrads.map((c) => c.name).join("\n");
    for (const word of ["ties", "with zeros", "includeSelf=false", "broadcasting", "repeated"])
      expect(names).toContain(word);
    expect(new Set(withGrads.map((c) => c.op.replace(/_$/, "")))).toEqual(
      new Set([
        "maskedFill",
        "maskedSelect",
        "scatter",
        "scatterAdd",
        "scatterReduce",
        "indexAdd",
        "take",
      ]),
    );
  });

  it.each(withGrads.map((c): [string, MaskScatterCase] => [c.name, c]))("%s", (_, c) => {
    const args = c.args.map(decodeMaskArg);
    const out = runMaskScatter(c.op, args);
    const gradient = c.gradient as NonNullable<MaskScatterCase["gradient"]>;
    out.backward(
      tensor(gradient.data as number[], { dtype: gradient.dtype }).reshape(gradient.shape),
    );
    const leaves = args.filter(
      (a): a is Tensor => typeof a === "object" && (a as Tensor).requiresGrad === true,
    );
    const grads = c.grads ?? [];
    expect(leaves.length).toBe(grads.length);
    leaves.forEach((leafTensor, i) => {
      const want = grads[i];
      if (want === null || want === undefined) expect(leafTensor.grad).toBeNull();
      else expect(outMismatches(leafTensor.grad, want, tolerance(c))).toEqual([]);
    });
  });
});
