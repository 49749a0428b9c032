import { readFileSync } from "node:fs";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { noGrad } from "../src/index";

const book = JSON.parse(
  readFileSync(new URL("../../../reference/book-ch5.json", import.meta.url), "utf8"),
);
const tC = tensor(book.data.t_c);
const tU = tensor(book.data.t_u);

const model = (x: Tensor, w: Tensor, b: Tensor) => x.mul(w).add(b);
const lossFn = (p: Tensor, y: Tensor) => p.sub(y).pow(2).mean();

function closeTo(actual: number, expected: number, rtol = 1e-5) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected));
}

describe("the book's autograd chapter (PyTorch reference values)", () => {
  it("computes the first gradient at w=1, b=0, and accumulates on a second backward", () => {
    const params = tensor([1.0, 0.0], { requiresGrad: true });
    const [w, b] = params.unbind() as [Tensor, Tensor];
    const loss = lossFn(model(tU, w, b), tC);
    closeTo(loss.item() as number, book.initial_loss_w1_b0);
    loss.backward();
    const [gw, gb] = params.grad!.toArray() as number[];
    closeTo(gw!, book.first_grad_w1_b0[0]);
    closeTo(gb!, book.first_grad_w1_b0[1]);
    const again = params.unbind() as [Tensor, Tensor];
    lossFn(model(tU, again[0], again[1]), tC).backward();
    const twice = params.grad!.toArray() as number[];
    closeTo(twice[0]!, book.grad_after_two_backward_calls_without_zeroing[0]);
    closeTo(twice[1]!, book.grad_after_two_backward_calls_without_zeroing[1]);
  });

  it("trains 5000 epochs on 0.1 * t_u with lr 1e-2 to the book's parameters", () => {
    const tUn = tU.mul(0.1);
    const params = tensor([1.0, 0.0], { requiresGrad: true });
    let loss = tensor(0);
    for (let epoch = 1; epoch <= 5000; epoch++) {
      if (params.grad !== null) params.grad.zero_();
      const [w, b] = params.unbind() as [Tensor, Tensor];
      loss = lossFn(model(tUn, w, b), tC);
      loss.backward();
      noGrad(() => {
        params.sub_(params.grad!.mul(1e-2));
      });
    }
    const expected = book["autograd_sgd_normalized_x0.1_lr1e-2_5000_epochs"];
    const [w, b] = params.toArray() as number[];
    closeTo(w!, expected.params[0]);
    closeTo(b!, expected.params[1]);
    closeTo(loss.item() as number, expected.final_loss);
  });
});

describe("the book's printed output, digit for digit", () => {
  it("prints the initial loss and the first gradient exactly as the book does", () => {
    const params = tensor([1.0, 0.0], { requiresGrad: true });
    const [w, b] = params.unbind() as [Tensor, Tensor];
    const loss = lossFn(model(tU, w, b), tC);
    expect(loss.toString()).toBe("tensor(1763.8846, grad_fn=<MeanBackward0>)");
    loss.backward();
    expect(params.grad?.toString()).toBe("tensor([4517.2969,   82.6000])");
    expect(params.grad?.toArray()).toEqual(book.first_grad_w1_b0);
  });
});
