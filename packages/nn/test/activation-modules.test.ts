/**
 * The activation modules run @x/tensor's ops (whose values are checked against torch in
 * @x/tensor) with their constructor's settings; how they print is checked against torch by the
 * "activations" model of the fixtures.
 */
import { ELU, GELU, LeakyReLU, LogSoftmax, NNError, SiLU, Softmax, Softplus } from "@x/nn";
import { tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../tensor/test/garbage.ts";
import { pythonFloat } from "../src/layers/activation-options";

const x = tensor([
  [-2, -0.5, 0, 0.5, 3],
  [1, 2, -3, 4, -5],
]);

describe("activation modules", () => {
  it("apply their op with the module's settings", () => {
    const cases: [{ forward(t: typeof x): typeof x }, typeof x][] = [
      [new GELU({ approximate: "tanh" }), x.gelu({ approximate: "tanh" })],
      [new SiLU(), x.silu()],
      [new LeakyReLU(0.2), x.leakyRelu(0.2)],
      [new ELU(0.5), x.elu(0.5)],
      [new Softplus({ beta: 2, threshold: 1 }), x.softplus({ beta: 2, threshold: 1 })],
      [new Softmax(0), x.softmax(0)],
      [new LogSoftmax(1), x.logSoftmax(1)],
    ];
    for (const [module, want] of cases) expect(module.forward(x).toArray()).toEqual(want.toArray());
  });

  it("name the module in a bad-input error", () => {
    const error = thrownBy(() => new Softmax(1).forward([1, 2] as never));
    expect(NNError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("Softmax.forward");
  });

  it("print floats as Python's repr does", () => {
    expect([1, 0.01, 1e-5, 2.5e16, 0.5, -3].map(pythonFloat)).toEqual([
      "1.0",
      "0.01",
      "1e-05",
      "2.5e+16",
      "0.5",
      "-3.0",
    ]);
  });
});
