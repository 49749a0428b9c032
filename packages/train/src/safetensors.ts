import { type DType, Tensor } from "@x/tensor";
import { setOwn } from "./own";
import {
  isConverted,
  readElements,
  type SafetensorsConvertedDType,
  type SafetensorsDType,
} from "./safetensors-dtypes";
import { readSafetensorsHeader } from "./safetensors-header";

/** The contents of a `.safetensors` file: named tensors and the string-to-string metadata. */
export interface SafetensorsContents {
  /** The tensors, by name, in the file's order. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` entries (all values are strings, as the format requires). */
  metadata: Record<string, string>;
  /** The tensors that were converted while loading (F16 and BF16 to float32, I64 to int32). */
  conversions: SafetensorsConversion[];
}

/** A tensor stored in a dtype @x/tensor does not have, and the dtype it was loaded as. */
export interface SafetensorsConversion {
  /** The tensor's name. */
  name: string;
  /** Its dtype in the file. */
  from: SafetensorsConvertedDType;
  /** The dtype it was loaded as (float32 holds every F16 and BF16 value exactly). */
  to: DType;
}

interface Writer {
  bytes: number;
  write(view: DataView, at: number, value: number): void;
}

const writers: Record<DType, Writer> = {
  float32: { bytes: 4, write: (v, at, x) => v.setFloat32(at, x, true) },
  float64: { bytes: 8, write: (v, at, x) => v.setFloat64(at, x, true) },
  int32: { bytes: 4, write: (v, at, x) => v.setInt32(at, x, true) },
  bool: { bytes: 1, write: (v, at, x) => v.setUint8(at, x) },
};
const byDType: Record<DType, SafetensorsDType> = {
  float32: "F32",
  float64: "F64",
  int32: "I32",
  bool: "BOOL",
};

/**
 * Serialises tensors and string metadata to the safetensors format: an 8-byte little-endian
 * header length, a JSON header (`dtype`, `shape`, `data_offsets` per tensor, `__metadata__`),
 * padded with spaces to a multiple of 8, then the raw little-endian data (largest element size
 * first, so every tensor is aligned).
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  for (const name of Object.keys(tensors)) setOwn(header, name, null); // keeps the caller's order
  // Data ordered by element size, largest first, so each tensor is aligned to its element size
  // (the header is padded to a multiple of 8) and readers can view it without copying.
  const ordered = Object.entries(tensors).sort(
    ([, a], [, b]) => writers[b.dtype].bytes - writers[a.dtype].bytes,
  );
  let size = 0;
  for (const [name, t] of ordered) {
    const end = size + t.numel() * writers[t.dtype].bytes;
    setOwn(header, name, {
      dtype: byDType[t.dtype],
      shape: [...t.shape],
      data_offsets: [size, end],
    });
    size = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + size);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const [, t] of ordered) {
    const writer = writers[t.dtype];
    for (const value of t.toTypedArray()) {
      writer.write(view, at, value);
      at += writer.bytes;
    }
  }
  return bytes;
}

/**
 * Parses safetensors bytes. F32, F64, I32 and BOOL tensors load as they are; F16 and BF16 load
 * as float32 and I64 as int32, listed in `conversions`. Truncated or hostile input (a bad header
 * length, a header past the end, offsets out of range, overlapping or not matching shape × dtype
 * size) throws a `CHECKPOINT_INVALID` {@link TrainError}; a tensor of another dtype throws
 * `UNSUPPORTED_DTYPE`, an I64 value outside the int32 range `VALUE_OUT_OF_RANGE`. `op` names the
 * caller in messages.
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  op = "decodeSafetensors",
): SafetensorsContents {
  const header = readSafetensorsHeader(bytes, op);
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataStart);
  const tensors: Record<string, Tensor> = {};
  const conversions: SafetensorsConversion[] = [];
  for (const { name, dtype, shape, dataOffsets } of header.tensors) {
    const count = shape.reduce((n, s) => n * s, 1);
    const read = readElements(view, dataOffsets[0], count, dtype, name, op);
    setOwn(tensors, name, Tensor.fromData(read.data, shape, read.dtype));
    if (isConverted(dtype)) conversions.push({ name, from: dtype, to: read.dtype });
  }
  return { tensors, metadata: header.metadata, conversions };
}
