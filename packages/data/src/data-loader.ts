import { type Generator, randperm, stack, Tensor, tensor } from "@x/tensor";
import { type Dataset, Subset, TensorDataset } from "./dataset";
import { DataError } from "./errors";
import { requireInteger, show } from "./validate";

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Draw a fresh random order of the samples at the start of every pass (default false). */
  shuffle?: boolean;
  /** Skip the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Draws the shuffling permutations (the default generator when omitted). */
  generator?: Generator;
}

/** Tensors holding every sample's fields, and the sample → row map when the dataset is a subset. */
interface TensorSource {
  tensors: readonly Tensor[];
  rows: Int32Array | null;
}

/** Sees through `Subset`s of a `TensorDataset`, so batches are gathered with one `indexSelect`. */
function tensorSource(dataset: Dataset<unknown>): TensorSource | null {
  if (dataset instanceof TensorDataset) return { tensors: dataset.tensors, rows: null };
  if (!(dataset instanceof Subset)) return null;
  const inner = tensorSource(dataset.dataset);
  if (inner === null) return null;
  const positions = dataset.indices.toTypedArray() as Int32Array;
  const rows = inner.rows === null ? positions : positions.map((p) => inner.rows?.[p] as number);
  return { tensors: inner.tensors, rows };
}

/**
 * Iterates over a dataset in batches (PyTorch's `DataLoader`), yielding `[xBatch, yBatch, …]`:
 * field `k` of the samples stacked along a new first dimension. With `shuffle`, every pass
 * (every `for … of`) draws a new permutation from `generator`, so equally seeded generators give
 * the same batches. `length` is the number of batches per pass.
 *
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 4, shuffle: true, generator });
 * for (const [xb, yb] of loader) { … }
 */
export class DataLoader implements Iterable<Tensor[]> {
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether each pass draws a new order. */
  readonly shuffle: boolean;
  /** Whether a smaller last batch is skipped. */
  readonly dropLast: boolean;
  /** The generator used for shuffling, if one was given. */
  readonly generator: Generator | undefined;
  private readonly source: TensorSource | null;

  constructor(
    /** The dataset batched; its items must be arrays of tensors. */
    readonly dataset: Dataset<readonly Tensor[]>,
    options: DataLoaderOptions = {},
  ) {
    if (dataset === null || typeof dataset !== "object" || typeof dataset.get !== "function") {
      throw new DataError(
        "INVALID_ARGUMENT",
        "DataLoader",
        `dataset must have a length and a get(index) method, but got ${show(dataset)}. Hint: wrap tensors with new TensorDataset(x, y).`,
      );
    }
    requireInteger(dataset.length, 0, "DataLoader", "dataset.length");
    this.batchSize = requireInteger(options.batchSize ?? 1, 1, "DataLoader", "batchSize");
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.generator = options.generator;
    this.source = tensorSource(dataset);
  }

  /** Number of batches in one pass. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Starts a pass; the order is drawn here, when the pass starts. */
  [Symbol.iterator](): Iterator<Tensor[]> {
    const n = this.dataset.length;
    const order = this.shuffle
      ? (randperm(n, { generator: this.generator }).toTypedArray() as Int32Array)
      : Int32Array.from({ length: n }, (_, i) => i);
    return this.batches(order);
  }

  private *batches(order: Int32Array): IterableIterator<Tensor[]> {
    for (let b = 0; b < this.length; b++) {
      const picked = order.subarray(b * this.batchSize, (b + 1) * this.batchSize);
      yield this.source === null ? this.collate(picked) : this.gather(this.source, picked);
    }
  }

  private gather(source: TensorSource, picked: Int32Array): Tensor[] {
    const rows = source.rows === null ? picked : picked.map((i) => source.rows?.[i] as number);
    const index = tensor(rows);
    return source.tensors.map((t) => t.indexSelect(0, index));
  }

  private collate(picked: Int32Array): Tensor[] {
    const items = Array.from(picked, (i) => this.dataset.get(i));
    const fields = items[0]?.length ?? 0;
    items.forEach((item, k) => {
      if (
        !Array.isArray(item) ||
        item.length !== fields ||
        !item.every((t) => t instanceof Tensor)
      ) {
        throw new DataError(
          "INVALID_ARGUMENT",
          "DataLoader",
          `dataset items must be arrays of ${fields} tensors, but item ${picked[k]} is ${show(item)}. Hint: return [x, y] tensors from get(index), as TensorDataset does.`,
        );
      }
    });
    return Array.from({ length: fields }, (_, f) => stack(items.map((item) => item[f] as Tensor)));
  }
}
