import "@x/autograd";
import { SGD } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { compile } from "../src/index";
import { bits, bookStep, tC, tUn } from "./helpers";

/** A fresh model and step; `compiled` wraps the step with `compile`. */
function bookLoop(compiled: boolean) {
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const optimizer = new SGD([params], { lr: 1e-2 });
  const step = bookStep(params, optimizer);
  return { params, optimizer, step: compiled ? compile(step) : step };
}

function state(loop: ReturnType<typeof bookLoop>, loss: Tensor) {
  return { params: bits(loop.params), grad: bits(loop.params.grad), loss: bits(loss) };
}

describe("compile: the book's loop (W1)", () => {
  for (const steps of [1, 2, 3, 100]) {
    it(`leaves the same bits as eager after ${steps} step(s)`, () => {
      const eager = bookLoop(false);
      const compiled = bookLoop(true);
      let eagerLoss = tensor(0);
      let compiledLoss = tensor(0);
      for (let i = 0; i < steps; i++) {
        eagerLoss = eager.step(tUn, tC);
        compiledLoss = compiled.step(tUn, tC);
      }
      expect(state(compiled, compiledLoss)).toEqual(state(eager, eagerLoss));
    });
  }

  it("sees a changed learning rate on the next call (scalars are re-read)", () => {
    const eager = bookLoop(false);
    const compiled = bookLoop(true);
    let eagerLoss = tensor(0);
    let compiledLoss = tensor(0);
    for (let i = 0; i < 20; i++) {
      if (i === 10) {
        for (const loop of [eager, compiled])
          (loop.optimizer.paramGroups[0] as { lr: number }).lr = 5e-3;
      }
      eagerLoss = eager.step(tUn, tC);
      compiledLoss = compiled.step(tUn, tC);
    }
    expect(state(compiled, compiledLoss)).toEqual(state(eager, eagerLoss));
  });
});
