import "@x/autograd";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiStepLR,
  OptimError,
  type OptimErrorCode,
  ReduceLROnPlateau,
  RMSprop,
  SGD,
  StepLR,
} from "../src/index";

const param = (): Tensor => tensor([1, 2], { requiresGrad: true });
const sgd = () => new SGD([param()]);

function expectOptimError(fn: () => unknown, code: OptimErrorCode, message: string) {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(OptimError.isInstance(caught), `expected an OptimError, got ${String(caught)}`).toBe(true);
  expect(caught).toBeInstanceOf(OptimError);
  expect((caught as OptimError).code).toBe(code);
  expect((caught as OptimError).message).toBe(message);
}

type Case = [string, () => unknown, OptimErrorCode, string];

const LR_HINT = "Hint: pass a non-negative lr, e.g. { lr: 1e-3 }.";
const WD_HINT = "Hint: use 0 to disable weight decay.";

const optimizerCases: Case[] = [
  [
    "SGD negative lr",
    () => new SGD([param()], { lr: -0.1 }),
    "INVALID_HYPERPARAMETER",
    `SGD: invalid learning rate: -0.1, expected lr >= 0 (options). ${LR_HINT}`,
  ],
  [
    "SGD NaN lr",
    () => new SGD([param()], { lr: Number.NaN }),
    "INVALID_HYPERPARAMETER",
    `SGD: invalid learning rate: NaN, expected lr >= 0 (options). ${LR_HINT}`,
  ],
  [
    "SGD lr as a string",
    () => new SGD([param()], { lr: "0.1" as unknown as number }),
    "INVALID_HYPERPARAMETER",
    `SGD: invalid learning rate: "0.1", expected lr >= 0 (options). ${LR_HINT}`,
  ],
  [
    "SGD negative momentum",
    () => new SGD([param()], { momentum: -1 }),
    "INVALID_HYPERPARAMETER",
    "SGD: invalid momentum value: -1, expected momentum >= 0 (options). Hint: use 0 for plain SGD or e.g. 0.9.",
  ],
  [
    "SGD negative weightDecay",
    () => new SGD([param()], { weightDecay: -1 }),
    "INVALID_HYPERPARAMETER",
    `SGD: invalid weightDecay value: -1, expected weightDecay >= 0 (options). ${WD_HINT}`,
  ],
  [
    "SGD nesterov without momentum",
    () => new SGD([param()], { nesterov: true }),
    "INVALID_HYPERPARAMETER",
    "SGD: Nesterov momentum requires a momentum and zero dampening, expected momentum > 0 and dampening 0 vs got momentum 0 and dampening 0 (options). Hint: pass { momentum: 0.9, dampening: 0, nesterov: true }, or drop nesterov.",
  ],
  [
    "SGD nesterov with dampening",
    () => new SGD([param()], { nesterov: true, momentum: 0.9, dampening: 0.1 }),
    "INVALID_HYPERPARAMETER",
    "SGD: Nesterov momentum requires a momentum and zero dampening, expected momentum > 0 and dampening 0 vs got momentum 0.9 and dampening 0.1 (options). Hint: pass { momentum: 0.9, dampening: 0, nesterov: true }, or drop nesterov.",
  ],
  [
    "SGD non-boolean flag",
    () => new SGD([param()], { maximize: 1 as unknown as boolean }),
    "INVALID_HYPERPARAMETER",
    "SGD: invalid maximize: 1, expected true or false (options). Hint: pass a boolean, e.g. { maximize: true }.",
  ],
  [
    "SGD snake_case option",
    () => new SGD([param()], { weight_decay: 0.1 } as never),
    "UNKNOWN_OPTION",
    "SGD: unknown option 'weight_decay', expected one of lr, momentum, dampening, weightDecay, nesterov, maximize (options). Hint: options are camelCase: use 'weightDecay'.",
  ],
  [
    "SGD unknown option",
    () => new SGD([param()], { beta: 0.9 } as never),
    "UNKNOWN_OPTION",
    "SGD: unknown option 'beta', expected one of lr, momentum, dampening, weightDecay, nesterov, maximize (options). Hint: remove it; the options of SGD are lr, momentum, dampening, weightDecay, nesterov, maximize.",
  ],
  [
    "SGD bad lr in a group",
    () => new SGD([{ params: [param()] }, { params: [param()], lr: -1 }], { lr: 0.1 }),
    "INVALID_HYPERPARAMETER",
    `SGD: invalid learning rate: -1, expected lr >= 0 (param group 1). ${LR_HINT}`,
  ],
  [
    "SGD unknown option in a group",
    () => new SGD([{ params: [param()], momentun: 0.9 } as never]),
    "UNKNOWN_OPTION",
    "SGD: unknown option 'momentun', expected one of lr, momentum, dampening, weightDecay, nesterov, maximize (param group 0). Hint: remove it; the options of SGD are lr, momentum, dampening, weightDecay, nesterov, maximize.",
  ],
  [
    "an empty parameter list",
    () => new SGD([]),
    "EMPTY_PARAMETER_LIST",
    "SGD: optimizer got an empty parameter list, expected at least one tensor. Hint: pass the tensors to train, e.g. new SGD([params], { lr: 1e-2 }).",
  ],
  [
    "a bare tensor",
    () => new Adam(param() as never),
    "INVALID_PARAMETER",
    "Adam: params must be an array of tensors or of parameter groups, but got a Tensor (shape [2]). Hint: wrap it in an array: new Adam([params], ...).",
  ],
  [
    "a number",
    () => new SGD(3 as never),
    "INVALID_PARAMETER",
    "SGD: params must be an array of tensors or of parameter groups, but got number. Hint: new SGD([w, b], { lr: 1e-2 }).",
  ],
  [
    "a non-tensor parameter",
    () => new SGD([param(), 3] as never),
    "INVALID_PARAMETER",
    "SGD: optimizer can only optimize Tensors, but parameter 1 of param group 0 is number. Hint: pass tensors created with { requiresGrad: true }.",
  ],
  [
    "a group without a params array",
    () => new SGD([{ params: 3 }] as never),
    "INVALID_PARAMETER",
    "SGD: 'params' of a parameter group must be an array of tensors, but got number (param group 0). Hint: { params: [w, b] }.",
  ],
  [
    "a parameter that does not require grad",
    () => new SGD([tensor([1, 2])]),
    "PARAMETER_DOES_NOT_REQUIRE_GRAD",
    "SGD: parameter 0 of param group 0 (shape [2]) does not require grad, so it would never get a gradient. Hint: create it with { requiresGrad: true } or call requiresGrad_() first.",
  ],
  [
    "a non-leaf parameter",
    () => new SGD([param().mul(2)]),
    "NON_LEAF_PARAMETER",
    "SGD: can't optimize a non-leaf Tensor: parameter 0 of param group 0 (shape [2]) was computed by MulBackward0, expected a leaf. Hint: optimize the tensor it was computed from, or a fresh leaf: x.detach().clone().requiresGrad_().",
  ],
  [
    "the same tensor in two groups",
    () => {
      const p = param();
      return new SGD([{ params: [p] }, { params: [tensor([0], { requiresGrad: true }), p] }]);
    },
    "DUPLICATE_PARAMETER",
    "SGD: some parameters appear in more than one parameter group: parameter 1 of param group 1 (shape [2]) is already in param group 0. Hint: list each tensor in one group only.",
  ],
  [
    "the same tensor twice in a group",
    () => {
      const p = param();
      return new SGD([p, p]);
    },
    "DUPLICATE_PARAMETER",
    "SGD: parameter 1 of param group 0 (shape [2]) is the same tensor as parameter 0 of that group, expected each tensor once. Hint: list each tensor once; it would be updated twice per step.",
  ],
  [
    "addParamGroup with an optimized tensor",
    () => {
      const p = param();
      new SGD([p]).addParamGroup({ params: [p] });
    },
    "DUPLICATE_PARAMETER",
    "SGD: some parameters appear in more than one parameter group: parameter 0 of param group 1 (shape [2]) is already in param group 0. Hint: list each tensor in one group only.",
  ],
  [
    "Adam beta 0 out of range",
    () => new Adam([param()], { betas: [1.2, 0.999] }),
    "INVALID_HYPERPARAMETER",
    "Adam: invalid beta parameter at index 0: 1.2, expected 0 <= betas[0] < 1 (options). Hint: typical betas are [0.9, 0.999].",
  ],
  [
    "Adam beta 1 equal to 1",
    () => new Adam([param()], { betas: [0.9, 1] }),
    "INVALID_HYPERPARAMETER",
    "Adam: invalid beta parameter at index 1: 1, expected 0 <= betas[1] < 1 (options). Hint: typical betas are [0.9, 0.999].",
  ],
  [
    "Adam negative beta",
    () => new Adam([param()], { betas: [-0.1, 0.999] }),
    "INVALID_HYPERPARAMETER",
    "Adam: invalid beta parameter at index 0: -0.1, expected 0 <= betas[0] < 1 (options). Hint: typical betas are [0.9, 0.999].",
  ],
  [
    "Adam betas of the wrong length",
    () => new Adam([param()], { betas: [0.9] as never }),
    "INVALID_HYPERPARAMETER",
    "Adam: invalid betas: [0.9], expected an array of two numbers (options). Hint: pass e.g. { betas: [0.9, 0.999] }.",
  ],
  [
    "Adam negative eps",
    () => new Adam([param()], { eps: -1e-8 }),
    "INVALID_HYPERPARAMETER",
    "Adam: invalid epsilon value: -1e-8, expected eps >= 0 (options). Hint: use a small positive eps such as 1e-8.",
  ],
  [
    "Adam negative lr",
    () => new Adam([param()], { lr: -1 }),
    "INVALID_HYPERPARAMETER",
    `Adam: invalid learning rate: -1, expected lr >= 0 (options). ${LR_HINT}`,
  ],
  [
    "Adam negative weightDecay",
    () => new Adam([param()], { weightDecay: -0.1 }),
    "INVALID_HYPERPARAMETER",
    `Adam: invalid weightDecay value: -0.1, expected weightDecay >= 0 (options). ${WD_HINT}`,
  ],
  [
    "Adam non-boolean amsgrad",
    () => new Adam([param()], { amsgrad: "yes" as never }),
    "INVALID_HYPERPARAMETER",
    'Adam: invalid amsgrad: "yes", expected true or false (options). Hint: pass a boolean, e.g. { amsgrad: true }.',
  ],
  [
    "AdamW negative lr",
    () => new AdamW([param()], { lr: -1 }),
    "INVALID_HYPERPARAMETER",
    `AdamW: invalid learning rate: -1, expected lr >= 0 (options). ${LR_HINT}`,
  ],
  [
    "AdamW beta out of range",
    () => new AdamW([param()], { betas: [0.9, 1.5] }),
    "INVALID_HYPERPARAMETER",
    "AdamW: invalid beta parameter at index 1: 1.5, expected 0 <= betas[1] < 1 (options). Hint: typical betas are [0.9, 0.999].",
  ],
  [
    "AdamW snake_case option",
    () => new AdamW([param()], { weight_decay: 0 } as never),
    "UNKNOWN_OPTION",
    "AdamW: unknown option 'weight_decay', expected one of lr, betas, eps, weightDecay, amsgrad, maximize (options). Hint: options are camelCase: use 'weightDecay'.",
  ],
  [
    "RMSprop negative lr",
    () => new RMSprop([param()], { lr: -1 }),
    "INVALID_HYPERPARAMETER",
    `RMSprop: invalid learning rate: -1, expected lr >= 0 (options). ${LR_HINT}`,
  ],
  [
    "RMSprop negative alpha",
    () => new RMSprop([param()], { alpha: -0.5 }),
    "INVALID_HYPERPARAMETER",
    "RMSprop: invalid alpha value: -0.5, expected alpha >= 0 (options). Hint: use a smoothing constant such as 0.99.",
  ],
  [
    "RMSprop negative eps",
    () => new RMSprop([param()], { eps: -1 }),
    "INVALID_HYPERPARAMETER",
    "RMSprop: invalid epsilon value: -1, expected eps >= 0 (options). Hint: use a small positive eps such as 1e-8.",
  ],
  [
    "RMSprop negative momentum",
    () => new RMSprop([param()], { momentum: -0.9 }),
    "INVALID_HYPERPARAMETER",
    "RMSprop: invalid momentum value: -0.9, expected momentum >= 0 (options). Hint: use 0 (none) or e.g. 0.9.",
  ],
  [
    "RMSprop negative weightDecay",
    () => new RMSprop([param()], { weightDecay: -1 }),
    "INVALID_HYPERPARAMETER",
    `RMSprop: invalid weightDecay value: -1, expected weightDecay >= 0 (options). ${WD_HINT}`,
  ],
  [
    "RMSprop non-boolean centered",
    () => new RMSprop([param()], { centered: null as never }),
    "INVALID_HYPERPARAMETER",
    "RMSprop: invalid centered: null, expected true or false (options). Hint: pass a boolean, e.g. { centered: true }.",
  ],
  [
    "Adagrad negative lr",
    () => new Adagrad([param()], { lr: -1 }),
    "INVALID_HYPERPARAMETER",
    `Adagrad: invalid learning rate: -1, expected lr >= 0 (options). ${LR_HINT}`,
  ],
  [
    "Adagrad negative lrDecay",
    () => new Adagrad([param()], { lrDecay: -1 }),
    "INVALID_HYPERPARAMETER",
    "Adagrad: invalid lrDecay value: -1, expected lrDecay >= 0 (options). Hint: use 0 for no decay.",
  ],
  [
    "Adagrad negative weightDecay",
    () => new Adagrad([param()], { weightDecay: -1 }),
    "INVALID_HYPERPARAMETER",
    `Adagrad: invalid weightDecay value: -1, expected weightDecay >= 0 (options). ${WD_HINT}`,
  ],
  [
    "Adagrad negative initialAccumulatorValue",
    () => new Adagrad([param()], { initialAccumulatorValue: -1 }),
    "INVALID_HYPERPARAMETER",
    "Adagrad: invalid initialAccumulatorValue value: -1, expected initialAccumulatorValue >= 0 (options). Hint: use 0 or a small positive value such as 0.1.",
  ],
  [
    "Adagrad negative eps",
    () => new Adagrad([param()], { eps: -1 }),
    "INVALID_HYPERPARAMETER",
    "Adagrad: invalid epsilon value: -1, expected eps >= 0 (options). Hint: use a small positive eps such as 1e-10.",
  ],
];

const schedulerCases: Case[] = [
  [
    "StepLR without an optimizer",
    () => new StepLR({} as never, { stepSize: 1 }),
    "INVALID_ARGUMENT",
    "StepLR: expected an Optimizer vs got object. Hint: new StepLR(optimizer, { ... }) with an optimizer such as new SGD([params]).",
  ],
  [
    "StepLR stepSize 0",
    () => new StepLR(sgd(), { stepSize: 0 }),
    "INVALID_HYPERPARAMETER",
    "StepLR: invalid stepSize: 0, expected an integer >= 1 (options). Hint: pass a whole number, e.g. { stepSize: 10 }.",
  ],
  [
    "StepLR NaN gamma",
    () => new StepLR(sgd(), { stepSize: 1, gamma: Number.NaN }),
    "INVALID_HYPERPARAMETER",
    "StepLR: invalid gamma: NaN, expected a finite number (options). Hint: pass a decay factor such as { gamma: 0.1 }.",
  ],
  [
    "StepLR lastEpoch below -1",
    () => new StepLR(sgd(), { stepSize: 2, lastEpoch: -2 }),
    "INVALID_HYPERPARAMETER",
    "StepLR: invalid lastEpoch: -2, expected an integer >= -1 (options). Hint: use -1 to start fresh, or the last finished epoch when resuming.",
  ],
  [
    "resuming without initialLr",
    () => new StepLR(sgd(), { stepSize: 2, lastEpoch: 3 }),
    "MISSING_INITIAL_LR",
    "StepLR: param 'initialLr' is not specified in paramGroups[0] when resuming an optimizer with lastEpoch 3, expected a number. Hint: set initialLr in each group (or pass lastEpoch -1 to start fresh).",
  ],
  [
    "MultiStepLR fractional milestone",
    () => new MultiStepLR(sgd(), { milestones: [1.5] }),
    "INVALID_HYPERPARAMETER",
    "MultiStepLR: invalid milestones: [1.5], expected an array of integer epochs (options). Hint: pass e.g. { milestones: [30, 80] }.",
  ],
  [
    "ExponentialLR without gamma",
    () => new ExponentialLR(sgd(), {} as never),
    "INVALID_HYPERPARAMETER",
    "ExponentialLR: invalid gamma: undefined, expected a finite number (options). Hint: pass a decay factor such as { gamma: 0.99 }.",
  ],
  [
    "CosineAnnealingLR tMax 0",
    () => new CosineAnnealingLR(sgd(), { tMax: 0 }),
    "INVALID_HYPERPARAMETER",
    "CosineAnnealingLR: invalid tMax: 0, expected an integer >= 1 (options). Hint: pass a whole number, e.g. { tMax: 10 }.",
  ],
  [
    "CosineAnnealingLR infinite etaMin",
    () => new CosineAnnealingLR(sgd(), { tMax: 5, etaMin: Infinity }),
    "INVALID_HYPERPARAMETER",
    "CosineAnnealingLR: invalid etaMin: Infinity, expected a finite number (options). Hint: pass a minimum learning rate such as { etaMin: 0 }.",
  ],
  [
    "LambdaLR with too many functions",
    () => new LambdaLR(sgd(), [(e) => e, (e) => e]),
    "INVALID_ARGUMENT",
    "LambdaLR: expected 1 lrLambda function(s), one per parameter group, vs got an array of 2. Hint: pass one function, e.g. (epoch) => 0.95 ** epoch, or an array with one per group.",
  ],
  [
    "LambdaLR with a number",
    () => new LambdaLR(sgd(), { lrLambda: 0.5 as never }),
    "INVALID_ARGUMENT",
    "LambdaLR: expected 1 lrLambda function(s), one per parameter group, vs got number. Hint: pass one function, e.g. (epoch) => 0.95 ** epoch, or an array with one per group.",
  ],
  [
    "LinearLR startFactor 0",
    () => new LinearLR(sgd(), { startFactor: 0 }),
    "INVALID_HYPERPARAMETER",
    "LinearLR: invalid startFactor: 0, expected 0 < startFactor <= 1 (options). Hint: factors multiply the initial learning rate, e.g. { startFactor: 0.1, endFactor: 1 }.",
  ],
  [
    "LinearLR endFactor 2",
    () => new LinearLR(sgd(), { endFactor: 2 }),
    "INVALID_HYPERPARAMETER",
    "LinearLR: invalid endFactor: 2, expected 0 <= endFactor <= 1 (options). Hint: factors multiply the initial learning rate, e.g. { startFactor: 0.1, endFactor: 1 }.",
  ],
  [
    "LinearLR totalIters 0",
    () => new LinearLR(sgd(), { totalIters: 0 }),
    "INVALID_HYPERPARAMETER",
    "LinearLR: invalid totalIters: 0, expected an integer >= 1 (options). Hint: pass a whole number, e.g. { totalIters: 10 }.",
  ],
  [
    "ReduceLROnPlateau factor 1",
    () => new ReduceLROnPlateau(sgd(), { factor: 1 }),
    "INVALID_HYPERPARAMETER",
    "ReduceLROnPlateau: invalid factor: 1, expected 0 <= factor < 1 (options). Hint: factor should be < 1.0, e.g. { factor: 0.1 }.",
  ],
  [
    "ReduceLROnPlateau unknown mode",
    () => new ReduceLROnPlateau(sgd(), { mode: "up" as never }),
    "INVALID_HYPERPARAMETER",
    "ReduceLROnPlateau: mode \"up\" is unknown, expected one of 'min', 'max' (options). Hint: pass e.g. { mode: 'min' }.",
  ],
  [
    "ReduceLROnPlateau unknown thresholdMode",
    () => new ReduceLROnPlateau(sgd(), { thresholdMode: "x" as never }),
    "INVALID_HYPERPARAMETER",
    "ReduceLROnPlateau: thresholdMode \"x\" is unknown, expected one of 'rel', 'abs' (options). Hint: pass e.g. { thresholdMode: 'rel' }.",
  ],
  [
    "ReduceLROnPlateau minLr per group",
    () => new ReduceLROnPlateau(sgd(), { minLr: [0, 1] }),
    "INVALID_ARGUMENT",
    "ReduceLROnPlateau: expected 1 minLr value(s), one per parameter group, vs got 2. Hint: pass one number for all groups, or an array with one per group.",
  ],
  [
    "ReduceLROnPlateau negative patience",
    () => new ReduceLROnPlateau(sgd(), { patience: -1 }),
    "INVALID_HYPERPARAMETER",
    "ReduceLROnPlateau: invalid patience: -1, expected an integer >= 0 (options). Hint: pass a whole number, e.g. { patience: 10 }.",
  ],
  [
    "ReduceLROnPlateau negative threshold",
    () => new ReduceLROnPlateau(sgd(), { threshold: -1 }),
    "INVALID_HYPERPARAMETER",
    "ReduceLROnPlateau: invalid threshold: -1, expected threshold >= 0 (options). Hint: use e.g. { threshold: 1e-4 }.",
  ],
  [
    "ReduceLROnPlateau negative minLr",
    () => new ReduceLROnPlateau(sgd(), { minLr: -1 }),
    "INVALID_HYPERPARAMETER",
    "ReduceLROnPlateau: invalid minLr: -1, expected minLr >= 0 (options). Hint: use 0 for no lower bound.",
  ],
  [
    "ReduceLROnPlateau.step without a metric",
    () => new ReduceLROnPlateau(sgd()).step(undefined as never),
    "INVALID_ARGUMENT",
    "ReduceLROnPlateau.step: expected the metric as a number or a one-element tensor vs got undefined. Hint: scheduler.step(valLoss).",
  ],
];

describe("optimizer constructors reject bad input with torch's checks", () => {
  it.each(optimizerCases)("%s", (_, fn, code, message) => expectOptimError(fn, code, message));
});

describe("scheduler constructors reject bad input", () => {
  it.each(schedulerCases)("%s", (_, fn, code, message) => expectOptimError(fn, code, message));
});

describe("OptimError", () => {
  it("carries a stable code, the API name and a cross-bundle marker", () => {
    const error = new OptimError("INVALID_ARGUMENT", "SGD", "bad.");
    expect(error.name).toBe("OptimError");
    expect(error.api).toBe("SGD");
    expect(error.message).toBe("SGD: bad.");
    expect(OptimError.isInstance(error)).toBe(true);
    expect(OptimError.isInstance(new Error("SGD: bad."))).toBe(false);
    expect(OptimError.isInstance(null)).toBe(false);
    // a copy of the package from another bundle is recognized through the Symbol.for marker
    expect(OptimError.isInstance({ [Symbol.for("@x/optim/OptimError")]: true })).toBe(true);
  });

  it("a rejected option leaves nothing half-built: a valid construction still works", () => {
    const p = param();
    expect(() => new SGD([p], { lr: -1 })).toThrow(OptimError);
    expect(new SGD([p], { lr: 1 }).paramGroups[0]?.params[0]).toBe(p);
  });
});
