import { type DType, formatShape } from "@x/tensor";
import { TrainError } from "./errors";
import { elementBytes, loadedDType } from "./safetensors-dtypes";
import { show } from "./validate";

/** One tensor as a safetensors header describes it. */
export interface SafetensorsTensorInfo {
  /** The tensor's name (any string, `__proto__` included). */
  name: string;
  /** The file's dtype, e.g. `"F32"`, `"BF16"` or `"U8"`. */
  dtype: string;
  /** The shape. */
  shape: number[];
  /** Where its data lies in the data section: `[begin, end)` in bytes. */
  dataOffsets: [number, number];
  /** The size of its data in bytes. */
  bytes: number;
  /** The dtype `decodeSafetensors` gives it (F16 and BF16 become float32, I64 int32), or undefined when it cannot load it. */
  loadsAs: DType | undefined;
}

/** What a safetensors header says: the tensors, in the file's order, and the metadata. */
export interface SafetensorsHeader {
  /** The tensors, in the order of the header. */
  tensors: SafetensorsTensorInfo[];
  /** The `__metadata__` entries. */
  metadata: Record<string, string>;
  /** The byte offset of the data section (8 + the header's length). */
  dataStart: number;
}

/** Largest header accepted, as the reference implementation (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

function invalid(op: string, what: string): TrainError {
  return new TrainError(
    "CHECKPOINT_INVALID",
    op,
    `${what}. Hint: the file is truncated, corrupted or not a .safetensors file; write it again with saveCheckpoint.`,
  );
}

/** Parses the JSON header; returns it with the byte offset where the data starts. */
function parseHeader(bytes: Uint8Array, op: string): { header: object; start: number } {
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
  return { header, start };
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

const isIndex = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

function readEntry(name: string, value: unknown, op: string): SafetensorsTensorInfo {
  const { dtype, shape, data_offsets: offsets } = (value ?? {}) as Record<string, unknown>;
  if (typeof dtype !== "string" || dtype === "") {
    throw invalid(
      op,
      `tensor ${JSON.stringify(name)} has dtype ${show(dtype)}, expected a dtype name such as "F32"`,
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
  // A dtype of unknown size (a newer or sub-byte one) cannot be checked; decoding refuses it.
  const size = elementBytes(dtype);
  const expected = size === undefined ? end - begin : shape.reduce((n, s) => n * s, 1) * size;
  if (end - begin !== expected) {
    throw invalid(
      op,
      `tensor ${JSON.stringify(name)} has ${end - begin} bytes of data, expected ${expected} for shape ${formatShape(shape)} of ${dtype}`,
    );
  }
  return {
    name,
    dtype,
    shape,
    dataOffsets: [begin, end],
    bytes: end - begin,
    loadsAs: loadedDType(dtype),
  };
}

/** Checks that the entries tile the data section exactly: no gaps, no overlaps, nothing past the end. */
function checkLayout(entries: SafetensorsTensorInfo[], dataLength: number, op: string): void {
  const sorted = [...entries].sort(
    (a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1],
  );
  let position = 0;
  let previous = "the header";
  for (const { name, dataOffsets } of sorted) {
    const [begin, end] = dataOffsets;
    const where = `tensor ${JSON.stringify(name)} data_offsets [${begin}, ${end}]`;
    if (end > dataLength) {
      throw invalid(op, `${where} run past the end of the data, ${end} vs ${dataLength} bytes`);
    }
    if (begin !== position) {
      const problem = begin < position ? "overlap" : "leave a gap after";
      throw invalid(op, `${where} ${problem} ${previous}, expected begin ${position}`);
    }
    position = end;
    previous = `tensor ${JSON.stringify(name)}`;
  }
  if (position !== dataLength) {
    throw invalid(
      op,
      `the tensors cover ${position} of the ${dataLength} data bytes, expected all of them`,
    );
  }
}

/**
 * Reads and checks a safetensors file's header without loading any tensor: the names, dtypes
 * (any, including those `decodeSafetensors` cannot load), shapes, byte sizes and the metadata.
 * Truncated or hostile input (a bad header length, a header past the end, offsets out of range,
 * overlapping or not matching shape × dtype size) throws a `CHECKPOINT_INVALID`
 * {@link TrainError}. `op` names the caller in messages.
 *
 * @example
 * for (const t of readSafetensorsHeader(bytes).tensors) console.log(t.name, t.dtype, t.shape);
 */
export function readSafetensorsHeader(
  bytes: Uint8Array,
  op = "readSafetensorsHeader",
): SafetensorsHeader {
  if (!(bytes instanceof Uint8Array)) {
    throw new TrainError(
      "INVALID_OPTION",
      op,
      `bytes must be a Uint8Array, but got ${show(bytes)}. Hint: pass new Uint8Array(arrayBuffer) or the Buffer read from disk.`,
    );
  }
  const { header, start } = parseHeader(bytes, op);
  const metadata = readMetadata((header as { __metadata__?: unknown }).__metadata__, op);
  const tensors = Object.entries(header)
    .filter(([name]) => name !== "__metadata__")
    .map(([name, value]) => readEntry(name, value, op));
  checkLayout(tensors, bytes.length - start, op);
  return { tensors, metadata, dataStart: start };
}
