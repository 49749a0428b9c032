import type { DType } from "@x/tensor";
import { TrainError } from "./errors";

/** The safetensors dtypes this package writes (and reads unchanged). */
export type SafetensorsDType = "F32" | "F64" | "I32" | "BOOL";

/** The safetensors dtypes this package reads by converting them: F16 and BF16 to float32, I64 to int32. */
export type SafetensorsConvertedDType = "F16" | "BF16" | "I64";

/** Bytes per element of every dtype the safetensors format defines (sub-byte ones aside). */
const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/** Bytes per element of `dtype`, or undefined for a dtype this package does not know the size of. */
export function elementBytes(dtype: string): number | undefined {
  return Object.hasOwn(ELEMENT_BYTES, dtype) ? ELEMENT_BYTES[dtype] : undefined;
}

/** Reads element `i` of a tensor whose data starts at byte `at` of `view`. */
type ReadElement = (view: DataView, at: number, i: number) => number;

interface Reader {
  /** The dtype of the tensor it makes. */
  dtype: DType;
  array: new (length: number) => Float32Array | Float64Array | Int32Array | Uint8Array;
  read: ReadElement;
}

/** IEEE half-precision bits as a number (every half is exactly a float32). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const scratch = new DataView(new ArrayBuffer(4));

/** bfloat16 bits as a number: they are the upper half of a float32's. */
function bfloat16ToNumber(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The readers of every dtype this package loads, by safetensors dtype. */
const readers: Record<SafetensorsDType | SafetensorsConvertedDType, Reader> = {
  F32: {
    dtype: "float32",
    array: Float32Array,
    read: (v, at, i) => v.getFloat32(at + 4 * i, true),
  },
  F64: {
    dtype: "float64",
    array: Float64Array,
    read: (v, at, i) => v.getFloat64(at + 8 * i, true),
  },
  I32: { dtype: "int32", array: Int32Array, read: (v, at, i) => v.getInt32(at + 4 * i, true) },
  BOOL: {
    dtype: "bool",
    array: Uint8Array,
    read: (v, at, i) => (v.getUint8(at + i) === 0 ? 0 : 1),
  },
  F16: {
    dtype: "float32",
    array: Float32Array,
    read: (v, at, i) => halfToNumber(v.getUint16(at + 2 * i, true)),
  },
  BF16: {
    dtype: "float32",
    array: Float32Array,
    read: (v, at, i) => bfloat16ToNumber(v.getUint16(at + 2 * i, true)),
  },
  I64: {
    dtype: "int32",
    array: Int32Array,
    read: (v, at, i) => Number(v.getBigInt64(at + 8 * i, true)),
  },
};

/** The dtype a tensor of safetensors `dtype` loads as, or undefined when this package cannot load it. */
export function loadedDType(dtype: string): DType | undefined {
  return Object.hasOwn(readers, dtype) ? readers[dtype as SafetensorsDType].dtype : undefined;
}

/** True for the dtypes that load converted (F16, BF16, I64). */
export function isConverted(dtype: string): dtype is SafetensorsConvertedDType {
  return dtype === "F16" || dtype === "BF16" || dtype === "I64";
}

const LOADABLE = "F32, F64, I32, BOOL, F16 and BF16 (as float32), I64 (as int32)";

/**
 * Reads the `count` elements of tensor `name` (safetensors `dtype`) starting at byte `at` of
 * `view`. Throws `UNSUPPORTED_DTYPE` for a dtype this package cannot load and
 * `VALUE_OUT_OF_RANGE` for an I64 value outside the int32 range.
 */
export function readElements(
  view: DataView,
  at: number,
  count: number,
  dtype: string,
  name: string,
  op: string,
): { dtype: DType; data: Float32Array | Float64Array | Int32Array | Uint8Array } {
  if (!Object.hasOwn(readers, dtype)) {
    throw new TrainError(
      "UNSUPPORTED_DTYPE",
      op,
      `tensor ${JSON.stringify(name)} has dtype ${JSON.stringify(dtype)}, which @x/train cannot load; it loads ${LOADABLE}. Hint: convert the tensor before saving it (in PyTorch: tensor.float() or tensor.int()).`,
    );
  }
  const reader = readers[dtype as SafetensorsDType];
  const data = new reader.array(count);
  const narrowed = dtype === "I64";
  for (let i = 0; i < count; i++) {
    const value = reader.read(view, at, i);
    if (narrowed && (value < INT32_MIN || value > INT32_MAX)) {
      throw new TrainError(
        "VALUE_OUT_OF_RANGE",
        op,
        `tensor ${JSON.stringify(name)} of dtype "I64" holds ${view.getBigInt64(at + 8 * i, true)} at flat index ${i}, outside the int32 range [${INT32_MIN}, ${INT32_MAX}] that I64 tensors load into. Hint: store it as F64 (in PyTorch: tensor.double()) or bring its values into the int32 range.`,
      );
    }
    data[i] = value;
  }
  return { dtype: reader.dtype, data };
}
