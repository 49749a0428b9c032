import "@x/autograd";
import {
  Conv2d,
  Dropout,
  Embedding,
  Flatten,
  Linear,
  MaxPool2d,
  NNError,
  ReLU,
  Sequential,
} from "@x/nn";
import { interpolate, normalize, pad } from "@x/nn/functional";
import { arange, manualSeed, ones, randn, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function cnn(print: Print = console.log) {
  // #region cnn
  manualSeed(0); // torch.manual_seed(0): the same weights as PyTorch's
  const model = new Sequential(
    new Conv2d(3, 8, 3, { padding: 1 }), // nn.Conv2d(3, 8, kernel_size=3, padding=1)
    new ReLU(),
    new MaxPool2d(2), // nn.MaxPool2d(2)
    new Flatten(),
    new Dropout(0.2),
    new Linear(8 * 16 * 16, 10),
  );
  print(model.toString());
  const images = randn(4, 3, 32, 32); // a batch of four 32×32 RGB images
  print(model.forward(images).size()); // [4, 10]
  model.eval(); // Dropout is the identity now
  // #endregion cnn
}

export function functional(print: Print = console.log) {
  // #region functional
  const x = arange(6).float().reshape(1, 1, 2, 3);
  print(pad(x, [1, 1, 0, 0], { mode: "reflect" })); // F.pad(x, (1, 1, 0, 0), mode="reflect")
  print(pad(x, [0, 0, 1, 0], { value: -1 })); // one row of -1 on top
  print(interpolate(x, { scaleFactor: 2 }).size()); // nearest: [1, 1, 4, 6]
  print(interpolate(x, { size: [3, 5], mode: "bilinear", alignCorners: true }));
  print(
    normalize(
      tensor([
        [3, 4],
        [1, 0],
      ]),
    ),
  ); // rows of length 1
  // #endregion functional
}

export function embeddings(print: Print = console.log) {
  // #region embedding
  manualSeed(0);
  const words = new Embedding(10, 3, { paddingIdx: 0 }); // nn.Embedding(10, 3, padding_idx=0)
  const sentence = tensor([[4, 2, 0, 0]], { dtype: "int32" }); // indices, padded with 0
  print(words.forward(sentence)); // [1, 4, 3]; the padding row is zeros and gets no gradient
  try {
    new Conv2d(3, 8, 3).forward(ones(1, 1, 8, 8)); // one channel, not three
  } catch (error) {
    if (NNError.isInstance(error)) print(error.code, error.message);
  }
  // #endregion embedding
}
