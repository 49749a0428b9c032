// Training vs validation loss on a split of the thermometer data (section 5.5.3), with the
// book's linear model or a polynomial that overfits, trained by @x/train's fit.
import { noGrad } from "@x/autograd";
import { StandardScaler, splitIndices } from "@x/data";
import { Adam, SGD } from "@x/optim";
import { Generator, linspace, stack, type Tensor, tensor } from "@x/tensor";
import { type EpochRecord, fit, type History, mseLoss } from "@x/train";
import { T_C, T_U } from "./thermometer";

export interface Split {
  train: number[];
  val: number[];
}

export interface ValidationRun {
  records: EpochRecord[];
  history: History;
  /** Predictions over `curveX` (raw t_u units), for drawing the fitted curve. */
  curveX: number[];
  curveY: number[];
  /** The validation loss computed again, with and without noGrad. */
  withNoGrad: { requiresGrad: boolean; gradFn: string | null; value: number };
  withoutNoGrad: { requiresGrad: boolean; gradFn: string | null; value: number };
  ms: number;
}

/** A seeded split made by splitIndices, as the book's randperm recipe (20% validation). */
export function seededSplit(seed: number): Split {
  const { train, val } = splitIndices(T_U.length, {
    valFraction: 0.2,
    generator: new Generator().manualSeed(seed),
  });
  return { train: train.toArray() as number[], val: val.toArray() as number[] };
}

/** Powers x⁰ … xᵈ as the columns of an [n, d + 1] matrix. */
function powers(x: Tensor, degree: number): Tensor {
  return stack(
    Array.from({ length: degree + 1 }, (_, j) => x.pow(j)),
    1,
  );
}

/**
 * Degree 1: the book's model and run (t_u × 0.1, SGD lr 1e-2, from w = 1, b = 0).
 * Degree > 1: a polynomial in the standardised t_u (statistics from the training set only),
 * trained with Adam lr 1e-1 from all-zero coefficients.
 */
export function trainOnSplit(split: Split, degree: number, epochs: number): ValidationRun {
  const started = performance.now();
  const tU = tensor([...T_U]);
  const tC = tensor([...T_C]);
  const pick = (t: Tensor, idx: number[]) => t.indexSelect(0, idx);
  let model: (x: Tensor) => Tensor;
  let params: Tensor;
  let transform: (rawX: Tensor) => Tensor;
  let optimizer: SGD | Adam;
  if (degree === 1) {
    params = tensor([1.0, 0.0], { requiresGrad: true });
    transform = (x) => x.mul(0.1);
    model = (x) => x.mul(params.select(0, 0)).add(params.select(0, 1));
    optimizer = new SGD([params], { lr: 1e-2 });
  } else {
    const scaler = new StandardScaler().fit(pick(tU, split.train));
    params = tensor(new Array(degree + 1).fill(0), { requiresGrad: true });
    transform = (x) => powers(scaler.transform(x), degree);
    model = (x) => x.matmul(params);
    optimizer = new Adam([params], { lr: 0.1 });
  }
  const xTrain = transform(pick(tU, split.train));
  const xVal = transform(pick(tU, split.val));
  const yVal = pick(tC, split.val);
  const history = fit({
    params: [params],
    model,
    lossFn: mseLoss,
    optimizer,
    train: { x: xTrain, y: pick(tC, split.train) },
    val: { x: xVal, y: yVal },
    epochs,
  });
  const grid = linspace(15, 90, 151);
  const curve = noGrad(() => model(transform(grid)));
  const describe = (loss: Tensor) => ({
    requiresGrad: loss.requiresGrad,
    gradFn: loss.gradFn?.name ?? null,
    value: loss.item() as number,
  });
  return {
    records: history.records,
    history,
    curveX: grid.toArray() as number[],
    curveY: curve.toArray() as number[],
    withNoGrad: describe(noGrad(() => mseLoss(model(xVal), yVal))),
    withoutNoGrad: describe(mseLoss(model(xVal), yVal)),
    ms: performance.now() - started,
  };
}
