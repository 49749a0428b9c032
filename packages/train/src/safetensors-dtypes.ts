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

type Data = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * Fills `out` from little-endian data at byte `at` of `view`; returns the flat index of the first
 * value `out`'s type cannot hold, or -1. One loop per dtype keeps each loop's calls monomorphic.
 */
type Fill = (view: DataView, at: number, out: Data) => number;

interface Reader {
  /** The dtype of the tensor it makes. */
  dtype: DType;
  array: new (length: number) => Data;
  fill: Fill;
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

let halves: Float32Array | undefined;

/** Every half's value, by its bits (256 KB, built on first use). */
function halfTable(): Float32Array {
  if (halves === undefined) {
    halves = new Float32Array(0x10000);
    for (let bits = 0; bits < 0x10000; bits++) halves[bits] = halfToNumber(bits);
  }
  return halves;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The readers of every dtype this package loads, by safetensors dtype. */
const readers: Record<SafetensorsDType | SafetensorsConvertedDType, Reader> = {
  F32: {
    dtype: "float32",
    array: Float32Array,
    fill(view, at, out) {
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(at + 4 * i, true);
      return -1;
    },
  },
  F64: {
    dtype: "float64",
    array: Float64Array,
    fill(view, at, out) {
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(at + 8 * i, true);
      return -1;
    },
  },
  I32: {
    dtype: "int32",
    array: Int32Array,
    fill(view, at, out) {
      for (let i = 0; i < out.length; i++) out[i] = view.getInt32(at + 4 * i, true);
      return -1;
    },
  },
  BOOL: {
    dtype: "bool",
    array: Uint8Array,
    fill(view, at, out) {
      for (let i = 0; i < out.length; i++) out[i] = view.getUint8(at + i) === 0 ? 0 : 1;
      return -1;
    },
  },
  F16: {
    dtype: "float32",
    array: Float32Array,
    fill(view, at, out) {
      const table = halfTable();
      for (let i = 0; i < out.length; i++)
        out[i] = table[view.getUint16(at + 2 * i, true)] as number;
      return -1;
    },
  },
  BF16: {
    dtype: "float32",
    array: Float32Array,
    fill(view, at, out) {
      // A bfloat16's bits are the upper half of a float32's.
      const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
      for (let i = 0; i < out.length; i++) bits[i] = view.getUint16(at + 2 * i, true) << 16;
      return -1;
    },
  },
  I64: {
    dtype: "int32",
    array: Int32Array,
    fill(view, at, out) {
      for (let i = 0; i < out.length; i++) {
        const low = view.getInt32(at + 8 * i, true);
        // In the int32 range exactly when the high word is the low word's sign extension.
        if (view.getInt32(at + 8 * i + 4, true) !== low >> 31) return i;
        out[i] = low;
      }
      return -1;
    },
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
  const outside = reader.fill(view, at, data);
  if (outside !== -1) {
    throw new TrainError(
      "VALUE_OUT_OF_RANGE",
      op,
      `tensor ${JSON.stringify(name)} of dtype "I64" holds ${view.getBigInt64(at + 8 * outside, true)} at flat index ${outside}, outside the int32 range [${INT32_MIN}, ${INT32_MAX}] that I64 tensors load into. Hint: store it as F64 (in PyTorch: tensor.double()) or bring its values into the int32 range.`,
    );
  }
  return { dtype: reader.dtype, data };
}
