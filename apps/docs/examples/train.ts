import "@x/autograd";
import { CompileError } from "@x/compile";
import { DataLoader, TensorDataset } from "@x/data";
import { SGD } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import { DivergenceError, evaluate, fit, mseLoss, TrainError } from "@x/train";

type Print = (...values: unknown[]) => void;

const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);

export function fitSplit(print: Print = console.log) {
  // #region fit
  // The book's section 5.5.3: its split, normalised input, SGD lr 1e-2, 3000 epochs.
  const trainIdx = [9, 6, 5, 8, 4, 7, 0, 1, 3];
  const valIdx = [2, 10];
  const tUn = tU.mul(0.1);
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const history = fit({
    params: [params],
    model: (x) => {
      const [w, b] = params.unbind();
      return x.mul(w!).add(b!);
    },
    lossFn: mseLoss,
    optimizer: new SGD([params], { lr: 1e-2 }),
    train: { x: tUn.indexSelect(0, trainIdx), y: tC.indexSelect(0, trainIdx) },
    val: { x: tUn.indexSelect(0, valIdx), y: tC.indexSelect(0, valIdx) },
    epochs: 3000,
    logEvery: 1000,
    log: (line) => print(line),
  });
  const last = history.last!;
  print(last.epoch, last.trainLoss, last.valLoss); // the book: 3.0125, 3.5756
  print(params); // the book: tensor([  5.1964, -16.7512], requires_grad=True)
  // #endregion fit
}

export function divergence(print: Print = console.log) {
  // #region divergence
  // The book's lr = 1e-2 run on raw t_u: fit stops with a DivergenceError.
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  try {
    fit({
      params: [params],
      model: (x) => x.mul(params.select(0, 0)).add(params.select(0, 1)),
      lossFn: mseLoss,
      optimizer: new SGD([params], { lr: 1e-2 }),
      train: { x: tU, y: tC },
      epochs: 100,
    });
  } catch (e) {
    if (e instanceof DivergenceError) {
      print(e.code, "at epoch", e.epoch);
      print(e.message);
      print("records kept:", e.history?.records.length);
    }
  }
  // #endregion divergence
}

export function loaderAndEarlyStopping(print: Print = console.log) {
  // #region loader
  // Mini-batches from a DataLoader, early stopping on the training loss.
  const w = tensor([0.0], { requiresGrad: true });
  const b = tensor([0.0], { requiresGrad: true });
  const loader = new DataLoader(new TensorDataset(tU.mul(0.1), tC), { batchSize: 4 });
  const history = fit({
    params: [w, b],
    model: (x) => x.mul(w).add(b),
    lossFn: mseLoss,
    optimizer: new SGD([w, b], { lr: 1e-2, momentum: 0.9 }),
    train: loader,
    epochs: 5000,
    earlyStopping: { patience: 20, minDelta: 1e-4 },
  });
  print(history.stopReason, "after", history.records.length, "epochs");
  print("loss", evaluate({ model: (x) => x.mul(w).add(b), lossFn: mseLoss, data: loader }));
  // #endregion loader
}

export function losses(print: Print = console.log) {
  // #region losses
  const pred = tensor([1.0, 2.0, 3.0]);
  const target = tensor([1.5, 2.0, 5.0]);
  print(mseLoss(pred, target), mseLoss(pred, target, { reduction: "sum" }));
  try {
    mseLoss(pred.reshape([3, 1]), target); // PyTorch only warns and broadcasts to [3, 3]
  } catch (e) {
    if (e instanceof TrainError) print(e.code, e.message);
  }
  // #endregion losses
}

export function compiledSteps(print: Print = console.log) {
  // #region compile
  // fit's compile option: 'auto' (the default), true, or false (eager).
  const run = (compile: boolean | "auto", lossFn = mseLoss) => {
    const params = tensor([1.0, 0.0], { requiresGrad: true });
    const history = fit({
      params: [params],
      model: (x) => x.mul(params.select(0, 0)).add(params.select(0, 1)),
      lossFn,
      optimizer: new SGD([params], { lr: 1e-2 }),
      train: { x: tU.mul(0.1), y: tC },
      epochs: 1000,
      compile,
    });
    return [history.last!.trainLoss, ...(params.toArray() as number[])];
  };
  // The same loss and parameters, bit for bit, whichever way:
  for (const mode of ["auto", true, false] as const) print(mode, run(mode));
  // A loss that reads a value mid-step cannot be captured:
  // 'auto' runs that step eagerly, true throws the CompileError.
  const reading = (p: Tensor, y: Tensor) => {
    const loss = mseLoss(p, y);
    return (loss.item() as number) > 1e6 ? loss.div(2) : loss;
  };
  print("auto", run("auto", reading));
  try {
    run(true, reading);
  } catch (e) {
    if (e instanceof CompileError) print(e.code, e.op);
  }
  // #endregion compile
}
