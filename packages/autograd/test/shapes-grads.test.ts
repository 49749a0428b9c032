/**
 * Gradients of the shape ops against PyTorch 1.13 (packages/tensor/test/fixtures/shapes.json,
 * written by shapes.py): each float case runs on a leaf that requires grad, backward with the
 * stored upstream gradient, and the leaf's gradient is compared with torch's. Shape ops only
 * move elements, so gradients are exact except where overlapping windows (unfold) or tiles
 * (repeat) sum several of them: float32 rtol 1e-6 there.
 */
import "@x/autograd";
import type { Tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { type Tolerance, tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import {
  gradientsOf,
  runShapeCase,
  type ShapeCase,
  shapeCases,
} from "../../tensor/test/fixtures/shapes-cases.ts";

const SUMMING = new Set(["unfold", "repeat", "repeatInterleave", "meshgrid"]);

function toleranceOf(c: ShapeCase): Tolerance {
  return SUMMING.has(c.op) ? { rtol: 1e-6, atol: 1e-7 } : "exact";
}

/** Backward through a case's output(s) with its stored gradient(s); returns the leaf's grad. */
function gradOf(c: ShapeCase): Tensor | null {
  const { leaf, out } = runShapeCase(c, true);
  const gradients = gradientsOf(c);
  if (Array.isArray(out)) {
    out
      .map((o, i) => o.mul(gradients[i] as Tensor).sum())
      .reduce((a, b) => a.add(b))
      .backward();
  } else out.backward(gradients[0]);
  return leaf.grad;
}

const withGrads = shapeCases.filter((c) => c.grad !== undefined);

describe("shape ops: gradients against PyTorch", () => {
  it.each(withGrads.map((c): [string, ShapeCase] => [c.name, c]))("%s", (_, c) => {
    const grad = gradOf(c);
    expect(grad).not.toBeNull();
    expect(tensorMismatches(grad as Tensor, c.grad!, toleranceOf(c))).toEqual([]);
  });

  it("has gradient cases for every op on float32 and float64 inputs", () => {
    const ops = new Set(withGrads.map((c) => c.op));
    expect(ops.size).toBe(13);
    expect(withGrads.some((c) => c.input.dtype === "float64")).toBe(true);
  });

  it("records PyTorch's node names", () => {
    const names = (
      ["flip", "roll", "repeat", "tril", "triu", "diag", "diagonal", "unfold"] as const
    )
      .map((op) => shapeCases.find((c) => c.op === op && c.grad !== undefined && c.pre === null)!)
      .map((c) => (runShapeCase(c, true).out as Tensor).gradFn?.name);
    expect(names).toEqual([
      "FlipBackward0",
      "RollBackward0",
      "RepeatBackward0",
      "TrilBackward0",
      "TriuBackward0",
      "DiagBackward0",
      "DiagonalBackward0",
      "UnfoldBackward0",
    ]);
  });
});
