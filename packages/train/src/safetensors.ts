import { type DType, formatShape, Tensor } from "@x/tensor";
import { TrainError } from "./errors";
import { show } from "./validate";

/** The safetensors dtypes this package reads and writes. */
export type SafetensorsDType = "F32" | "F64" | "I32" | "BOOL";

/** The contents of a `.safetensors` file: named tensors and the string-to-string metadata. */
export interface SafetensorsContents {
  /** The tensors, by name, in the file's order. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` entries (all values are strings, as the format requires). */
  metadata: Record<string, string>;
}

interface Codec {
  dtype: DType;
  bytes: number;
  array: new (length: number) => Float32Array | Float64Array | Int32Array | Uint8Array;
  write(view: DataView, at: number, value: number): void;
  read(view: DataView, at: number): number;
}

const codecs: Record<SafetensorsDType, Codec> = {
  F32: {
    dtype: "float32",
    bytes: 4,
    array: Float32Array,
    write: (v, at, x) => v.setFloat32(at, x, true),
    read: (v, at) => v.getFloat32(at, true),
  },
  F64: {
    dtype: "float64",
    bytes: 8,
    array: Float64Array,
    write: (v, at, x) => v.setFloat64(at, x, true),
    read: (v, at) => v.getFloat64(at, true),
  },
  I32: {
    dtype: "int32",
    bytes: 4,
    array: Int32Array,
    write: (v, at, x) => v.setInt32(at, x, true),
    read: (v, at) => v.getInt32(at, true),
  },
  BOOL: {
    dtype: "bool",
    bytes: 1,
    array: Uint8Array,
    write: (v, at, x) => v.setUint8(at, x),
    read: (v, at) => (v.getUint8(at) === 0 ? 0 : 1),
  },
};
const byDType: Record<DType, SafetensorsDType> = {
  float32: "F32",
  float64: "F64",
  int32: "I32",
  bool: "BOOL",
};

/** Largest header accepted, as the reference implementation (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

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
  for (const name of Object.keys(tensors)) header[name] = null; // keeps the caller's order
  // Data ordered by element size, largest first, so each tensor is aligned to its element size
  // (the header is padded to a multiple of 8) and readers can view it without copying.
  const ordered = Object.entries(tensors).sort(
    ([, a], [, b]) => codecs[byDType[b.dtype]].bytes - codecs[byDType[a.dtype]].bytes,
  );
  let size = 0;
  for (const [name, t] of ordered) {
    const end = size + t.numel() * codecs[byDType[t.dtype]].bytes;
    header[name] = { dtype: byDType[t.dtype], shape: [...t.shape], data_offsets: [size, end] };
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
    const codec = codecs[byDType[t.dtype]];
    for (const value of t.toTypedArray()) {
      codec.write(view, at, value);
      at += codec.bytes;
    }
  }
  return bytes;
}

function invalid(op: string, what: string): TrainError {
  return new TrainError(
    "CHECKPOINT_INVALID",
    op,
    `${what}. Hint: the file is truncated, corrupted or not a .safetensors file; write it again with saveCheckpoint.`,
  );
}

/** Reads the JSON header; returns it with the byte offset where the data starts. */
function readHeader(
  bytes: Uint8Array,
  op: string,
): { header: Record<string, unknown>; start: number } {
  if (bytes.length < 8) {
    throw invalid(op, `the file is ${bytes.length} bytes, expected at least 8 (the header length)`);
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES)) {
    throw invalid(op, `the header length is ${length} bytes, expected at most ${MAX_HEADER_BYTES}`);
  }
  const start = 8 + Number(length);
  if (start > bytes.length) {
    throw invalid(
      op,
      `the header of ${length} bytes runs past the end of the file, ${start} vs ${bytes.length} bytes`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, start)));
  } catch (error) {
    throw invalid(op, `the header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw invalid(
      op,
      `the header must be a JSON object, but got ${Array.isArray(header) ? "an array" : show(header)}`,
    );
  }
  return { header: header as Record<string, unknown>, start };
}

function readMetadata(value: unknown, op: string): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalid(op, `__metadata__ must be an object of strings, but got ${show(value)}`);
  }
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") {
      throw invalid(
        op,
        `__metadata__ value for ${JSON.stringify(key)} must be a string, but got ${show(entry)}`,
      );
    }
  }
  return value as Record<string, string>;
}

interface Entry {
  name: string;
  codec: Codec;
  shape: number[];
  begin: number;
  end: number;
}

const isIndex = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

function readEntry(name: string, value: unknown, op: string): Entry {
  const { dtype, shape, data_offsets: offsets } = (value ?? {}) as Record<string, unknown>;
  const codec = codecs[dtype as SafetensorsDType];
  if (typeof dtype !== "string" || !Object.hasOwn(codecs, dtype) || codec === undefined) {
    throw invalid(
      op,
      `tensor ${JSON.stringify(name)} has dtype ${show(dtype)}, expected one of ${Object.keys(codecs).join(", ")}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    throw invalid(
      op,
      `tensor ${JSON.stringify(name)} has shape ${JSON.stringify(shape)}, expected an array of non-negative integers`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isIndex) ||
    (offsets[0] as number) > (offsets[1] as number)
  ) {
    throw invalid(
      op,
      `tensor ${JSON.stringify(name)} has data_offsets ${JSON.stringify(offsets)}, expected [begin, end] with 0 <= begin <= end`,
    );
  }
  const [begin, end] = offsets as [number, number];
  const expected = shape.reduce((n: number, s: number) => n * s, 1) * codec.bytes;
  if (end - begin !== expected) {
    throw invalid(
      op,
      `tensor ${JSON.stringify(name)} has ${end - begin} bytes of data, expected ${expected} for shape ${formatShape(shape)} of ${dtype}`,
    );
  }
  return { name, codec, shape, begin, end };
}

/** Checks that the entries tile the data section exactly: no gaps, no overlaps, nothing past the end. */
function checkLayout(entries: Entry[], dataLength: number, op: string): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous = "the header";
  for (const entry of sorted) {
    const where = `tensor ${JSON.stringify(entry.name)} data_offsets [${entry.begin}, ${entry.end}]`;
    if (entry.end > dataLength) {
      throw invalid(
        op,
        `${where} run past the end of the data, ${entry.end} vs ${dataLength} bytes`,
      );
    }
    if (entry.begin !== position) {
      const problem = entry.begin < position ? "overlap" : "leave a gap after";
      throw invalid(op, `${where} ${problem} ${previous}, expected begin ${position}`);
    }
    position = entry.end;
    previous = `tensor ${JSON.stringify(entry.name)}`;
  }
  if (position !== dataLength) {
    throw invalid(
      op,
      `the tensors cover ${position} of the ${dataLength} data bytes, expected all of them`,
    );
  }
}

/**
 * Parses safetensors bytes, rejecting truncated or hostile input (a bad header length, a header
 * past the end, offsets out of range, overlapping or not matching shape × dtype size, unknown
 * dtypes) with a `CHECKPOINT_INVALID` {@link TrainError}. `op` names the caller in messages.
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  op = "decodeSafetensors",
): SafetensorsContents {
  if (!(bytes instanceof Uint8Array)) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `bytes must be a Uint8Array, but got ${show(bytes)}. Hint: pass new Uint8Array(arrayBuffer) or the Buffer read from disk.`,
    );
  }
  const { header, start } = readHeader(bytes, op);
  const metadata = readMetadata(header.__metadata__, op);
  const entries = Object.entries(header)
    .filter(([name]) => name !== "__metadata__")
    .map(([name, value]) => readEntry(name, value, op));
  checkLayout(entries, bytes.length - start, op);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, bytes.length - start);
  const tensors: Record<string, Tensor> = {};
  for (const { name, codec, shape, begin, end } of entries) {
    const data = new codec.array((end - begin) / codec.bytes);
    for (let i = 0; i < data.length; i++) data[i] = codec.read(view, begin + i * codec.bytes);
    tensors[name] = Tensor.fromData(data, shape, codec.dtype);
  }
  return { tensors, metadata };
}
