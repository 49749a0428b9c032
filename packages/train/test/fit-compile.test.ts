/**
 * `fit({ compile })`: the training and validation steps run through `compile` from `@x/compile`
 * by default (`'auto'`). Everything fit reports — the records, what callbacks and early stopping
 * see, the parameters, their gradients, the optimizer and scheduler state — is the same bit for
 * bit compiled and eager.
 */
import "@x/autograd";
import { CompileError } from "@x/compile";
import { DataLoader, TensorDataset } from "@x/data";
import { Linear, Sequential, Tanh } from "@x/nn";
import { Adam, AdamW, type Optimizer, ReduceLROnPlateau, RMSprop, SGD, StepLR } from "@x/optim";
import { Generator, manualSeed, type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  type CompileMode,
  DivergenceError,
  type FitOptions,
  fit,
  fitAsync,
  mseLoss,
  saveCheckpoint,
} from "../src/index";
import { expectTrainError, linearModel, tC, thrownBy, tU } from "./helpers";

const x = tU.mul(0.1);
const train = { x: x.narrow(0, 0, 8), y: tC.narrow(0, 0, 8) };
const val = { x: x.narrow(0, 8, 3), y: tC.narrow(0, 8, 3) };

/** The raw bits of a float32 tensor (and of its `.grad`), for exact comparison. */
function bits(t: Tensor | null): number[] {
  return t === null ? [] : Array.from(new Uint32Array(Float32Array.from(t.toTypedArray()).buffer));
}

/** A fresh run: the options fit gets, and the tensors and state to compare afterwards. */
interface Setup {
  options: Omit<FitOptions, "compile" | "onEpoch">;
  params: Tensor[];
  optimizer: Optimizer;
  scheduler?: { stateDict(): unknown };
}

/** Everything a user can see of a run, with every epoch's parameters as `onEpoch` sees them. */
function observed(setup: Setup, history: ReturnType<typeof fit>, seen: number[][][]) {
  return {
    records: history.records.map(({ ms: _ms, ...rest }) => rest),
    stopReason: history.stopReason,
    restoredEpoch: history.restoredEpoch,
    seen,
    params: setup.params.map(bits),
    grads: setup.params.map((p) => bits(p.grad)),
    optimizer: setup.optimizer.stateDict(),
    scheduler: setup.scheduler?.stateDict(),
    checkpoint: Array.from(
      saveCheckpoint({
        params: Object.fromEntries(setup.params.map((p, i) => [`p${i}`, p])),
        optimizer: setup.optimizer,
      }),
    ),
  };
}

function run(build: () => Setup, compile: CompileMode) {
  const setup = build();
  const seen: number[][][] = [];
  const history = fit({
    ...setup.options,
    compile,
    onEpoch: () => {
      seen.push(setup.params.map(bits));
    },
  });
  return observed(setup, history, seen);
}

/** Runs `build` eagerly, compiled, and with the default; all three must match bit for bit. */
function expectSameBits(build: () => Setup): void {
  const eager = run(build, false);
  expect(eager.records.length).toBeGreaterThan(0);
  expect(run(build, true)).toEqual(eager);
  expect(run(build, "auto")).toEqual(eager);
}

/** The book's linear model `x·w + b` on params [w, b]. */
function book(
  makeOptimizer: (params: Tensor[]) => Optimizer,
  rest: Partial<FitOptions> = {},
): () => Setup {
  return () => {
    const params = tensor([1, 0], { requiresGrad: true });
    const optimizer = makeOptimizer([params]);
    return {
      params: [params],
      optimizer,
      options: {
        model: linearModel(params),
        lossFn: mseLoss,
        optimizer,
        train,
        epochs: 100,
        ...rest,
      },
    };
  };
}

const sgd = (params: Tensor[]) => new SGD(params, { lr: 1e-2 });

describe("fit({ compile }): the same bits compiled and eager", () => {
  it("the book's loop (full batch, SGD)", () => {
    expectSameBits(book(sgd));
  });

  it("the book's loop with validation and early stopping that restores the best epoch", () => {
    // validation wants the opposite of training, so its best epoch comes early and is restored
    const opposite = { x: val.x, y: val.y.neg() };
    expectSameBits(book(sgd, { val: opposite, earlyStopping: { patience: 5, restoreBest: true } }));
  });

  for (const [name, makeOptimizer] of [
    ["Adam", (p: Tensor[]) => new Adam(p, { lr: 0.1 })],
    ["AdamW", (p: Tensor[]) => new AdamW(p, { lr: 0.1, weightDecay: 0.1 })],
    ["RMSprop", (p: Tensor[]) => new RMSprop(p, { lr: 1e-2, momentum: 0.5 })],
  ] as const) {
    it(`${name} steps, with validation`, () => {
      expectSameBits(book(makeOptimizer, { val }));
    });
  }

  it("a StepLR scheduler changing the learning rate between epochs", () => {
    expectSameBits(() => {
      const setup = book(sgd, { val })();
      const scheduler = new StepLR(setup.optimizer, { stepSize: 10, gamma: 0.5 });
      return { ...setup, scheduler, options: { ...setup.options, scheduler } };
    });
  });

  it("ReduceLROnPlateau fed the validation loss", () => {
    expectSameBits(() => {
      const setup = book((p) => new SGD(p, { lr: 5e-2 }), { val })();
      const scheduler = new ReduceLROnPlateau(setup.optimizer, { patience: 2, factor: 0.5 });
      return { ...setup, scheduler, options: { ...setup.options, scheduler } };
    });
  });

  it("an @x/nn model (Sequential Linear, Tanh, Linear) with Adam and validation", () => {
    expectSameBits(() => {
      manualSeed(0);
      const model = new Sequential(new Linear(1, 13), new Tanh(), new Linear(13, 1));
      const params = [...model.parameters()];
      const optimizer = new Adam(params, { lr: 1e-2 });
      const column = (d: typeof train) => ({ x: d.x.unsqueeze(1), y: d.y.unsqueeze(1) });
      return {
        params,
        optimizer,
        options: {
          model,
          lossFn: mseLoss,
          optimizer,
          train: column(train),
          val: column(val),
          epochs: 100,
        },
      };
    });
  });

  it("a shuffling DataLoader for training and one for validation", () => {
    expectSameBits(() => {
      const setup = book(sgd)();
      const generator = new Generator().manualSeed(7);
      const loader = new DataLoader(new TensorDataset(train.x, train.y), {
        batchSize: 3,
        shuffle: true,
        generator,
      });
      const valLoader = new DataLoader(new TensorDataset(val.x, val.y), { batchSize: 2 });
      return {
        ...setup,
        options: { ...setup.options, train: loader, val: valLoader, epochs: 30 },
      };
    });
  });

  it("full-batch training validated on a DataLoader", () => {
    const valLoader = new DataLoader(new TensorDataset(val.x, val.y), { batchSize: 2 });
    expectSameBits(book(sgd, { val: valLoader, epochs: 40 }));
  });

  it("fitAsync compiles too", async () => {
    const results = [];
    for (const compile of [false, true] as const) {
      const setup = book(sgd, { val })();
      const history = await fitAsync({ ...setup.options, compile });
      results.push(observed(setup, history, []));
    }
    expect(results[1]).toEqual(results[0]);
  });

  it("reports a divergence at the same epoch, with the same loss and history", () => {
    const errors = [false, true].map((compile) => {
      const setup = book(sgd, { train: { x: tU, y: tC } })();
      const error = thrownBy(() => fit({ ...setup.options, compile })) as DivergenceError;
      expect(error).toBeInstanceOf(DivergenceError);
      const records = error.history?.records.map(({ ms: _ms, ...rest }) => rest);
      return { message: error.message, epoch: error.epoch, loss: error.loss, records };
    });
    expect(errors[0]?.epoch).toBeGreaterThan(1);
    expect(errors[1]).toEqual(errors[0]);
  });
});

describe("fit({ compile }): what is compiled", () => {
  /** The `.grad` storage of every epoch: a replayed plan writes the same buffer again. */
  function gradStorages(compile: CompileMode | undefined): unknown[] {
    const params = tensor([1, 0], { requiresGrad: true });
    const storages: unknown[] = [];
    fit({
      model: linearModel(params),
      lossFn: mseLoss,
      optimizer: new SGD([params], { lr: 1e-2 }),
      train,
      epochs: 5,
      onEpoch: () => {
        storages.push(params.grad?.storage);
      },
      ...(compile === undefined ? {} : { compile }),
    });
    return storages;
  }

  it("compiles the step by default: replays write the plan's buffers", () => {
    const storages = gradStorages(undefined);
    expect(new Set(storages.slice(1)).size).toBe(1);
  });

  it("runs eagerly with compile: false (a new gradient every epoch)", () => {
    expect(new Set(gradStorages(false)).size).toBe(5);
  });

  /** A loss that reads a value mid-step: the step cannot be captured. */
  function readingLoss(compile: CompileMode) {
    const params = tensor([1, 0], { requiresGrad: true });
    const lossFn = (prediction: Tensor, target: Tensor): Tensor => {
      const loss = mseLoss(prediction, target);
      return (loss.item() as number) > 1e6 ? loss.mul(0.5) : loss;
    };
    const history = fit({
      model: linearModel(params),
      lossFn,
      optimizer: new SGD([params], { lr: 1e-2 }),
      train,
      val,
      epochs: 20,
      compile,
    });
    return { records: history.records.map(({ ms: _ms, ...rest }) => rest), params: bits(params) };
  }

  it("falls back to eager under 'auto' when the step cannot be captured (same results)", () => {
    expect(readingLoss("auto")).toEqual(readingLoss(false));
  });

  it("throws the CompileError under compile: true when the step cannot be captured", () => {
    const error = thrownBy(() => readingLoss(true)) as CompileError;
    expect(CompileError.isInstance(error)).toBe(true);
    expect({ code: error.code, op: error.op }).toEqual({ code: "UNCAPTURABLE_READ", op: "item" });
  });

  it("rejects a compile value other than true, false or 'auto'", async () => {
    const params = tensor([1, 0], { requiresGrad: true });
    const options = {
      model: linearModel(params),
      lossFn: mseLoss,
      optimizer: new SGD([params], { lr: 1e-2 }),
      train,
      epochs: 1,
    };
    for (const [value, shown] of [
      ["on", '"on"'],
      [1, "1"],
      [null, "null"],
    ] as const) {
      expectTrainError(
        () => fit({ ...options, compile: value as unknown as CompileMode }),
        "INVALID_OPTION",
        `fit: compile must be true, false or "auto", but got ${shown}. Hint: leave it out (the default "auto" compiles the step when it can be captured), or pass compile: false to run eagerly.`,
      );
    }
    await expect(fitAsync({ ...options, compile: "yes" as never })).rejects.toThrow(
      'fitAsync: compile must be true, false or "auto", but got "yes".',
    );
  });
});
