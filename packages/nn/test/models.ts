/**
 * The models of fixtures/generate.py's MODELS, built with @x/nn by the same name, so the tests
 * compare their printing, names and state dicts with torch's.
 */
import {
  ELU,
  Flatten,
  GELU,
  HuberLoss,
  Identity,
  L1Loss,
  LeakyReLU,
  Linear,
  LogSoftmax,
  Module,
  ModuleDict,
  ModuleList,
  MSELoss,
  Parameter,
  ReLU,
  Sequential,
  Sigmoid,
  SiLU,
  SmoothL1Loss,
  Softmax,
  Softplus,
  Tanh,
  Unflatten,
} from "@x/nn";
import { ones, zeros } from "@x/tensor";

/** Fixture generate.py's `Block`: a Linear, a Sigmoid and two buffers, one not persistent. */
export class Block extends Module {
  fc = new Linear(4, 4);
  act = new Sigmoid();
  constructor() {
    super();
    this.registerBuffer("steps", zeros(1));
    this.registerBuffer("scratch", zeros(2), { persistent: false });
  }
}

/** Fixture generate.py's `Net`: layers as class fields, a nested module and its own Parameter. */
export class Net extends Module {
  flatten = new Flatten();
  fc1 = new Linear(6, 4);
  block = new Block();
  head = new Sequential(new ReLU(), new Linear(4, 2, { bias: false }));
  scale = new Parameter(ones(2));
  unflatten = new Unflatten(1, [2, 1]);
  unflatten1 = new Unflatten(1, [2]);
  id = new Identity();
}

/** The builders of generate.py's MODELS, by name. */
export const MODELS: Record<string, () => Module> = {
  book: () => new Sequential(new Linear(1, 13), new Tanh(), new Linear(13, 1)),
  bookNamed: () =>
    new Sequential({
      hidden_linear: new Linear(1, 8),
      hidden_activation: new Tanh(),
      output_linear: new Linear(8, 1),
    }),
  net: () => new Net(),
  list: () => new ModuleList([new Linear(2, 2), new Tanh(), new Linear(2, 1, { bias: false })]),
  dict: () => new ModuleDict({ act: new ReLU(), proj: new Linear(3, 2), flat: new Flatten(0, 1) }),
  twelve: () =>
    new Sequential(
      ...Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? new Linear(1, 1) : new Tanh())),
    ),
  losses: () =>
    new Sequential(
      new MSELoss(),
      new L1Loss({ reduction: "sum" }),
      new HuberLoss({ delta: 2.0 }),
      new SmoothL1Loss({ beta: 0.5 }),
    ),
  activations: () =>
    new Sequential(
      new GELU(),
      new GELU({ approximate: "tanh" }),
      new SiLU(),
      new LeakyReLU(),
      new LeakyReLU(0.2),
      new LeakyReLU(1e-5),
      new ELU(),
      new ELU(0.5),
      new Softplus(),
      new Softplus({ beta: 2, threshold: 10 }),
      new Softmax(1),
      new LogSoftmax(-1),
    ),
  empty: () => new Sequential(),
  linear: () => new Linear(2, 3),
  linear4: () => new Linear(2, 4),
};

/** The model named `name` (throws for an unknown name, so a renamed fixture model fails loudly). */
export function buildModel(name: string): Module {
  const build = MODELS[name];
  if (build === undefined) throw new Error(`test/models.ts has no model "${name}"`);
  return build();
}
