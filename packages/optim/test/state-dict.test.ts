import "@x/autograd";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  LinearLR,
  type LRScheduler,
  MultiStepLR,
  OptimError,
  type Optimizer,
  type OptimizerStateDict,
  RMSprop,
  SGD,
  StepLR,
} from "../src/index";
import { makeProblem, type Problem, values } from "./fixture";

type Make = (params: Tensor[]) => Optimizer;
const configs: [string, Make][] = [
  [
    "SGD momentum nesterov",
    (p) => new SGD(p, { lr: 1e-2, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }),
  ],
  [
    "SGD two groups",
    (p) =>
      new SGD(
        [
          { params: [p[0]!], momentum: 0.5 },
          { params: [p[1]!], lr: 3e-2 },
        ],
        { lr: 1e-2 },
      ),
  ],
  ["Adam", (p) => new Adam(p, { lr: 1e-2 })],
  ["Adam amsgrad maximize", (p) => new Adam(p, { lr: 1e-2, amsgrad: true, weightDecay: 0.1 })],
  ["AdamW", (p) => new AdamW(p, { lr: 1e-2, betas: [0.8, 0.99] })],
  ["RMSprop centered momentum", (p) => new RMSprop(p, { lr: 1e-3, centered: true, momentum: 0.5 })],
  [
    "Adagrad lrDecay",
    (p) => new Adagrad(p, { lr: 0.5, lrDecay: 0.01, initialAccumulatorValue: 0.1 }),
  ],
];

function trainSteps(
  problem: Problem,
  optimizer: Optimizer,
  steps: number,
  scheduler?: LRScheduler,
) {
  for (let i = 0; i < steps; i++) {
    optimizer.zeroGrad();
    problem.loss().backward();
    optimizer.step();
    scheduler?.step();
  }
}

/** Fresh parameters holding `saved` values (a "restart" of the program). */
function restoreParams(problem: Problem, saved: number[][]): void {
  problem.params.forEach((param, i) => {
    param.detach().copy_(tensor(saved[i] as number[]).reshape(param.shape.slice()));
  });
}

const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("stateDict round trips: train N, save as JSON, load into a fresh optimizer, continue = straight run", () => {
  it.each(configs)("%s", (_, make) => {
    const straight = makeProblem("lstsq");
    trainSteps(straight, make(straight.params), 80);

    const first = makeProblem("lstsq");
    const optimizer = make(first.params);
    trainSteps(first, optimizer, 40);
    const checkpoint = viaJson({ params: values(first.params), optimizer: optimizer.stateDict() });

    const resumed = makeProblem("lstsq");
    restoreParams(resumed, checkpoint.params);
    const fresh = make(resumed.params);
    fresh.loadStateDict(checkpoint.optimizer);
    expect(viaJson(fresh.stateDict())).toEqual(checkpoint.optimizer);
    trainSteps(resumed, fresh, 40);
    expect(values(resumed.params)).toEqual(values(straight.params));
  });

  it("restores the group options too (a fresh optimizer built with other options continues the saved run)", () => {
    const straight = makeProblem("lstsq");
    trainSteps(straight, new Adam(straight.params, { lr: 5e-2, betas: [0.8, 0.99] }), 30);
    const first = makeProblem("lstsq");
    const optimizer = new Adam(first.params, { lr: 5e-2, betas: [0.8, 0.99] });
    trainSteps(first, optimizer, 15);
    const saved = viaJson(optimizer.stateDict());
    const fresh = new Adam(first.params);
    fresh.loadStateDict(saved);
    expect(fresh.paramGroups[0]).toMatchObject({ lr: 5e-2, betas: [0.8, 0.99] });
    trainSteps(first, fresh, 15);
    expect(values(first.params)).toEqual(values(straight.params));
  });

  it.each([
    ["StepLR", (o: Optimizer) => new StepLR(o, { stepSize: 7, gamma: 0.5 })],
    ["MultiStepLR", (o: Optimizer) => new MultiStepLR(o, { milestones: [10, 25, 25] })],
    ["CosineAnnealingLR", (o: Optimizer) => new CosineAnnealingLR(o, { tMax: 12, etaMin: 1e-4 })],
    ["LinearLR", (o: Optimizer) => new LinearLR(o, { startFactor: 0.2, totalIters: 30 })],
  ] as const)("with a %s scheduler", (_, makeScheduler) => {
    const straight = makeProblem("thermometer");
    const straightOptimizer = new SGD(straight.params, { lr: 1e-2, momentum: 0.9 });
    const straightScheduler = makeScheduler(straightOptimizer);
    trainSteps(straight, straightOptimizer, 40, straightScheduler);

    const first = makeProblem("thermometer");
    const optimizer = new SGD(first.params, { lr: 1e-2, momentum: 0.9 });
    const scheduler = makeScheduler(optimizer);
    trainSteps(first, optimizer, 20, scheduler);
    const saved = viaJson({
      params: values(first.params),
      optimizer: optimizer.stateDict(),
      scheduler: scheduler.stateDict(),
    });

    const resumed = makeProblem("thermometer");
    restoreParams(resumed, saved.params);
    const freshOptimizer = new SGD(resumed.params, { lr: 1e-2, momentum: 0.9 });
    const freshScheduler = makeScheduler(freshOptimizer);
    freshOptimizer.loadStateDict(saved.optimizer);
    freshScheduler.loadStateDict(saved.scheduler as never);
    expect(freshScheduler.stateDict()).toEqual(saved.scheduler);
    expect(freshOptimizer.paramGroups[0]?.initialLr).toBe(1e-2);
    trainSteps(resumed, freshOptimizer, 20, freshScheduler);
    expect(values(resumed.params)).toEqual(values(straight.params));
    expect(freshScheduler.getLastLr()).toEqual(straightScheduler.getLastLr());
  });
});

describe("state dicts are plain JSON", () => {
  it("lists options and parameter positions per group, and per-parameter state as {dtype, shape, data}", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const b = tensor(0.5, { requiresGrad: true });
    const optimizer = new Adam([{ params: [w] }, { params: [b], lr: 0.1 }], { amsgrad: true });
    w.grad = tensor([0.5, -1]);
    optimizer.step(); // b has no gradient: skipped, no state
    expect(optimizer.stateDict()).toEqual({
      state: {
        "0": {
          expAvg: { dtype: "float32", shape: [2], data: [Math.fround(0.05), Math.fround(-0.1)] },
          expAvgSq: {
            dtype: "float32",
            shape: [2],
            data: [Math.fround(Math.fround(0.001) * 0.5 * 0.5), Math.fround(0.001)],
          },
          maxExpAvgSq: {
            dtype: "float32",
            shape: [2],
            data: [Math.fround(Math.fround(0.001) * 0.5 * 0.5), Math.fround(0.001)],
          },
          step: 1,
        },
      },
      paramGroups: [
        {
          lr: 1e-3,
          betas: [0.9, 0.999],
          eps: 1e-8,
          weightDecay: 0,
          amsgrad: true,
          maximize: false,
          params: [0],
        },
        {
          lr: 0.1,
          betas: [0.9, 0.999],
          eps: 1e-8,
          weightDecay: 0,
          amsgrad: true,
          maximize: false,
          params: [1],
        },
      ],
    });
  });

  it("keeps NaN and ±Infinity through JSON.stringify (spelled as strings)", () => {
    const p = tensor([1, 2, 3], { requiresGrad: true });
    const optimizer = new SGD([p], { momentum: 0.9 });
    p.grad = tensor([Infinity, -Infinity, Number.NaN]);
    optimizer.step();
    const saved = viaJson(optimizer.stateDict());
    expect(saved.state["0"]?.momentumBuffer).toEqual({
      dtype: "float32",
      shape: [3],
      data: ["Infinity", "-Infinity", "NaN"],
    });
    const q = tensor([0, 0, 0], { requiresGrad: true });
    const fresh = new SGD([q], { momentum: 0.9 });
    fresh.loadStateDict(saved);
    expect((fresh.state.get(q)!.momentumBuffer as Tensor).toArray()).toEqual([
      Infinity,
      -Infinity,
      Number.NaN,
    ]);
  });

  it("loads state as new tensors (later steps do not write into the saved dict or the other optimizer)", () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const q = tensor([1, 2], { requiresGrad: true });
    const a = new SGD([p], { momentum: 0.9 });
    p.grad = tensor([1, 1]);
    a.step();
    const saved = a.stateDict();
    const b = new SGD([q], { momentum: 0.9 });
    b.loadStateDict(saved);
    q.grad = tensor([5, 5]);
    b.step();
    expect(saved.state["0"]?.momentumBuffer).toEqual({
      dtype: "float32",
      shape: [2],
      data: [1, 1],
    });
    expect((a.state.get(p)!.momentumBuffer as Tensor).toArray()).toEqual([1, 1]);
  });
});

describe("loadStateDict rejects a state dict that does not fit", () => {
  const make = () => new SGD([tensor([1, 2], { requiresGrad: true })], { momentum: 0.9 });
  const saved = (): OptimizerStateDict => {
    const optimizer = make();
    const [p] = optimizer.paramGroups[0]!.params;
    p!.grad = tensor([1, 1]);
    optimizer.step();
    return viaJson(optimizer.stateDict());
  };
  const cases: [string, () => void, string][] = [
    [
      "not a state dict",
      () => make().loadStateDict({} as never),
      "SGD.loadStateDict: expected an object with 'state' and 'paramGroups', as returned by stateDict(). Hint: pass optimizer.stateDict() (or its JSON.parse'd copy).",
    ],
    [
      "another number of groups",
      () => make().loadStateDict({ ...saved(), paramGroups: [] }),
      "SGD.loadStateDict: loaded state dict has a different number of parameter groups, expected 1 vs got 0. Hint: build the optimizer with the same parameter groups as the one that was saved.",
    ],
    [
      "a group of another size",
      () => {
        const dict = saved();
        dict.paramGroups[0]!.params = [0, 1];
        make().loadStateDict(dict);
      },
      "SGD.loadStateDict: loaded state dict contains a parameter group that doesn't match the size of optimizer's group, expected 1 parameters vs got 2 (param group 0). Hint: build the optimizer with the same parameters as the one that was saved.",
    ],
    [
      "a state for a missing parameter",
      () => {
        const dict = saved();
        dict.state["3"] = dict.state["0"]!;
        make().loadStateDict(dict);
      },
      "SGD.loadStateDict: state key '3' does not name a parameter, expected 0 to 0. Hint: pass a state dict saved from an optimizer over the same parameters.",
    ],
    [
      "a state tensor of another shape",
      () =>
        new SGD([tensor([1, 2, 3], { requiresGrad: true })], { momentum: 0.9 }).loadStateDict(
          saved(),
        ),
      "SGD.loadStateDict: state 'momentumBuffer' of parameter 0 has shape [2] with 2 values, expected the parameter's shape [3] (3 values). Hint: load a state dict saved from an optimizer over the same parameters, in the same order.",
    ],
    [
      "an invalid option value",
      () => {
        const dict = saved();
        dict.paramGroups[0]!.lr = -1;
        make().loadStateDict(dict);
      },
      "SGD: invalid learning rate: -1, expected lr >= 0 (param group 0). Hint: pass a non-negative lr, e.g. { lr: 1e-3 }.",
    ],
  ];
  it.each(cases)("%s", (_, load, message) => {
    const optimizer = make();
    expect(load).toThrow(OptimError);
    expect(load).toThrow(message);
    expect(optimizer.state.size).toBe(0);
  });

  it("leaves the optimizer unchanged when loading fails", () => {
    const optimizer = make();
    const [p] = optimizer.paramGroups[0]!.params;
    p!.grad = tensor([2, 2]);
    optimizer.step();
    const before = optimizer.stateDict();
    const dict = saved();
    dict.state["0"]!.momentumBuffer = { dtype: "float32", shape: [3], data: [1, 2, 3] };
    expect(() => optimizer.loadStateDict(dict)).toThrow(OptimError);
    expect(optimizer.stateDict()).toEqual(before);
  });
});
