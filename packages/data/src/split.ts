import { type Generator, randperm, type Tensor } from "@x/tensor";
import { type Dataset, Subset } from "./dataset";
import { DataError } from "./errors";
import { requireInteger, show } from "./validate";

/** Options of {@link splitIndices}. */
export interface SplitIndicesOptions {
  /** Share of the samples that go to validation, in `[0, 1)`; `floor(valFraction · n)` of them. */
  valFraction: number;
  /** Draws the permutation (the default generator when omitted). */
  generator?: Generator;
}

/** Training and validation index tensors (1-d int32) returned by {@link splitIndices}. */
export interface SplitIndices {
  /** The first `n - nVal` entries of the permutation. */
  train: Tensor;
  /** The last `nVal = floor(valFraction · n)` entries of the permutation. */
  val: Tensor;
}

/**
 * Shuffles `0 … n-1` and splits them as the book does: `nVal = floor(valFraction · n)`, the
 * validation indices are the last `nVal` entries of `randperm(n, { generator })` and the training
 * indices the rest. Use them with `indexSelect(0, train)`.
 *
 * @example
 * const { train, val } = splitIndices(11, { valFraction: 0.2, generator: new Generator().manualSeed(0) });
 * // train.shape = [9], val.shape = [2]
 */
export function splitIndices(n: number, options: SplitIndicesOptions): SplitIndices {
  requireInteger(n, 0, "splitIndices", "n");
  const valFraction = options?.valFraction;
  if (typeof valFraction !== "number" || !(valFraction >= 0 && valFraction < 1)) {
    throw new DataError(
      "INVALID_ARGUMENT",
      "splitIndices",
      `valFraction must be a number in [0, 1), but got ${show(valFraction)}. Hint: 0.2 keeps 20% of the samples for validation.`,
    );
  }
  const shuffled = randperm(n, { generator: options.generator });
  const nVal = Math.floor(valFraction * n);
  return { train: shuffled.narrow(0, 0, n - nVal), val: shuffled.narrow(0, n - nVal, nVal) };
}

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** Draws the permutation (the default generator when omitted). */
  generator?: Generator;
}

/** Python's `sum` of floats (3.12+): Neumaier-compensated, so `[0.2, 0.4, 0.3, 0.1]` sums to 1. */
function pythonSum(values: readonly number[]): number {
  let sum = 0;
  let compensation = 0;
  for (const value of values) {
    const next = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
  }
  return sum + compensation;
}

/**
 * The split sizes `randomSplit` uses for `lengths` of a dataset of `n` items, exactly as
 * `torch.utils.data.random_split` (torch 2.x, unchanged since 1.13): when the entries sum to 1
 * (`math.isclose(sum, 1) and sum <= 1`) they are fractions, each size is `floor(n · fraction)`,
 * and the remainder is added one by one to sizes 0, 1, 2, … round-robin.
 */
export function splitLengths(n: number, lengths: readonly number[]): number[] {
  const op = "randomSplit";
  if (
    !Array.isArray(lengths) ||
    lengths.length === 0 ||
    lengths.some((l) => typeof l !== "number" || !Number.isFinite(l))
  ) {
    throw new DataError(
      "INVALID_ARGUMENT",
      op,
      `lengths must be a non-empty array of finite numbers, but got ${show(lengths)}. Hint: pass sizes such as [8, 2] or fractions such as [0.8, 0.2].`,
    );
  }
  const total = pythonSum(lengths);
  let sizes = [...lengths];
  // math.isclose(total, 1) with its default rel_tol=1e-9.
  if (Math.abs(total - 1) <= 1e-9 * Math.max(Math.abs(total), 1) && total <= 1) {
    sizes = lengths.map((fraction, i) => {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new DataError(
          "INVALID_ARGUMENT",
          op,
          `Fraction at index ${i} is not between 0 and 1, expected a value in [0, 1] vs got ${fraction} (lengths ${show(lengths)}). Hint: fractions must each lie in [0, 1] and sum to 1.`,
        );
      }
      return Math.floor(n * fraction);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) (sizes[i % sizes.length] as number)++;
  }
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum !== n) {
    throw new DataError(
      "LENGTH_MISMATCH",
      op,
      `Sum of input lengths does not equal the length of the input dataset, ${sum} vs ${n} (lengths ${show(lengths)}). Hint: make the sizes add up to ${n}, or pass fractions that sum to 1.`,
    );
  }
  sizes.forEach((size, i) => {
    if (!Number.isInteger(size) || size < 0) {
      throw new DataError(
        "INVALID_ARGUMENT",
        op,
        `length at index ${i} must be a non-negative integer, but got ${size} (lengths ${show(lengths)}, which do not sum to 1 so are not fractions). Hint: pass whole sizes such as [8, 2], or fractions that sum to 1.`,
      );
    }
  });
  return sizes;
}

/**
 * Randomly splits `dataset` into non-overlapping {@link Subset}s of the given `lengths`, or of
 * fractions of its length when `lengths` sum to 1 (see {@link splitLengths}), as PyTorch's
 * `random_split`. Subset `k` takes the next `lengths[k]` entries of `randperm(dataset.length)`,
 * so with the same seed the subsets hold exactly the indices that
 * `torch.manual_seed(s); random_split(dataset, lengths)` gives (the permutation is
 * `torch.randperm(n)`'s).
 *
 * @example
 * const [trainSet, valSet] = randomSplit(dataset, [0.8, 0.2], { generator });
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  options: RandomSplitOptions = {},
): Subset<T>[] {
  const sizes = splitLengths(dataset.length, lengths);
  const shuffled = randperm(dataset.length, { generator: options.generator });
  let offset = 0;
  return sizes.map((size) => {
    const subset = new Subset(dataset, shuffled.narrow(0, offset, size));
    offset += size;
    return subset;
  });
}
