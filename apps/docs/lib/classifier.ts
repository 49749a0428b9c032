// A small classifier trained in the browser: a seeded 2-D dataset (two moons or three spirals),
// an MLP from @x/nn, softmax cross-entropy and an optimizer from @x/optim.
import { noGrad } from "@x/autograd";
import { Linear, ReLU, Sequential, Tanh } from "@x/nn";
import { crossEntropy } from "@x/nn/functional";
import { Adam, SGD } from "@x/optim";
import {
  arange,
  cat,
  Generator,
  linspace,
  manualSeed,
  rand,
  randn,
  stack,
  type Tensor,
} from "@x/tensor";
import { trainingStep } from "./compiled-step";

export type DatasetName = "moons" | "spirals";
export type ActivationName = "relu" | "tanh";
export type OptimizerName = "adam" | "sgd";

/** Points `x` [n, 2] (float32) and their classes `y` [n] (int64). */
export interface Dataset {
  x: Tensor;
  y: Tensor;
  classes: number;
  /** The drawing's extent: x and y from … to. */
  extent: { x: [number, number]; y: [number, number] };
}

/**
 * Two interleaving half circles (scikit-learn's `make_moons`), `perClass` points each, with
 * Gaussian noise of standard deviation `noise`; the same seed gives the same points.
 */
export function twoMoons(perClass: number, noise: number, generator: Generator): Dataset {
  const t = rand(perClass, { generator }).mul(Math.PI);
  const upper = stack([t.cos(), t.sin()], 1);
  const lower = stack([t.cos().neg().add(1), t.sin().neg().add(0.5)], 1);
  const x = cat([upper, lower]).add(randn(2 * perClass, 2, { generator }).mul(noise));
  const y = arange(2).repeatInterleave(perClass);
  return { x, y, classes: 2, extent: { x: [-1.6, 2.6], y: [-1.1, 1.6] } };
}

/** `classes` spiral arms winding out from the centre (CS231n's toy data), noisy angles. */
export function spirals(perClass: number, classes: number, generator: Generator): Dataset {
  const radius = linspace(0, 1, perClass);
  const arms = Array.from({ length: classes }, (_, k) => {
    const angle = linspace(k * 4, (k + 1) * 4, perClass).add(
      randn(perClass, { generator }).mul(0.2),
    );
    return stack([radius.mul(angle.sin()), radius.mul(angle.cos())], 1);
  });
  const y = arange(classes).repeatInterleave(perClass);
  return { x: cat(arms), y, classes, extent: { x: [-1.1, 1.1], y: [-1.1, 1.1] } };
}

/** The dataset `name`, drawn from a generator seeded with `seed`. */
export function makeDataset(name: DatasetName, seed: number): Dataset {
  const generator = new Generator().manualSeed(seed);
  return name === "moons" ? twoMoons(100, 0.15, generator) : spirals(80, 3, generator);
}

/** The settings of one run. */
export interface ClassifierOptions {
  dataset: DatasetName;
  hidden: number;
  activation: ActivationName;
  optimizer: OptimizerName;
  lr: number;
  /** Seeds the data and, through `manualSeed`, the model's initial weights. */
  seed: number;
}

/** The loss and training accuracy of one epoch, before its optimizer step. */
export interface ClassifierRecord {
  epoch: number;
  loss: number;
  accuracy: number;
}

/** The predicted class and its softmax probability at each point of a grid over the extent. */
export interface Regions {
  /** Row-major, row 0 at the bottom (y = extent.y[0]); `n` × `n`. */
  label: number[];
  confidence: number[];
  n: number;
}

/** A two-hidden-layer MLP, its optimizer and the data, trained one full-batch epoch per step. */
export class ClassifierRun {
  readonly data: Dataset;
  readonly model: Sequential;
  readonly records: ClassifierRecord[] = [];
  epoch = 0;
  private readonly optimizer: Adam | SGD;

  constructor(options: ClassifierOptions) {
    this.data = makeDataset(options.dataset, options.seed);
    manualSeed(options.seed);
    const act = () => (options.activation === "relu" ? new ReLU() : new Tanh());
    const h = options.hidden;
    this.model = new Sequential(
      new Linear(2, h),
      act(),
      new Linear(h, h),
      act(),
      new Linear(h, this.data.classes),
    );
    this.optimizer =
      options.optimizer === "adam"
        ? new Adam(this.model.parameters(), { lr: options.lr })
        : new SGD(this.model.parameters(), { lr: options.lr, momentum: 0.9 });
  }

  /** One epoch: forward, cross-entropy, backward, optimizer step. */
  step(): ClassifierRecord {
    this.epoch++;
    const [loss, correct] = this.trainStep(this.data.x, this.data.y);
    const record = {
      epoch: this.epoch,
      loss: loss.item() as number,
      accuracy: (correct.item() as number) / (this.data.y.shape[0] as number),
    };
    this.records.push(record);
    return record;
  }

  /** The step, compiled: returns the loss and the count of correct predictions, both before it. */
  private readonly trainStep = trainingStep((x: Tensor, y: Tensor) => {
    const logits = this.model.forward(x);
    const loss = crossEntropy(logits, y);
    const correct = noGrad(() => logits.argmax(1).eq(y).sum());
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    return [loss, correct] as const;
  });

  /** The model's decision over an `n` × `n` grid covering the data's extent. */
  regions(n: number): Regions {
    const { x: xs, y: ys } = this.data.extent;
    const gx = linspace(xs[0], xs[1], n).reshape([1, n]).expand([n, n]);
    const gy = linspace(ys[0], ys[1], n).reshape([n, 1]).expand([n, n]);
    const points = stack([gx.reshape([-1]), gy.reshape([-1])], 1);
    const probabilities = noGrad(() => this.model.forward(points).softmax(1));
    const { values, indices } = probabilities.max(1);
    return {
      label: indices.toArray() as number[],
      confidence: values.toArray() as number[],
      n,
    };
  }
}
