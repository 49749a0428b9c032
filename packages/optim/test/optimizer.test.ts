import { AutogradError, isGradEnabled, noGrad } from "@x/autograd";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { Adagrad, Adam, AdamW, RMSprop, SGD, StepLR } from "../src/index";

const leaf = (values: number[]) => tensor(values, { requiresGrad: true });

describe("parameter groups", () => {
  it("a list of tensors is one group holding every option, defaults filled in", () => {
    const w = leaf([1]);
    const optimizer = new SGD([w], { lr: 0.1 });
    expect(optimizer.paramGroups).toHaveLength(1);
    const { params, ...options } = optimizer.paramGroups[0]!;
    expect(params).toHaveLength(1);
    expect(params[0]).toBe(w); // tensors by identity: deep equality would iterate into them
    expect(options).toEqual({
      lr: 0.1,
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
    });
    expect(optimizer.defaults).toEqual({
      lr: 0.1,
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
    });
  });

  it("per-group options fall back to the optimizer's options, then to torch's defaults", () => {
    const [w, b] = [leaf([1]), leaf([2])];
    const optimizer = new Adam(
      [
        { params: [w], betas: [0.5, 0.9] },
        { params: b, lr: 0.5 },
      ],
      { lr: 0.01 },
    );
    expect(optimizer.paramGroups.map((group) => group.params.length)).toEqual([1, 1]);
    expect(optimizer.paramGroups[0]?.params[0]).toBe(w);
    expect(optimizer.paramGroups[1]?.params[0]).toBe(b);
    expect(optimizer.paramGroups.map(({ params: _, ...options }) => options)).toEqual([
      { lr: 0.01, betas: [0.5, 0.9], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false },
      { lr: 0.5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false },
    ]);
  });

  it("has torch's defaults for every optimizer (AdamW's weight decay is 1e-2)", () => {
    const { params: _a, ...sgd } = new SGD([leaf([1])]).paramGroups[0]!;
    const { params: _b, ...adam } = new Adam([leaf([1])]).paramGroups[0]!;
    const { params: _c, ...adamw } = new AdamW([leaf([1])]).paramGroups[0]!;
    const { params: _d, ...rmsprop } = new RMSprop([leaf([1])]).paramGroups[0]!;
    const { params: _e, ...adagrad } = new Adagrad([leaf([1])]).paramGroups[0]!;
    expect(sgd).toEqual({
      lr: 1e-3,
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
    });
    expect(adam).toEqual({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      maximize: false,
    });
    expect(adamw).toEqual({ ...adam, weightDecay: 1e-2 });
    expect(rmsprop).toEqual({
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      maximize: false,
    });
    expect(adagrad).toEqual({
      lr: 1e-2,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
      maximize: false,
    });
  });

  it("copies option values: changing the caller's betas array later changes nothing", () => {
    const betas: [number, number] = [0.9, 0.999];
    const optimizer = new Adam([leaf([1])], { betas });
    betas[0] = 0.1;
    expect(optimizer.paramGroups[0]?.betas).toEqual([0.9, 0.999]);
  });

  it("accepts any iterable of tensors (e.g. a generator)", () => {
    const w = leaf([1]);
    function* params() {
      yield w;
    }
    const group = new SGD(params()).paramGroups[0]!;
    expect(group.params).toHaveLength(1);
    expect(group.params[0]).toBe(w);
  });

  it("addParamGroup adds a group that the next step updates", () => {
    const [w, b] = [leaf([1]), leaf([2])];
    const optimizer = new SGD([w], { lr: 0.1 });
    optimizer.addParamGroup({ params: [b], lr: 1 });
    w.grad = tensor([1]);
    b.grad = tensor([1]);
    optimizer.step();
    expect(w.toArray()).toEqual([Math.fround(1 - Math.fround(0.1))]);
    expect(b.toArray()).toEqual([1]);
    expect(optimizer.paramGroups[1]).toMatchObject({ lr: 1, momentum: 0 });
  });

  it("the learning rate can be changed between steps by editing paramGroups", () => {
    const w = leaf([1]);
    const optimizer = new SGD([w], { lr: 0.5 });
    w.grad = tensor([1]);
    optimizer.step();
    optimizer.paramGroups[0]!.lr = 0.25;
    optimizer.step();
    expect(w.toArray()).toEqual([0.25]);
  });
});

describe("zeroGrad", () => {
  it("sets gradients to null by default (torch 2.x)", () => {
    const w = leaf([1, 2]);
    const optimizer = new SGD([w]);
    w.mul(3).sum().backward();
    optimizer.zeroGrad();
    expect(w.grad).toBeNull();
  });

  it("fills them with zeros with setToNone: false", () => {
    const w = leaf([1, 2]);
    const optimizer = new SGD([w]);
    w.mul(3).sum().backward();
    optimizer.zeroGrad({ setToNone: false });
    expect(w.grad?.toArray()).toEqual([0, 0]);
    expect(w.grad?.requiresGrad).toBe(false);
    w.mul(2).sum().backward();
    expect(w.grad?.toArray()).toEqual([2, 2]);
  });

  it("zeros a gradient that carries a graph (createGraph) by detaching it first", () => {
    const w = leaf([1, 2]);
    const optimizer = new SGD([w]);
    w.mul(w).sum().backward({ createGraph: true });
    expect(w.grad?.requiresGrad).toBe(true);
    optimizer.zeroGrad({ setToNone: false });
    expect(w.grad?.toArray()).toEqual([0, 0]);
    expect(w.grad?.gradFn).toBeNull();
  });
});

describe("step", () => {
  it("skips parameters whose gradient is null, and creates no state for them", () => {
    const [w, b] = [leaf([1]), leaf([2])];
    const optimizer = new Adam([w, b], { lr: 0.1 });
    w.grad = tensor([1]);
    optimizer.step();
    expect(b.toArray()).toEqual([2]);
    expect(optimizer.state.has(b)).toBe(false);
    expect(w.toArray()).not.toEqual([1]);
    expect(Object.keys(optimizer.state.get(w) ?? {}).sort()).toEqual([
      "expAvg",
      "expAvgSq",
      "step",
    ]);
  });

  it("updates in place without recording a graph, and restores grad mode", () => {
    const w = leaf([1, 2]);
    const optimizer = new SGD([w], { lr: 0.1, momentum: 0.9 });
    w.mul(w).sum().backward();
    optimizer.step();
    expect(isGradEnabled()).toBe(true);
    expect(w.isLeaf).toBe(true);
    expect(w.requiresGrad).toBe(true);
    expect(w.gradFn).toBeNull();
    expect((optimizer.state.get(w)!.momentumBuffer as Tensor).requiresGrad).toBe(false);
  });

  it("bumps the parameter's version, so a graph built before the step refuses backward", () => {
    const w = leaf([1, 2]);
    const optimizer = new SGD([w], { lr: 0.1 });
    const loss = w.mul(w).sum();
    w.grad = tensor([1, 1]);
    optimizer.step();
    let error: unknown;
    try {
      loss.backward();
    } catch (caught) {
      error = caught;
    }
    expect(AutogradError.isInstance(error) && error.code).toBe("MODIFIED_IN_PLACE");
  });

  it("works inside noGrad too, and returns the closure's loss (evaluated with grad enabled)", () => {
    const w = leaf([3]);
    const optimizer = new SGD([w], { lr: 0.1 });
    const loss = noGrad(() =>
      optimizer.step(() => {
        optimizer.zeroGrad();
        const value = w.mul(w).sum();
        value.backward();
        return value;
      }),
    );
    expect(loss?.item()).toBe(9);
    expect(w.toArray()).toEqual([Math.fround(3 - Math.fround(0.1) * 6)]);
    expect(new SGD([w]).step()).toBeUndefined();
  });

  it("rejects a gradient whose shape is not the parameter's", () => {
    const w = leaf([1, 2]);
    const optimizer = new SGD([w]);
    w.grad = tensor([1, 2, 3]);
    expect(() => optimizer.step()).toThrow(
      "SGD.step: the gradient of parameter 0 of param group 0 has shape [3], expected the parameter's shape [2]. Hint: assign .grad a tensor of the parameter's shape, or let backward() compute it.",
    );
    expect(w.toArray()).toEqual([1, 2]);
  });

  it("keeps a parameter's gradient untouched", () => {
    const w = leaf([1, 2]);
    const optimizer = new Adam([w], { lr: 0.1, maximize: true, weightDecay: 0.1 });
    w.grad = tensor([0.5, -0.5]);
    optimizer.step();
    expect(w.grad.toArray()).toEqual([0.5, -0.5]);
  });

  it("creates each optimizer's state as torch does", () => {
    const state = (make: (p: Tensor[]) => { step(): unknown; state: Map<Tensor, object> }) => {
      const w = leaf([1, 2]);
      const optimizer = make([w]);
      w.grad = tensor([1, 1]);
      optimizer.step();
      return Object.keys(optimizer.state.get(w) ?? {}).sort();
    };
    expect(state((p) => new SGD(p))).toEqual([]);
    expect(state((p) => new SGD(p, { momentum: 0.9 }))).toEqual(["momentumBuffer"]);
    expect(state((p) => new Adam(p, { amsgrad: true }))).toEqual([
      "expAvg",
      "expAvgSq",
      "maxExpAvgSq",
      "step",
    ]);
    expect(state((p) => new RMSprop(p))).toEqual(["squareAvg", "step"]);
    expect(state((p) => new RMSprop(p, { momentum: 0.5, centered: true }))).toEqual([
      "gradAvg",
      "momentumBuffer",
      "squareAvg",
      "step",
    ]);
    expect(state((p) => new Adagrad(p))).toEqual(["step", "sum"]);
  });

  it("Adagrad creates its state at construction (step 0, sum = initialAccumulatorValue), also for added groups", () => {
    const [w, b] = [leaf([1, 2]), leaf([3])];
    const optimizer = new Adagrad([w], { initialAccumulatorValue: 0.5 });
    optimizer.addParamGroup({ params: [b], initialAccumulatorValue: 0.25 });
    expect(optimizer.state.get(w)?.step).toBe(0);
    expect((optimizer.state.get(w)!.sum as Tensor).toArray()).toEqual([0.5, 0.5]);
    expect((optimizer.state.get(b)!.sum as Tensor).toArray()).toEqual([0.25]);
  });

  it("reads the learning rate a scheduler set at every step", () => {
    const w = leaf([0]);
    const optimizer = new SGD([w], { lr: 1 });
    const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    for (let i = 0; i < 3; i++) {
      w.grad = tensor([-1]);
      optimizer.step();
      scheduler.step();
    }
    expect(w.toArray()).toEqual([1.75]);
  });
});
