import { TensorError } from "./errors";

/** The element types a tensor can hold. `float32` is the default, as in PyTorch. */
export type DType = "float32" | "float64" | "int32" | "bool";

/** The typed array that stores each dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A buffer the next {@link allocate} of its length and dtype hands out (see {@link offerBuffer}). */
let offered: TypedArray | null = null;

/**
 * Offers `buffer` to the next `allocate` of its length and dtype, which zero-fills and returns it
 * instead of a new one (internal: `@x/compile` runs a kernel into a planned buffer this way).
 * `null` withdraws the offer.
 */
export function offerBuffer(buffer: TypedArray | null): void {
  offered = buffer;
}

function takeOffered(dtype: DType, length: number): TypedArray | null {
  const buffer = offered as TypedArray;
  const kind =
    buffer instanceof Float32Array
      ? "float32"
      : buffer instanceof Float64Array
        ? "float64"
        : buffer instanceof Int32Array
          ? "int32"
          : "bool";
  if (buffer.length !== length || kind !== dtype) return null;
  offered = null;
  return buffer.fill(0);
}

/** Allocates zero-filled storage for `length` elements of `dtype`. */
export function allocate(dtype: DType, length: number): TypedArray {
  if (offered !== null) {
    const buffer = takeOffered(dtype, length);
    if (buffer !== null) return buffer;
  }
  // one monomorphic constructor call per dtype (the hot path of tiny tensors)
  if (dtype === "float32") return new Float32Array(length);
  if (dtype === "float64") return new Float64Array(length);
  return dtype === "int32" ? new Int32Array(length) : new Uint8Array(length);
}

const categories: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };

/** True when an in-place op may write a `from` result into a `to` tensor (no category upgrade). */
export function canCast(from: DType, to: DType): boolean {
  return categories[from] <= categories[to];
}

/** True for `float32` and `float64`. */
export function isFloating(dtype: DType): boolean {
  return categories[dtype] === 2;
}

/** The wider of two dtypes of the same priority (PyTorch's `promote_types`). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (categories[a] !== categories[b]) return categories[a] > categories[b] ? a : b;
  return "float64"; // float32 with float64
}

/**
 * PyTorch's result type for two tensor operands: tensors with dimensions outrank 0-d tensors,
 * which outrank JS numbers, unless the lower-ranked operand is of a higher category
 * (bool < integer < floating), in which case that category's default type wins.
 */
export function resultType(a: DType, aZeroDim: boolean, b: DType, bZeroDim: boolean): DType {
  if (a === b) return a;
  if (aZeroDim === bZeroDim) return promoteTypes(a, b);
  const [dimensioned, zeroDim] = aZeroDim ? [b, a] : [a, b];
  if (categories[zeroDim] > categories[dimensioned]) return zeroDim;
  return dimensioned;
}

/**
 * Result type of a tensor combined with a JS number: a floating tensor keeps its dtype; with an
 * int32 or bool tensor, a whole number acts as a Python `int` (int32, torch's int64) and any other
 * number (fractional, NaN, ±Infinity) as a Python `float` (float32).
 */
export function resultTypeWithNumber(dtype: DType, value: number): DType {
  if (isFloating(dtype)) return dtype;
  return Number.isInteger(value) ? "int32" : "float32";
}

const names: readonly string[] = ["float32", "float64", "int32", "bool"];

/** Throws unless `dtype` is one of the supported dtype names. */
export function checkDType(dtype: unknown, op: string): DType {
  if (typeof dtype === "string" && names.includes(dtype)) return dtype as DType;
  throw new TensorError(
    "INVALID_DTYPE",
    op,
    `unknown dtype ${JSON.stringify(dtype)}. Hint: use one of ${names.join(", ")}.`,
  );
}
