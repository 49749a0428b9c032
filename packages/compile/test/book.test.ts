import "@x/autograd";
import { SGD } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { compile } from "../src/index";

// The book's chapter-5 data and loop (W1): w * t_u + b, the mean squared error, SGD.
const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const tUn = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]).mul(0.1);

/** A fresh model and step; `compiled` wraps the step with `compile`. */
function bookLoop(compiled: boolean) {
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const optimizer = new SGD([params], { lr: 1e-2 });
  const step = (x: Tensor, y: Tensor) => {
    optimizer.zeroGrad();
    const [w, b] = params.unbind() as [Tensor, Tensor];
    const loss = w.mul(x).add(b).sub(y).pow(2).mean();
    loss.backward();
    optimizer.step();
    return loss;
  };
  return { params, optimizer, step: compiled ? compile(step) : step };
}

/** The float32 bits of a tensor's values, for exact comparison. */
function bits(t: Tensor | null): number[] {
  if (t === null) return [];
  return Array.from(new Uint32Array(Float32Array.from(t.toTypedArray() as Float32Array).buffer));
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
