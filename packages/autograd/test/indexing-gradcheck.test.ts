/**
 * Gradients of Python indexing: `x.index(...)` (views through the view ops' rules, copies through
 * `index`'s accumulating put), `indexPut_` and `indexPut` with respect to the tensor and the
 * values. Checked against PyTorch 1.13 (../../tensor/test/fixtures/indexing.json) and by
 * finite differences (gradcheck, float64).
 */
import { Generator, randn, slice, type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { tensorMismatches } from "../../tensor/test/fixtures/codec.ts";
import {
  caseValues,
  fixtureTensor,
  type IndexingCase,
  indexingCases,
  runCase,
} from "../../tensor/test/fixtures/indexing-cases.ts";
import { gradcheck, gradgradcheck, noGrad } from "../src/index";

const TOLERANCE = { rtol: 1e-12, atol: 1e-12 };
const withGrads = indexingCases.filter((c) => c.grads !== undefined);

describe("gradients of indexing against PyTorch (float64)", () => {
  it.each(withGrads.map((c): [string, IndexingCase] => [`${c.group}: ${c.name}`, c]))(
    "%s",
    (_, c) => {
      const x = fixtureTensor(c.x, "float64", true);
      const values = caseValues(c, "float64", true);
      const out = runCase(c, x, values);
      out
        .mul(fixtureTensor(c.weight as never, "float64"))
        .sum()
        .backward();
      const [gradX, gradValues] = c.grads as NonNullable<IndexingCase["grads"]>;
      expect(tensorMismatches(x.grad as Tensor, gradX as never, TOLERANCE)).toEqual([]);
      if (gradValues !== undefined) {
        const got = (values as Tensor).grad as Tensor;
        expect(tensorMismatches(got, gradValues, TOLERANCE)).toEqual([]);
      }
    },
  );

  it("covers index, setitem and index_put with accumulate", () => {
    const ops = new Set(withGrads.map((c) => `${c.op}${c.accumulate === true ? "+" : ""}`));
    expect([...ops].sort()).toEqual(["index", "indexPut", "indexPut+", "put"]);
  });
});

const generator = new Generator(17);
const leaf = (...shape: number[]) =>
  randn(shape, { dtype: "float64", generator }).requiresGrad_(true);
const rows = tensor([2, 0, 2, 1], { dtype: "int32" });

type Case = [name: string, fn: (...x: Tensor[]) => Tensor, inputs: () => Tensor[]];
const cases: Case[] = [
  ["number and slice (views)", (x) => x.index(-1, "1:").exp(), () => [leaf(3, 4)]],
  ["stepped slice", (x) => x.index(slice(1, null, 2), null).exp(), () => [leaf(7)]],
  ["Ellipsis", (x) => x.index("...", 0).exp(), () => [leaf(2, 3)]],
  ["repeated indices accumulate", (x) => x.index(rows).exp(), () => [leaf(3, 2)]],
  ["separated indices", (x) => x.index([0, 1], ":", [2, 0]).exp(), () => [leaf(2, 3, 3)]],
  ["mask", (x) => x.index(x.detach().gt(0)).exp(), () => [leaf(3, 3)]],
  [
    "indexPut w.r.t. x and values",
    (x, v) => x.indexPut([rows.index("1:")], v as Tensor).exp(),
    () => [leaf(3, 2), leaf(2)],
  ],
  [
    "indexPut accumulate",
    (x, v) => x.indexPut([rows, ":"], v as Tensor, { accumulate: true }).exp(),
    () => [leaf(3, 2), leaf(4, 1)],
  ],
  [
    "indexPut_ on a non-leaf",
    (x, v) =>
      x
        .mul(1)
        .indexPut_([":", 1], v as Tensor)
        .exp(),
    () => [leaf(3, 2), leaf(3)],
  ],
  [
    "indexPut_ of a number into a mask",
    (x) => {
      const y = x.mul(2);
      return y.indexPut_([x.detach().lt(0)], 0.5).exp();
    },
    () => [leaf(4)],
  ],
];

describe("gradcheck of indexing (float64, finite differences)", () => {
  it.each(cases)("%s", (_, fn, inputs) => {
    expect(gradcheck(fn, inputs())).toBe(true);
  });

  it.each(cases.filter(([name]) => /repeated|separated|accumulate/.test(name)))(
    "second derivatives: %s",
    (_, fn, inputs) => {
      expect(gradgradcheck(fn, inputs())).toBe(true);
    },
  );
});

describe("indexPut_ and autograd", () => {
  it("a leaf that requires grad refuses indexPut_ outside noGrad", () => {
    const w = leaf(3);
    expect(() => w.indexPut_([0], 1)).toThrowError(/INPLACE|leaf tensor that requires grad/);
    noGrad(() => w.indexPut_([0], 1));
    expect(w.index(0).item()).toBe(1);
  });

  it("records on the target: the old value gets no gradient where it was overwritten", () => {
    const x = leaf(3);
    const y = x.mul(3);
    y.indexPut_([[0, 0]], 0);
    expect(y.gradFn?.name).toBe("IndexPutBackward0");
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([0, 3, 3]);
  });
});
