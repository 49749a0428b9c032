// Chapter 6's two models on the thermometer data, trained side by side one epoch at a time: the
// network Sequential(Linear(1, H), Tanh(), Linear(H, 1)) and the single Linear(1, 1).
import { noGrad } from "@x/autograd";
import { Linear, Sequential, Tanh } from "@x/nn";
import { mseLoss } from "@x/nn/functional";
import { SGD } from "@x/optim";
import { linspace, manualSeed, type Tensor, tensor } from "@x/tensor";
import { trainingStep } from "./compiled-step";
import { BOOK_SPLIT, T_C, T_U } from "./thermometer";

/** The settings of one run. */
export interface NetsOptions {
  /** Hidden units of the network (the book: 13). */
  hidden: number;
  /** The network's SGD learning rate (the book: 1e-3). */
  lr: number;
  /** `manualSeed` before the models are built: their initial weights are torch's for it. */
  seed: number;
}

/** The losses after one epoch, recorded before that epoch's optimizer step, as the book prints. */
export interface NetsRecord {
  epoch: number;
  network: number;
  networkVal: number;
  linear: number;
}

/** The linear model's learning rate in the book (section 6.3.1). */
export const LINEAR_LR = 1e-2;

/** A column [n, 1] of the chosen samples' values, as the book's `unsqueeze(1)`. */
const column = (values: readonly number[], indices: readonly number[]): Tensor =>
  tensor(indices.map((i) => values[i] as number)).unsqueeze(1);

/** Both models, their optimizers and the book's split of the data (t_u × 0.1 as input). */
export class ThermometerNets {
  readonly network: Sequential;
  readonly linear: Linear;
  readonly records: NetsRecord[] = [];
  epoch = 0;
  private readonly networkOptimizer: SGD;
  private readonly linearOptimizer: SGD;
  private readonly xTrain = column(T_U, BOOK_SPLIT.train).mul(0.1);
  private readonly yTrain = column(T_C, BOOK_SPLIT.train);
  private readonly xVal = column(T_U, BOOK_SPLIT.val).mul(0.1);
  private readonly yVal = column(T_C, BOOK_SPLIT.val);

  constructor(options: NetsOptions) {
    manualSeed(options.seed);
    this.network = new Sequential(
      new Linear(1, options.hidden),
      new Tanh(),
      new Linear(options.hidden, 1),
    );
    this.linear = new Linear(1, 1);
    this.networkOptimizer = new SGD(this.network.parameters(), { lr: options.lr });
    this.linearOptimizer = new SGD(this.linear.parameters(), { lr: LINEAR_LR });
  }

  /** One epoch of the book's training loop for each model. */
  step(): NetsRecord {
    this.epoch++;
    const [network, networkVal] = this.networkStep();
    const record = {
      epoch: this.epoch,
      network: network.item() as number,
      networkVal: networkVal.item() as number,
      linear: this.linearStep().item() as number,
    };
    this.records.push(record);
    return record;
  }

  /** Both models' predictions (°C) at `n` readings from `from` to `to` in raw t_u units. */
  curves(from: number, to: number, n: number): { tU: number; network: number; linear: number }[] {
    const tU = linspace(from, to, n).unsqueeze(1);
    const [network, linear] = noGrad(() =>
      [this.network, this.linear].map((m) => m.forward(tU.mul(0.1)).toArray() as number[][]),
    );
    return (tU.toArray() as number[][]).map(([x], i) => ({
      tU: x as number,
      network: network![i]![0] as number,
      linear: linear![i]![0] as number,
    }));
  }

  /** The network's step, with its validation loss measured before the update (as the book). */
  private readonly networkStep = trainingStep(() => {
    const val = noGrad(() => mseLoss(this.network.forward(this.xVal), this.yVal));
    return [trainStep(this.network, this.networkOptimizer, this.xTrain, this.yTrain), val];
  });

  private readonly linearStep = trainingStep(() =>
    trainStep(this.linear, this.linearOptimizer, this.xTrain, this.yTrain),
  );
}

/** The book's training loop body: forward, loss, zeroGrad, backward, step; returns the loss. */
function trainStep(model: Linear | Sequential, optimizer: SGD, x: Tensor, y: Tensor): Tensor {
  const loss = mseLoss(model.forward(x), y);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  return loss;
}
