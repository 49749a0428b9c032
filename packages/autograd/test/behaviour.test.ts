import { type Tensor, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  Function as AutogradFunction,
  detectAnomaly,
  enableGrad,
  type FunctionContext,
  grad,
  isGradEnabled,
  noGrad,
  setGradEnabled,
  warnOnGradAccumulation,
} from "../src/index";
import { errorOf } from "./error-of";

describe("grad mode", () => {
  it("noGrad records nothing, returns the callback's value and restores the mode", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => 42)).toBe(42);
  });

  it("restores the previous mode when the callback throws", () => {
    expect(() =>
      noGrad(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(isGradEnabled()).toBe(true);
  });

  it("enableGrad re-enables recording inside noGrad", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => enableGrad(() => x.mul(2)));
    expect(y.gradFn?.name).toBe("MulBackward0");
  });

  it("setGradEnabled has a statement form and a scoped form", () => {
    const x = tensor([3], { requiresGrad: true });
    expect(setGradEnabled(false, () => x.exp()).requiresGrad).toBe(false);
    expect(isGradEnabled()).toBe(true);
    setGradEnabled(false);
    try {
      expect(isGradEnabled()).toBe(false);
      expect(x.exp().requiresGrad).toBe(false);
    } finally {
      setGradEnabled(true);
    }
    expect(x.exp().requiresGrad).toBe(true);
  });

  it("rejects async callbacks with ASYNC_GRAD_MODE", () => {
    const error = errorOf(() => noGrad(async () => 1));
    expect(error.code).toBe("ASYNC_GRAD_MODE");
    expect(error.message).toBe(
      "noGrad: the callback returned a Promise. Grad mode is synchronous state, so it cannot cover code after an await. Hint: call noGrad around the synchronous part only, and await outside it.",
    );
    expect(isGradEnabled()).toBe(true);
  });

  it("rejects a non-boolean flag and a non-function callback", () => {
    expect(errorOf(() => setGradEnabled("yes" as never)).message).toBe(
      "setGradEnabled: expected a boolean, but got string.",
    );
    expect(errorOf(() => noGrad(5 as never)).code).toBe("INVALID_ARGUMENT");
  });
});

describe("backward()", () => {
  it("names graph nodes like PyTorch and marks leaves", () => {
    const params = tensor([1, 0], { requiresGrad: true });
    const [w, b] = params.unbind() as [Tensor, Tensor];
    const loss = tensor([1, 2]).mul(w).add(b).pow(2).mean();
    expect(params.isLeaf).toBe(true);
    expect(loss.isLeaf).toBe(false);
    expect(loss.gradFn?.name).toBe("MeanBackward0");
    expect(w.gradFn?.name).toBe("UnbindBackward0");
    expect(loss.toString()).toBe("tensor(2.5000, grad_fn=<MeanBackward0>)");
  });

  it("needs a gradient for non-scalar outputs (NON_SCALAR_BACKWARD)", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const error = errorOf(() => x.mul(2).backward());
    expect(error.code).toBe("NON_SCALAR_BACKWARD");
    expect(error.message).toBe(
      "backward(): grad can be implicitly created only for scalar outputs, but the output has shape [2]. Hint: reduce it first (e.g. loss.mean() or .sum()), or pass the gradient: backward(gradient).",
    );
    x.mul(2).backward(tensor([1, 10]));
    expect(x.grad?.toArray()).toEqual([2, 20]);
  });

  it("rejects a gradient of the wrong shape", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(errorOf(() => x.mul(2).backward(tensor([1, 2, 3]))).code).toBe("BAD_GRADIENT");
  });

  it("says why a tensor has no graph: created under noGrad, or no leaf requires grad (NO_GRAD_FN)", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const underNoGrad = errorOf(() => noGrad(() => x.sum().backward()));
    expect(underNoGrad.code).toBe("NO_GRAD_FN");
    expect(underNoGrad.message).toContain("it was computed while grad mode is off");
    const plain = errorOf(() => tensor([1, 2]).sum().backward());
    expect(plain.message).toBe(
      "backward(): element 0 of tensors does not require grad and does not have a gradFn (shape []): none of the tensors it was computed from requires grad (create the parameters with { requiresGrad: true }). Hint: check that the loss is computed outside noGrad from tensors created with { requiresGrad: true }.",
    );
  });

  it("frees the graph: a second backward throws BACKWARD_TWICE unless retainGraph", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const loss = x.exp().sum();
    loss.backward();
    const error = errorOf(() => loss.backward());
    expect(error.code).toBe("BACKWARD_TWICE");
    expect(error.message).toMatch(
      /^backward\(\): trying to backward through the graph a second time \(at SumBackward0/,
    );
    const kept = x.exp().sum();
    kept.backward({ retainGraph: true });
    kept.backward();
    expect(x.grad?.toArray()).toEqual(
      [3, 3].map((k, i) => k * Math.fround(Math.exp(i + 1))).map(Math.fround),
    );
  });

  it("detects a saved tensor modified in place (MODIFIED_IN_PLACE)", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(1);
    const z = y.mul(y).sum();
    noGrad(() => y.add_(1));
    const error = errorOf(() => z.backward());
    expect(error.code).toBe("MODIFIED_IN_PLACE");
    expect(error.message).toBe(
      "backward(): one of the variables needed for gradient computation has been modified by an inplace operation: input 1 of MulBackward0 (shape [2], float32) is at version 1; expected version 0 instead. Hint: use the out-of-place op (e.g. add instead of add_), or clone() the tensor before modifying it.",
    );
  });

  it("refuses in-place ops on a leaf that requires grad outside noGrad (INPLACE_ON_LEAF)", () => {
    const params = tensor([1, 0], { requiresGrad: true });
    const error = errorOf(() => params.sub_(1));
    expect(error.code).toBe("INPLACE_ON_LEAF");
    expect(error.message).toBe(
      "sub_: a leaf tensor that requires grad (shape [2]) is being used in an in-place operation. Hint: update parameters inside noGrad(() => { ... }), as the book does with torch.no_grad(), or use an optimizer.",
    );
    noGrad(() => params.sub_(1));
    expect(params.toArray()).toEqual([0, -1]);
  });

  it("records in-place ops on views of tracked non-leaf tensors (CopySlices)", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    y.select(0, 0).mul_(5);
    expect(y.gradFn?.name).toBe("CopySlices");
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([10, 2]);
  });

  it("records in-place ops on non-leaf tensors", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    y.add_(x);
    expect(y.gradFn?.name).toBe("AddBackward0");
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([4, 4]);
  });

  it("accumulates into leaves until zeroed", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(x).sum().backward();
    x.mul(x).sum().backward();
    expect(x.grad?.toArray()).toEqual([4, 8]);
    x.grad?.zero_();
    x.mul(x).sum().backward();
    expect(x.grad?.toArray()).toEqual([2, 4]);
  });

  it("keeps .grad of non-leaves only with retainGrad()", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const z = x.mul(3);
    y.retainGrad();
    y.add(z).sum().backward();
    expect(y.grad?.toArray()).toEqual([1, 1]);
    expect(z.grad).toBeNull();
  });

  it("runs hooks on gradients and lets them replace the gradient", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const seen: number[][] = [];
    const handle = x.registerHook((g) => {
      seen.push(g.toArray() as number[]);
      return g.mul(10);
    });
    x.mul(2).sum().backward();
    expect(seen).toEqual([[2, 2]]);
    expect(x.grad?.toArray()).toEqual([20, 20]);
    handle.remove();
    x.grad = null;
    x.mul(2).sum().backward();
    expect((x.grad as Tensor | null)?.toArray()).toEqual([2, 2]);
  });

  it("walks a chain of 100,000 ops without overflowing the stack", () => {
    const x = tensor([1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.mul(1);
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([1]);
  }, 60_000); // a depth test, not a timing one: a loaded CI machine may take seconds

  it("builds a differentiable backward with createGraph: d²(x³)/dx² = 6x, d²tanh = -2·tanh·(1-tanh²)", () => {
    const x = tensor([2], { dtype: "float64", requiresGrad: true });
    const [first] = grad(x.pow(3).sum(), x, { createGraph: true });
    expect(first?.toArray()).toEqual([12]);
    const [second] = grad(first!.sum(), x);
    expect(second?.toArray()).toEqual([12]);
    const t = tensor([0.5], { dtype: "float64", requiresGrad: true });
    const [dt] = grad(t.tanh().sum(), t, { createGraph: true });
    const [d2t] = grad(dt!.sum(), t);
    const th = Math.tanh(0.5);
    expect(d2t!.item()).toBeCloseTo(-2 * th * (1 - th * th), 12);
  });

  it("backward({ createGraph: true }) leaves a .grad with a graph", () => {
    const x = tensor([3], { dtype: "float64", requiresGrad: true });
    x.pow(3).sum().backward({ createGraph: true });
    expect(x.grad?.requiresGrad).toBe(true);
    const [second] = grad(x.grad!.sum(), x);
    expect(second?.toArray()).toEqual([18]);
  });
});

describe("grad()", () => {
  it("returns gradients without touching .grad", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const [gx] = grad(x.mul(x).sum(), [x]);
    expect(gx?.toArray()).toEqual([2, 4]);
    expect(x.grad).toBeNull();
  });

  it("rejects unused inputs unless allowUnused", () => {
    const x = tensor([1], { requiresGrad: true });
    const unused = tensor([1], { requiresGrad: true });
    expect(errorOf(() => grad(x.mul(2).sum(), [x, unused])).code).toBe("UNUSED_INPUT");
    expect(grad(x.mul(2).sum(), [x, unused], { allowUnused: true })[1]).toBeNull();
  });

  it("rejects inputs that do not require grad", () => {
    const x = tensor([1], { requiresGrad: true });
    expect(errorOf(() => grad(x.sum(), [tensor([1])])).code).toBe("INVALID_ARGUMENT");
  });
});

describe("custom Function", () => {
  class Square extends AutogradFunction {
    static override forward(ctx: FunctionContext, x: Tensor) {
      ctx.saveForBackward(x);
      return x.mul(x);
    }
    static override backward(ctx: FunctionContext, g: Tensor) {
      const [x] = ctx.savedTensors;
      return g.mul(x!).mul(2);
    }
  }

  it("runs forward without recording and backward through apply()", () => {
    const x = tensor([3], { requiresGrad: true });
    const y = Square.apply(x);
    expect(y.gradFn?.name).toBe("SquareBackward");
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([6]);
  });

  it("checks saved tensors for in-place changes", () => {
    const x = tensor([3], { requiresGrad: true });
    const y = x.mul(1);
    const z = Square.apply(y);
    noGrad(() => y.add_(1));
    expect(errorOf(() => z.sum().backward()).code).toBe("MODIFIED_IN_PLACE");
  });

  it("checks that backward returns one gradient per argument", () => {
    class Bad extends AutogradFunction {
      static override forward(_ctx: FunctionContext, x: Tensor, _scale: number) {
        return x.mul(2);
      }
      static override backward(_ctx: FunctionContext, g: Tensor) {
        return g;
      }
    }
    const x = tensor([1], { requiresGrad: true });
    expect(errorOf(() => Bad.apply(x, 2).sum().backward()).code).toBe("BAD_GRADIENT");
  });
});

describe("teaching diagnostics", () => {
  it("anomaly mode names the op whose gradient became NaN and where it was created", () => {
    const x = tensor([0], { requiresGrad: true });
    const error = errorOf(() => detectAnomaly(() => x.sqrt().mul(0).sum().backward()));
    expect(error.code).toBe("ANOMALY");
    expect(error.message).toMatch(
      /^anomaly: function 'SqrtBackward0' returned nan values in its 0th output/,
    );
    expect(error.message).toContain("behaviour.test.ts");
  });

  it("warns when backward accumulates into a .grad that was not zeroed", () => {
    const messages: string[] = [];
    warnOnGradAccumulation((m) => messages.push(m));
    try {
      const x = tensor([1, 2], { requiresGrad: true });
      x.sum().backward();
      expect(messages).toEqual([]);
      x.sum().backward();
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(
        /^backward\(\): accumulating into a \.grad of shape \[2\] that was not zeroed/,
      );
      x.grad?.zero_();
      x.sum().backward();
      expect(messages).toHaveLength(1);
    } finally {
      warnOnGradAccumulation(false);
    }
  });

  it("the tensor package alone explains which import backward() needs", async () => {
    // @x/autograd is installed in this process; the message is checked in @x/tensor's own tests.
    expect(zeros([1]).requiresGrad).toBe(false);
  });
});
