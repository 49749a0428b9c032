import { type DType, sameShape, type Tensor, tensor } from "@x/tensor";
import { OptimError } from "./errors";

/** A JSON-safe number: non-finite values are spelled as strings, since JSON has no NaN/Infinity. */
export type JsonNumber = number | "NaN" | "Infinity" | "-Infinity";

/** A tensor in a state dict: dtype, shape and the row-major values, safe for `JSON.stringify`. */
export interface TensorJson {
  dtype: DType;
  shape: number[];
  data: JsonNumber[];
}

/** Encodes a number so that `JSON.parse(JSON.stringify(x))` gives it back exactly. */
export function encodeNumber(value: number): JsonNumber {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

/** Inverse of {@link encodeNumber}. */
export function decodeNumber(value: JsonNumber): number {
  return typeof value === "number" ? value : Number(value);
}

/** True for an encoded number (a number, or one of the three non-finite spellings). */
export function isJsonNumber(value: unknown): value is JsonNumber {
  return (
    typeof value === "number" || value === "NaN" || value === "Infinity" || value === "-Infinity"
  );
}

/** A copy of `t`'s values as {@link TensorJson}. */
export function encodeTensor(t: Tensor): TensorJson {
  return {
    dtype: t.dtype,
    shape: t.shape.slice(),
    data: Array.from(t.toTypedArray(), encodeNumber),
  };
}

/** True for an object shaped like {@link TensorJson}. */
export function isTensorJson(value: unknown): value is TensorJson {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<TensorJson>;
  return (
    typeof candidate.dtype === "string" &&
    Array.isArray(candidate.shape) &&
    Array.isArray(candidate.data) &&
    candidate.data.every(isJsonNumber)
  );
}

/** A new tensor of `like`'s dtype from {@link TensorJson}; its shape must be `like`'s. */
export function decodeTensor(json: TensorJson, like: Tensor, api: string, where: string): Tensor {
  const shape = like.shape;
  if (!sameShape(json.shape, shape) || json.data.length !== like.numel()) {
    throw new OptimError(
      "INVALID_STATE_DICT",
      api,
      `state ${where} has shape [${json.shape.join(", ")}] with ${json.data.length} values, expected the parameter's shape [${shape.join(", ")}] (${like.numel()} values). Hint: load a state dict saved from an optimizer over the same parameters, in the same order.`,
    );
  }
  // Saved float state is cast to the parameter's dtype, as torch's load_state_dict does.
  // (Number decodes a JsonNumber as decodeNumber does.)
  return tensor(json.data.map(Number), { dtype: like.dtype }).reshape(shape.slice());
}
