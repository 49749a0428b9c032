import "@x/autograd";
import { init, Linear, Module, NNError, Sequential, Tanh } from "@x/nn";
import { huberLoss, mseLoss } from "@x/nn/functional";
import { SGD } from "@x/optim";
import { manualSeed, type Tensor, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

// The book's chapter-6 data: one feature per row, [11, 1].
const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]).unsqueeze(1);
const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]).unsqueeze(1);

export function sequential(print: Print = console.log) {
  // #region sequential
  const seqModel = new Sequential(new Linear(1, 13), new Tanh(), new Linear(13, 1));
  print(seqModel.toString()); // print(seq_model)
  print(seqModel.parameters().map((p) => p.size().toString())); // [p.shape for p in …]
  for (const [name, p] of seqModel.namedParameters()) print(name, p.shape);
  // #endregion sequential
}

export function named(print: Print = console.log) {
  // #region named
  // nn.Sequential(OrderedDict([('hidden_linear', nn.Linear(1, 8)), …]))
  const seqModel = new Sequential({
    hidden_linear: new Linear(1, 8),
    hidden_activation: new Tanh(),
    output_linear: new Linear(8, 1),
  });
  print(seqModel.toString());
  print(Object.keys(seqModel.stateDict()));
  // #endregion named
}

export function custom(print: Print = console.log) {
  // #region custom
  class SubclassModel extends Module {
    hiddenLinear = new Linear(1, 13);
    hiddenActivation = new Tanh();
    outputLinear = new Linear(13, 1);
    forward(x: Tensor): Tensor {
      return this.outputLinear.forward(this.hiddenActivation.forward(this.hiddenLinear.forward(x)));
    }
  }
  const model = new SubclassModel();
  print(model.namedParameters().map(([name]) => name));
  print(model.hiddenLinear.toString(), model.training);
  // #endregion custom
}

export function training(print: Print = console.log) {
  // #region training
  manualSeed(42);
  const model = new Sequential(new Linear(1, 13), new Tanh(), new Linear(13, 1));
  const optimizer = new SGD(model.parameters(), { lr: 1e-3 });
  const tUn = tU.mul(0.1);
  for (let epoch = 1; epoch <= 3000; epoch++) {
    const loss = mseLoss(model.forward(tUn), tC);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    if (epoch === 1 || epoch % 1000 === 0)
      print(`Epoch ${epoch}, Training loss ${loss.item().toFixed(4)}`);
  }
  print(
    "prediction for 50 °U:",
    model
      .forward(tensor([[5.0]]))
      .item()
      .toFixed(2),
    "°C",
  );
  // #endregion training
}

export function lossesAndInit(print: Print = console.log) {
  // #region losses
  const prediction = tensor([0.5, 2.0, -1.0]);
  const target = tensor([0.0, 0.0, 0.0]);
  print(mseLoss(prediction, target)); // F.mse_loss
  print(huberLoss(prediction, target, { delta: 1.0, reduction: "none" })); // F.huber_loss
  const layer = new Linear(4, 2);
  init.xavierUniform_(layer.weight, { gain: init.calculateGain("tanh") });
  init.zeros_(layer.bias as Tensor);
  print(layer.bias);
  // #endregion losses
}

export function errors(print: Print = console.log) {
  // #region errors
  const model = new Sequential(new Linear(13, 1));
  try {
    model.forward(tU); // [11, 1], but the layer wants 13 features
  } catch (e) {
    if (e instanceof NNError) print(e.code, e.message);
  }
  try {
    model.loadStateDict(new Sequential(new Linear(1, 13)).stateDict());
  } catch (e) {
    if (e instanceof NNError) print(e.code, e.message);
  }
  // #endregion errors
}
