import type { Tensor } from "@x/tensor";
import { checkTensor, NNError, show } from "../errors";
import { keepName, Module } from "../module";

/** Returns its input unchanged (torch.nn.Identity): a placeholder where a layer is optional. */
export class Identity extends Module {
  static {
    keepName(this, "Identity");
  }

  /** The input itself. */
  override forward(input: Tensor): Tensor {
    return input;
  }
}

function checkDim(op: string, name: string, value: unknown): number {
  if (!Number.isSafeInteger(value)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be an integer, but got ${show(value)}.`,
    );
  }
  return value as number;
}

/**
 * Flattens dims `startDim` through `endDim` into one (torch.nn.Flatten; defaults 1 and -1, so a
 * batch `[n, c, h, w]` becomes `[n, c·h·w]`).
 */
export class Flatten extends Module {
  static {
    keepName(this, "Flatten");
  }

  /** First dim to flatten. */
  readonly startDim: number;
  /** Last dim to flatten. */
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = checkDim("Flatten", "start_dim", startDim);
    this.endDim = checkDim("Flatten", "end_dim", endDim);
  }

  /** `input.flatten(startDim, endDim)`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "Flatten.forward", "input");
    return input.flatten(this.startDim, this.endDim);
  }

  /** `start_dim=…, end_dim=…`, as torch prints a Flatten. */
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Splits dim `dim` into `unflattenedSize` (torch.nn.Unflatten): `[n, 10]` → `[n, 2, 5]`. */
export class Unflatten extends Module {
  static {
    keepName(this, "Unflatten");
  }

  /** The dim to split. */
  readonly dim: number;
  /** The sizes it becomes (one may be -1). */
  readonly unflattenedSize: readonly number[];

  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    this.dim = checkDim("Unflatten", "dim", dim);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.length === 0) {
      throw new NNError(
        "INVALID_ARGUMENT",
        "Unflatten",
        `unflattened_size must be a non-empty array of sizes, but got ${show(unflattenedSize)}. Hint: new Unflatten(1, [2, 5]).`,
      );
    }
    this.unflattenedSize = unflattenedSize.map((s, i) =>
      checkDim("Unflatten", `unflattened_size[${i}]`, s),
    );
  }

  /** `input.unflatten(dim, unflattenedSize)`. */
  override forward(input: Tensor): Tensor {
    checkTensor(input, "Unflatten.forward", "input");
    return input.unflatten(this.dim, this.unflattenedSize.slice());
  }

  /** `dim=…, unflattened_size=(…)`, as torch prints an Unflatten. */
  override extraRepr(): string {
    const sizes = this.unflattenedSize;
    const tuple = sizes.length === 1 ? `(${sizes[0]},)` : `(${sizes.join(", ")})`;
    return `dim=${this.dim}, unflattened_size=${tuple}`;
  }
}
