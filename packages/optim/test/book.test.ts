import { describe, expect, it } from "vitest";
import { Adam, SGD } from "../src/index";
import "@x/autograd";
import { type Tensor, tensor } from "@x/tensor";
import { fixture } from "./fixture";

// Section 5.5 of the book: the same training loop with torch.optim.SGD and torch.optim.Adam.
const { thermometer, runs, reference } = fixture.book;
const tC = tensor(thermometer.t_c);
const tU = tensor(thermometer.t_u);

const model = (x: Tensor, w: Tensor, b: Tensor) => x.mul(w).add(b);
const lossFn = (p: Tensor, y: Tensor) => p.sub(y).pow(2).mean();

function trainingLoop(epochs: number, make: (params: Tensor) => SGD | Adam, x: Tensor) {
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const optimizer = make(params);
  let loss = tensor(0);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const [w, b] = params.unbind() as [Tensor, Tensor];
    loss = lossFn(model(x, w, b), tC);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  return { params: params.toArray() as number[], loss: loss.item() as number };
}

function expectRelative(actual: number, expected: number, rtol: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected));
}

describe("the book's optim runs (chapter 5)", () => {
  it("SGD lr 1e-2 on 0.1 * t_u for 5000 epochs: w ≈ 5.3671, b ≈ -17.3012", () => {
    const result = trainingLoop(5000, (p) => new SGD([p], { lr: 1e-2 }), tU.mul(0.1));
    const torch = runs["sgd_normalized_lr1e-2_5000_epochs"]!;
    const book = reference["autograd_sgd_normalized_x0.1_lr1e-2_5000_epochs"]!;
    result.params.forEach((value, i) => {
      expectRelative(value, torch.params[i]!, 1e-5);
      expectRelative(value, book.params[i]!, 1e-5);
    });
    expectRelative(result.loss, torch.final_loss, 1e-5);
    expect(result.params[0]).toBeCloseTo(5.3671, 4);
    expect(result.params[1]).toBeCloseTo(-17.3012, 4);
  });

  it("Adam lr 1e-1 on raw t_u for 2000 epochs: w ≈ 0.5367, b ≈ -17.3021, loss ≈ 2.927644", () => {
    const result = trainingLoop(2000, (p) => new Adam([p], { lr: 1e-1 }), tU);
    const torch = runs["adam_unnormalized_lr1e-1_2000_epochs"]!;
    const book = reference["adam_unnormalized_lr1e-1_2000_epochs"]!;
    result.params.forEach((value, i) => {
      expectRelative(value, torch.params[i]!, 1e-5);
      expectRelative(value, book.params[i]!, 1e-5);
    });
    expectRelative(result.loss, book.final_loss, 1e-5);
    expect(result.params[0]).toBeCloseTo(0.5367, 4);
    expect(result.params[1]).toBeCloseTo(-17.3021, 4);
    expect(result.loss).toBeCloseTo(2.927644, 5);
  });
});
