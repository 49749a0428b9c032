import "@x/autograd";
import { tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  CosineAnnealingLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  type LrLambda,
  MultiStepLR,
  ReduceLROnPlateau,
  SGD,
  StepLR,
} from "../src/index";
import { expectClose, fixture, type Schedule } from "./fixture";

// The LambdaLR functions of generate.py, by name.
const LAMBDAS: Record<string, LrLambda> = {
  pow095: (epoch) => 0.95 ** epoch,
  inverse: (epoch) => 1 / (1 + epoch),
};

function optimizerFor(schedule: Schedule) {
  return new SGD(
    schedule.baseLrs.map((lr, i) => ({
      params: [tensor([0], { requiresGrad: true })],
      lr,
      ...(schedule.initialLrs ? { initialLr: schedule.initialLrs[i] } : {}),
    })),
    { lr: 0.1 },
  );
}

function makeScheduler(schedule: Schedule, optimizer: SGD) {
  const options = schedule.options as never;
  switch (schedule.scheduler) {
    case "StepLR":
      return new StepLR(optimizer, options);
    case "MultiStepLR":
      return new MultiStepLR(optimizer, options);
    case "ExponentialLR":
      return new ExponentialLR(optimizer, options);
    case "CosineAnnealingLR":
      return new CosineAnnealingLR(optimizer, options);
    case "LinearLR":
      return new LinearLR(optimizer, options);
    case "LambdaLR": {
      const names = (schedule.options as { lrLambda: string | string[] }).lrLambda;
      const lrLambda = Array.isArray(names) ? names.map((n) => LAMBDAS[n]!) : LAMBDAS[names]!;
      return new LambdaLR(optimizer, { ...(schedule.options as object), lrLambda });
    }
    case "ReduceLROnPlateau":
      return new ReduceLROnPlateau(optimizer, options);
    default:
      throw new Error(`unknown scheduler ${schedule.scheduler}`);
  }
}

function run(schedule: Schedule): number[][] {
  const optimizer = optimizerFor(schedule);
  const scheduler = makeScheduler(schedule, optimizer);
  const lrs = [optimizer.paramGroups.map((group) => group.lr)];
  for (let step = 0; step < schedule.lrs.length - 1; step++) {
    optimizer.step();
    if (scheduler instanceof ReduceLROnPlateau) scheduler.step(schedule.metrics?.[step] as number);
    else scheduler.step();
    expect(scheduler.getLastLr()).toEqual(optimizer.paramGroups.map((group) => group.lr));
    lrs.push(scheduler.getLastLr());
  }
  return lrs;
}

describe("learning-rate schedules match PyTorch's", () => {
  // Exact except where V8's Math.cos / ** and glibc's cos / pow differ in the last bit.
  it.each(fixture.schedulers.map((schedule) => [schedule.name, schedule] as const))(
    "%s",
    (_, schedule) => {
      expectClose(run(schedule), schedule.lrs, 1e-13, 0, `${schedule.name} learning rates`);
    },
  );
});

describe("schedulers", () => {
  const sgd = (lr = 0.1) => new SGD([tensor([0], { requiresGrad: true })], { lr });

  it("records initialLr in every group and reports the epoch-0 learning rates right away", () => {
    const optimizer = sgd(0.5);
    const scheduler = new LinearLR(optimizer, { startFactor: 0.5 });
    expect(optimizer.paramGroups[0]?.initialLr).toBe(0.5);
    expect(scheduler.getLastLr()).toEqual([0.25]);
    expect(scheduler.baseLrs).toEqual([0.5]);
    expect(scheduler.lastEpoch).toBe(0);
  });

  it("carry learning-rate changes made from outside (recursive form, as torch)", () => {
    const optimizer = sgd(1);
    const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
    scheduler.step();
    optimizer.paramGroups[0]!.lr = 10;
    scheduler.step();
    expect(scheduler.getLastLr()).toEqual([5]);
  });

  it("getLastLr returns a copy", () => {
    const scheduler = new ExponentialLR(sgd(), { gamma: 0.5 });
    scheduler.getLastLr()[0] = 42;
    expect(scheduler.getLastLr()).toEqual([0.1]);
  });

  it("LambdaLR accepts the function itself, and leaves it out of the state dict", () => {
    const scheduler = new LambdaLR(sgd(1), (epoch) => 1 / (epoch + 1));
    scheduler.step();
    expect(scheduler.getLastLr()).toEqual([0.5]);
    expect(JSON.parse(JSON.stringify(scheduler.stateDict()))).toEqual({
      lastEpoch: 1,
      stepCount: 2,
      baseLrs: [1],
      lastLr: [0.5],
      settings: {},
    });
  });

  it("state dicts round-trip through JSON and continue the schedule", () => {
    const straight = new CosineAnnealingLR(sgd(), { tMax: 5, etaMin: 0.01 });
    for (let i = 0; i < 12; i++) straight.step();
    const optimizer = sgd();
    const first = new CosineAnnealingLR(optimizer, { tMax: 5, etaMin: 0.01 });
    for (let i = 0; i < 6; i++) first.step();
    const saved = JSON.parse(
      JSON.stringify({ optimizer: optimizer.stateDict(), scheduler: first.stateDict() }),
    );
    const freshOptimizer = sgd();
    const fresh = new CosineAnnealingLR(freshOptimizer, { tMax: 99 }); // settings come from the dict
    freshOptimizer.loadStateDict(saved.optimizer);
    fresh.loadStateDict(saved.scheduler);
    for (let i = 0; i < 6; i++) fresh.step();
    expect(fresh.getLastLr()).toEqual(straight.getLastLr());
    expect(fresh.stateDict()).toEqual(straight.stateDict());
  });

  it("loadStateDict rejects another scheduler's state", () => {
    const scheduler = new StepLR(sgd(), { stepSize: 3 });
    const other = new CosineAnnealingLR(sgd(), { tMax: 3 }).stateDict();
    expect(() => scheduler.loadStateDict(other as never)).toThrow(
      "StepLR.loadStateDict: expected settings stepSize, gamma vs got tMax, etaMin. Hint: load a state saved by a StepLR.",
    );
    const plateau = new ReduceLROnPlateau(sgd());
    expect(() => plateau.loadStateDict({ ...plateau.stateDict(), minLrs: [] })).toThrow(
      "ReduceLROnPlateau.loadStateDict: expected a state with 1 minLrs (one per parameter group) vs got 0. Hint: pass scheduler.stateDict() from a ReduceLROnPlateau over the same optimizer groups.",
    );
  });

  it("loadStateDict rejects a state for another number of groups", () => {
    const scheduler = new StepLR(sgd(), { stepSize: 3 });
    expect(() =>
      scheduler.loadStateDict({ ...scheduler.stateDict(), baseLrs: [0.1, 0.2] }),
    ).toThrow(
      "StepLR.loadStateDict: expected a state with 1 baseLrs (one per parameter group) vs got 2. Hint: pass scheduler.stateDict() from a scheduler over the same optimizer groups.",
    );
  });
});

describe("ReduceLROnPlateau", () => {
  const sgd = () => new SGD([tensor([0], { requiresGrad: true })], { lr: 1 });

  it("reduces after more than `patience` epochs without improvement, then cools down", () => {
    const optimizer = sgd();
    const scheduler = new ReduceLROnPlateau(optimizer, { patience: 1, cooldown: 1, factor: 0.5 });
    expect(scheduler.getLastLr()).toEqual([1]);
    const lrs = [5, 5, 5, 5, 5, 5].map((metric) => {
      scheduler.step(metric);
      return scheduler.getLastLr()[0];
    });
    expect(lrs).toEqual([1, 1, 0.5, 0.5, 0.5, 0.25]);
  });

  it("takes a one-element tensor as the metric", () => {
    const scheduler = new ReduceLROnPlateau(sgd(), { patience: 0 });
    scheduler.step(tensor(3));
    scheduler.step(tensor([3]));
    expect(scheduler.getLastLr()).toEqual([0.1]);
  });

  it("saves best = Infinity as JSON and resumes", () => {
    const optimizer = sgd();
    const scheduler = new ReduceLROnPlateau(optimizer, { patience: 2 });
    const saved = JSON.parse(JSON.stringify(scheduler.stateDict()));
    expect(saved.best).toBe("Infinity");
    const other = new ReduceLROnPlateau(sgd(), { mode: "max" });
    other.loadStateDict(saved);
    for (const metric of [3, 3, 3, 3]) {
      scheduler.step(metric);
      other.step(metric);
    }
    expect(other.stateDict()).toEqual(scheduler.stateDict());
  });
});
