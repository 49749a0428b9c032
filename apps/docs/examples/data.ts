import {
  DataError,
  DataLoader,
  MinMaxScaler,
  parseCsv,
  randomSplit,
  Scale,
  StandardScaler,
  splitIndices,
  TensorDataset,
} from "@x/data";
import { Generator, tensor } from "@x/tensor";

type Print = (...values: unknown[]) => void;

const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);

export function split(print: Print = console.log) {
  // #region split
  // The book: shuffle, then hold out the last 20% (floor(0.2 · 11) = 2 samples).
  const generator = new Generator().manualSeed(0);
  const { train, val } = splitIndices(11, { valFraction: 0.2, generator });
  print(train, val);
  const trainTU = tU.indexSelect(0, train);
  const valTU = tU.indexSelect(0, val);
  print(trainTU.shape, valTU.shape);
  // #endregion split
}

export function datasets(print: Print = console.log) {
  // #region datasets
  const dataset = new TensorDataset(tU, tC);
  print(dataset.length, dataset.get(0));
  const [trainSet, valSet] = randomSplit(dataset, [0.8, 0.2], {
    generator: new Generator().manualSeed(0),
  });
  print(trainSet!.length, valSet!.length);
  const loader = new DataLoader(trainSet!, {
    batchSize: 4,
    shuffle: true,
    generator: new Generator().manualSeed(1),
  });
  print("batches per epoch:", loader.length);
  for (const [xb, yb] of loader) print(xb!.shape, yb!.shape);
  // #endregion datasets
}

export function scalers(print: Print = console.log) {
  // #region scalers
  print(new Scale(0.1).transform(tU)); // the book's t_un = 0.1 * t_u
  const standard = new StandardScaler().fit(tU); // mean 0, population std 1
  const z = standard.transform(tU);
  print(z.mean().item(), z.std(null, { correction: 0 }).item());
  print(standard.stateDict());
  print(standard.inverseTransform(z.narrow(0, 0, 3))); // back to t_u units
  const minMax = new MinMaxScaler().fit(tU);
  print(minMax.transform(tU).min(), minMax.transform(tU).max());
  // #endregion scalers
}

export function csv(print: Print = console.log) {
  // #region csv
  const text = "t_c,t_u\n0.5,35.7\n14.0,55.9\n15.0,58.2\n";
  const { columns, tensors } = parseCsv(text, { header: true });
  print(columns, tensors.t_u);
  try {
    parseCsv("t_c,t_u\n0.5,35.7\n14.0,hot\n", { header: true });
  } catch (e) {
    if (e instanceof DataError) print(e.code, e.message);
  }
  // #endregion csv
}
