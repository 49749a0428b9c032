import { noGrad } from "@x/autograd";
import { empty, type Tensor } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";
import { embedding, paddingRow } from "../functional/embedding";
import { normal_ } from "../init";
import { keepName, Module } from "../module";
import { Parameter } from "../parameter";

/** Options of {@link Embedding}, as torch's keyword arguments. */
export interface EmbeddingLayerOptions {
  /** A row that stays zero at initialisation and gets no gradient (negative counts from the end). */
  paddingIdx?: number | null;
}

/** Options of {@link Embedding.fromPretrained}. */
export interface FromPretrainedOptions extends EmbeddingLayerOptions {
  /** Keep the weights fixed (default true). */
  freeze?: boolean;
}

/** The table `fromPretrained` hands to the constructor, so that it draws no random numbers (torch's `_weight`). */
let pretrained: Tensor | null = null;

function checkSize(name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new NNError(
      "INVALID_ARGUMENT",
      "Embedding",
      `${name} must be a non-negative integer, but got ${show(value)}.`,
    );
  }
  return value as number;
}

/**
 * A table of `numEmbeddings` learnable vectors of size `embeddingDim`, looked up by integer
 * index (torch.nn.Embedding): `[*]` int32 indices give `[*, embeddingDim]`. Initialised from
 * N(0, 1) as torch's, the `paddingIdx` row zeroed.
 *
 * @example
 * const table = new Embedding(10, 3, { paddingIdx: 0 });
 * table.forward(tensor([1, 0, 4], { dtype: "int32" })); // [3, 3]
 */
export class Embedding extends Module {
  static {
    keepName(this, "Embedding");
  }
  /** Rows of the table. */
  readonly numEmbeddings: number;
  /** Size of each vector. */
  readonly embeddingDim: number;
  /** The row without gradient (non-negative), or null. */
  readonly paddingIdx: number | null;
  /** The table, `[numEmbeddings, embeddingDim]`. */
  declare weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingLayerOptions = {}) {
    super();
    this.numEmbeddings = checkSize("num_embeddings", numEmbeddings);
    this.embeddingDim = checkSize("embedding_dim", embeddingDim);
    this.paddingIdx = paddingRow("Embedding", options.paddingIdx, numEmbeddings);
    if (pretrained === null) {
      this.weight = new Parameter(empty(numEmbeddings, embeddingDim));
      this.resetParameters();
    } else this.weight = new Parameter(pretrained, false);
  }

  /**
   * An `Embedding` whose table is `embeddings` (`[rows, dim]`, copied into a new Parameter, the
   * padding row kept as given), frozen unless `{ freeze: false }` (torch's
   * `Embedding.from_pretrained`); it draws no random numbers.
   */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    checkTensor(embeddings, "Embedding.fromPretrained", "embeddings");
    if (embeddings.ndim !== 2) {
      throw new NNError(
        "SHAPE_MISMATCH",
        "Embedding.fromPretrained",
        `embeddings must be 2-D [num_embeddings, embedding_dim], but got shape ${formatShape(embeddings.shape)}.`,
      );
    }
    const [rows, dim] = embeddings.shape as [number, number];
    pretrained = embeddings.detach().clone();
    try {
      const layer = new Embedding(rows, dim, { paddingIdx: options.paddingIdx });
      layer.weight.requiresGrad_(!(options.freeze ?? true));
      return layer;
    } finally {
      pretrained = null;
    }
  }

  /** Draws new values from N(0, 1) and zeroes the padding row, as torch does. */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => this.weight.select(0, row).fill_(0));
    }
  }

  /** `embedding(indices, weight, { paddingIdx })`: `[*]` int32 indices give `[*, embeddingDim]`. */
  override forward(indices: Tensor): Tensor {
    checkTensor(indices, "Embedding.forward", "input");
    if (indices.dtype !== "int32") {
      throw new NNError(
        "INVALID_DTYPE",
        "Embedding.forward",
        `${this.toString()} expects int32 indices, but got ${indices.dtype} of shape ${formatShape(indices.shape)}. Hint: convert them with indices.to("int32").`,
      );
    }
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx });
  }

  /** `10, 3, padding_idx=0`, as torch prints it. */
  override extraRepr(): string {
    const padding = this.paddingIdx === null ? "" : `, padding_idx=${this.paddingIdx}`;
    return `${this.numEmbeddings}, ${this.embeddingDim}${padding}`;
  }
}
