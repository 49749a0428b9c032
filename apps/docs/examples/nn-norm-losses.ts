import "@x/autograd";
import { BatchNorm1d, CrossEntropyLoss, LayerNorm, NNError } from "@x/nn";
import { binaryCrossEntropyWithLogits, crossEntropy } from "@x/nn/functional";
import { tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function normalisation(print: Print = console.log) {
  // #region normalisation
  const x = tensor([
    [1.0, 10.0],
    [2.0, 20.0],
    [4.0, 30.0],
    [5.0, 60.0],
  ]);
  const bn = new BatchNorm1d(2); // nn.BatchNorm1d(2)
  print(bn.toString());
  print(bn.forward(x)); // train mode: the batch's statistics
  print(bn.runningMean, bn.runningVar); // updated in place, momentum 0.1
  bn.eval();
  print(bn.forward(x)); // eval mode: the running statistics
  print(Object.keys(bn.stateDict())); // torch's keys
  const ln = new LayerNorm(2); // nn.LayerNorm(2)
  print(ln.forward(x));
  // #endregion normalisation
}

export function classification(print: Print = console.log) {
  // #region classification
  const logits = tensor([
    [2.0, 0.5, -1.0],
    [0.1, 1.5, 0.3],
  ]);
  const labels = tensor([0, 2], { dtype: "int32" }); // class indices, like torch's int64
  print(crossEntropy(logits, labels)); // F.cross_entropy
  print(crossEntropy(logits, labels, { labelSmoothing: 0.1, weight: tensor([1, 2, 1]) }));
  const probabilities = tensor([
    [0.9, 0.1, 0.0],
    [0.0, 0.2, 0.8],
  ]);
  print(crossEntropy(logits, probabilities)); // class probabilities as targets
  print(new CrossEntropyLoss({ ignoreIndex: 0 }).forward(logits, labels));
  const scores = tensor([3.0, -1.0, 0.5]);
  print(
    binaryCrossEntropyWithLogits(scores, tensor([1.0, 0.0, 1.0]), { posWeight: tensor([2.0]) }),
  );
  try {
    crossEntropy(logits, tensor([0, 3], { dtype: "int32" }));
  } catch (e) {
    if (e instanceof NNError) print(e.code, e.message);
  }
  // #endregion classification
}
