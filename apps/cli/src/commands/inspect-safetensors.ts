import {
  loadCheckpoint,
  type SafetensorsConversion,
  type SafetensorsHeader,
  TrainError,
} from "@x/train";
import { CliError } from "../errors";
import { type Colors, wrap } from "../format";

/** One tensor as `x inspect` lists it. */
export interface ListedTensor {
  name: string;
  /** The file's dtype (`F32`, `BF16`, `U8`, …). */
  dtype: string;
  shape: number[];
  /** The size of its data in bytes. */
  bytes: number;
  /** The dtype @x/train loads it as, or null when it cannot load it. */
  loadsAs: string | null;
}

/** The tensors of a header, as `x inspect --json` lists them. */
export function listTensors(header: SafetensorsHeader): ListedTensor[] {
  return header.tensors.map(({ name, dtype, shape, bytes, loadsAs }) => ({
    name,
    dtype,
    shape,
    bytes,
    loadsAs: loadsAs ?? null,
  }));
}

/** The error for a file that is not valid safetensors (`what`: why). */
export function notSafetensors(file: string, what: string): CliError {
  return new CliError(
    "BAD_CHECKPOINT",
    `${file} is not a valid safetensors file: ${what}. Hint: a truncated or corrupted file must be written again (by x fit --save, or by safetensors' save_file in Python).`,
  );
}

/** Whether @x/train loads the file, and what it converts (or why it cannot). */
type Load =
  | { ok: true; conversions: SafetensorsConversion[] }
  | { ok: false; code: string; message: string };

function tryLoad(bytes: Uint8Array): Load {
  try {
    return { ok: true, conversions: loadCheckpoint(bytes).conversions };
  } catch (error) {
    if (!TrainError.isInstance(error)) throw error;
    return { ok: false, code: error.code, message: error.message.replace(/^\w+: /, "") };
  }
}

/** "2 F16 tensors and 1 BF16 tensor to float32, 1 I64 tensor to int32". */
export function describeConversions(conversions: readonly SafetensorsConversion[]): string {
  const counts = new Map<string, Map<string, number>>();
  for (const { from, to } of conversions) {
    const byFrom = counts.get(to) ?? new Map<string, number>();
    byFrom.set(from, (byFrom.get(from) ?? 0) + 1);
    counts.set(to, byFrom);
  }
  return [...counts]
    .map(([to, byFrom]) => {
      const parts = [...byFrom].map(([from, n]) => `${n} ${from} tensor${n === 1 ? "" : "s"}`);
      return `${parts.join(" and ")} to ${to}`;
    })
    .join(", ");
}

/** Rows of cells as aligned columns (`right`: the indices of right-aligned columns). */
function columns(rows: readonly string[][], right: ReadonlySet<number>): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((row) =>
    row
      .map((cell, i) =>
        right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd(),
  );
}

const CONVERTED = new Set(["F16", "BF16", "I64"]);
const MAX_VALUE_LENGTH = 72;

function loadsAsCell({ dtype, loadsAs }: ListedTensor): string {
  if (loadsAs === null) return "cannot load";
  return CONVERTED.has(dtype) ? `${loadsAs} (converted)` : loadsAs;
}

function shortened(value: string): string {
  const oneLine = JSON.stringify(value).slice(1, -1);
  return oneLine.length <= MAX_VALUE_LENGTH
    ? oneLine
    : `${oneLine.slice(0, MAX_VALUE_LENGTH - 1)}… (${value.length} characters)`;
}

function renderText(
  file: string,
  tensors: readonly ListedTensor[],
  metadata: Record<string, string>,
  load: Load,
  colors: Colors,
): string {
  const total = tensors.reduce((sum, t) => sum + t.bytes, 0);
  const rows = [
    ["tensor", "dtype", "shape", "bytes", "loads as"],
    ...tensors.map((t) => [
      t.name,
      t.dtype,
      `[${t.shape.join(", ")}]`,
      String(t.bytes),
      loadsAsCell(t),
    ]),
  ];
  const [head = "", ...body] = columns(rows, new Set([3]));
  const entries = Object.entries(metadata);
  const keyWidth = Math.max(0, ...entries.map(([key]) => key.length));
  const meta =
    entries.length === 0
      ? [`  ${colors.dim("no metadata")}`]
      : [
          `  ${colors.dim("metadata")}`,
          ...entries.map(([key, value]) => `  ${key.padEnd(keyWidth)}  ${shortened(value)}`),
        ];
  const loaded = load.ok
    ? `@x/train's loadCheckpoint reads it${load.conversions.length === 0 ? "" : `, converting ${describeConversions(load.conversions)}`}.`
    : `@x/train's loadCheckpoint cannot read it (${load.code}): ${load.message}`;
  const count = `${tensors.length} tensor${tensors.length === 1 ? "" : "s"}, ${total} bytes of data`;
  return [
    `${colors.bold(file)} ${colors.dim("(safetensors, not written by x fit)")}`,
    "",
    `  ${colors.dim(head)}`,
    ...body.map((line) => `  ${line}`),
    `  ${colors.dim(count)}`,
    "",
    ...meta,
    "",
    ...wrap(loaded, Math.min(process.stdout.columns ?? 100, 100) - 2)
      .split("\n")
      .map((line) => `  ${load.ok ? line : colors.yellow(line)}`),
    `  ${colors.dim("x predict and x evaluate use checkpoints written by x fit --save.")}`,
    "",
  ].join("\n");
}

/** `x inspect` of a valid safetensors file that `x fit` did not write: its tensors and metadata. */
export function inspectSafetensors(
  file: string,
  bytes: Uint8Array,
  header: SafetensorsHeader,
  json: boolean,
  colors: Colors,
): void {
  const tensors = listTensors(header);
  const load = tryLoad(bytes);
  if (json) {
    const document = {
      command: "inspect",
      file,
      format: "safetensors",
      writtenByFit: false,
      tensors,
      dataBytes: tensors.reduce((sum, t) => sum + t.bytes, 0),
      metadata: header.metadata,
      load,
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  process.stdout.write(renderText(file, tensors, header.metadata, load, colors));
}
