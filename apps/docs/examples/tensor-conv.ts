import {
  adaptiveAvgPool2d,
  arange,
  avgPool2d,
  conv1d,
  conv2d,
  convTranspose2d,
  maxPool2d,
  ones,
  tensor,
} from "@x/tensor";

type Print = (...values: unknown[]) => void;

export function edges(print: Print = console.log) {
  // #region conv2d
  // one 4×5 image (batch 1, channel 1): dark on the left, bright on the right
  const image = tensor([
    [0, 0, 1, 1, 1],
    [0, 0, 1, 1, 1],
    [0, 0, 1, 1, 1],
    [0, 0, 1, 1, 1],
  ]).reshape(1, 1, 4, 5);
  // a horizontal-gradient kernel [out 1, in 1, 1, 3]: finds the vertical edge
  const kernel = tensor([[[[-1, 0, 1]]]]);
  print(conv2d(image, kernel)); // F.conv2d(image, kernel): [1, 1, 4, 3]
  print(conv2d(image, kernel, null, { padding: "same" }).size()); // keeps 4×5
  print(conv2d(image, ones(2, 1, 2, 2), tensor([0, 10]), { stride: 2 })); // 2 channels, bias
  // #endregion conv2d
}

export function signals(print: Print = console.log) {
  // #region conv1d
  const signal = arange(8).float().reshape(1, 1, 8);
  const average = tensor([[[1 / 3, 1 / 3, 1 / 3]]]);
  print(conv1d(signal, average)); // a moving average of 3
  print(conv1d(signal, average, null, { dilation: 2 })); // taps 2 apart
  // the transposed convolution spreads each input over a window: here 2×2 → 4×4
  const small = tensor([
    [
      [
        [1, 2],
        [3, 4],
      ],
    ],
  ]);
  print(convTranspose2d(small, ones(1, 1, 2, 2), null, { stride: 2 }));
  // #endregion conv1d
}

export function pools(print: Print = console.log) {
  // #region pool
  const x = arange(16).float().reshape(1, 1, 4, 4);
  print(maxPool2d(x, 2)); // F.max_pool2d(x, 2): the largest of each 2×2 block
  print(maxPool2d(x, 2, { returnIndices: true }).indices); // where they were, flat in each plane
  print(avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false })); // 3×3 means
  print(adaptiveAvgPool2d(x, 1)); // global average pooling: [1, 1, 1, 1]
  // #endregion pool
}
