import { type Tensor, where } from "@x/tensor";
import { checkTensor, formatShape, NNError, show } from "../errors";

/** Options of {@link embedding}. */
export interface EmbeddingOptions {
  /** Rows at this index get no gradient (torch's `padding_idx`; negative counts from the end). */
  paddingIdx?: number | null;
}

/** The non-negative padding row, checked against the number of rows (shared with `Embedding`). */
export function paddingRow(
  op: string,
  paddingIdx: number | null | undefined,
  rows: number,
): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (!Number.isSafeInteger(paddingIdx) || paddingIdx >= rows || paddingIdx < -rows) {
    throw new NNError(
      "INDEX_OUT_OF_RANGE",
      op,
      `paddingIdx must be within num_embeddings (in [${-rows}, ${rows})), but got ${show(paddingIdx)}.`,
    );
  }
  return paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
}

/**
 * Looks up rows of `weight` (`[numEmbeddings, dim]`) at the integer `indices`
 * (torch.nn.functional.embedding): the result is `[...indices.shape, dim]`. The gradient of
 * `weight` adds up the rows' gradients; the `paddingIdx` row gets none.
 *
 * @example
 * embedding(tensor([[0, 2]], { dtype: "int32" }), weight) // weight [10, 3] -> [1, 2, 3]
 */
export function embedding(indices: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  checkTensor(indices, "embedding", "input");
  checkTensor(weight, "embedding", "weight");
  if (indices.dtype !== "int32") {
    throw new NNError(
      "INVALID_DTYPE",
      "embedding",
      `expects integer indices (int32), but got ${indices.dtype}. Hint: convert them with indices.to("int32").`,
    );
  }
  if (weight.ndim !== 2) {
    throw new NNError(
      "SHAPE_MISMATCH",
      "embedding",
      `weight must be 2-D [num_embeddings, embedding_dim], but got shape ${formatShape(weight.shape)}.`,
    );
  }
  const rows = weight.shape[0] as number;
  const flat = indices.reshape(-1);
  const values = flat.toTypedArray();
  const bad = values.findIndex((v) => v < 0 || v >= rows);
  if (bad >= 0) {
    throw new NNError(
      "INDEX_OUT_OF_RANGE",
      "embedding",
      `index ${values[bad]} is out of range for a weight of ${rows} rows (shape ${formatShape(weight.shape)}). Hint: indices must be in [0, ${rows}); grow num_embeddings.`,
    );
  }
  let rowsOut = weight.indexSelect(0, flat);
  const padding = paddingRow("embedding", options.paddingIdx, rows);
  if (padding !== null && rowsOut.requiresGrad) {
    // same values; the padding positions take them from a detached copy, so no gradient flows back
    rowsOut = where(flat.ne(padding).unsqueeze(1), rowsOut, rowsOut.detach());
  }
  return rowsOut.reshape([...indices.shape, weight.shape[1] as number]);
}
