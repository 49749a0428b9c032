import { Adagrad, Adam, AdamW, RMSprop, SGD } from "@x/optim";
import type { Tensor } from "@x/tensor";
import { usageError } from "./errors";

/** The optimizers `--optimizer` offers. */
export type OptimizerName = "sgd" | "adam" | "adamw" | "rmsprop" | "adagrad";

/** The names, for `--optimizer`'s choices. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = [
  "sgd",
  "adam",
  "adamw",
  "rmsprop",
  "adagrad",
];

/** The optimizer settings the command line can set. */
export interface OptimizerSettings {
  name: OptimizerName;
  lr: number;
  momentum?: number | undefined;
}

/** An @x/optim optimizer (what `fit` and checkpoints use of it). */
export type Optimizer = SGD | Adam | AdamW | RMSprop | Adagrad;

/** Display names, as in torch.optim. */
export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  sgd: "SGD",
  adam: "Adam",
  adamw: "AdamW",
  rmsprop: "RMSprop",
  adagrad: "Adagrad",
};

const TAKES_MOMENTUM: readonly OptimizerName[] = ["sgd", "rmsprop"];

/** Builds the optimizer over `params` with torch.optim's defaults for everything not given. */
export function createOptimizer(params: Tensor[], settings: OptimizerSettings): Optimizer {
  const { name, lr, momentum } = settings;
  if (momentum !== undefined && !TAKES_MOMENTUM.includes(name)) {
    throw usageError(
      `--momentum applies to sgd and rmsprop, but the optimizer is ${name}. Hint: drop --momentum (Adam-style optimizers have their own betas), or pass --optimizer sgd.`,
    );
  }
  const withMomentum = momentum === undefined ? { lr } : { lr, momentum };
  switch (name) {
    case "sgd":
      return new SGD(params, withMomentum);
    case "adam":
      return new Adam(params, { lr });
    case "adamw":
      return new AdamW(params, { lr });
    case "rmsprop":
      return new RMSprop(params, withMomentum);
    case "adagrad":
      return new Adagrad(params, { lr });
  }
}

/** How the settings read in a summary (`SGD lr 0.01`, `SGD lr 0.01 momentum 0.9`). */
export function describeOptimizer(settings: OptimizerSettings): string {
  const momentum = settings.momentum === undefined ? "" : ` momentum ${settings.momentum}`;
  return `${OPTIMIZER_LABELS[settings.name]} lr ${settings.lr}${momentum}`;
}
