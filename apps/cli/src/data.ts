import { DataError, parseCsv } from "@x/data";
import { type Tensor, tensor } from "@x/tensor";
import { csvLocation } from "./csv-location";
import { CliError, usageError } from "./errors";
import { findLines, readText } from "./text-file";
import { thermometer } from "./thermometer";

/** One input column and one target column, read from a CSV file or built in. */
export interface Dataset {
  /** The file it came from, or the built-in data's description. */
  source: string;
  /** The CSV path, when the data came from a file. */
  file?: string;
  /** The input column's name (`t_u`). */
  xName: string;
  /** The target column's name (`t_c`). */
  yName: string;
  /** Inputs as a 1-d float32 tensor, in the data's own units. */
  x: Tensor;
  /** Targets as a 1-d float32 tensor. */
  y: Tensor;
  /** Lines of the file that `--drop-missing` skipped. */
  droppedLines: number[];
}

/** How to read a CSV file's columns. */
export interface ColumnOptions {
  /** Input column: a name, or a 0-based index (default: the first column). */
  x?: string | undefined;
  /** Target column: a name, or a 0-based index (default: the second column). */
  y?: string | undefined;
  /** Skip rows with a missing or non-finite cell instead of stopping. */
  dropMissing?: boolean | undefined;
  /** False (`--no-header`) when line 1 is data; the columns are then named "0", "1", …. */
  header?: boolean | undefined;
  /** Print nothing but errors (no note about dropped rows). */
  quiet?: boolean | undefined;
}

/** The book's eleven readings as a {@link Dataset}. */
export function builtinData(): Dataset {
  return {
    source: thermometer.source,
    xName: thermometer.x.name,
    yName: thermometer.y.name,
    x: tensor([...thermometer.x.values]),
    y: tensor([...thermometer.y.values]),
    droppedLines: [],
  };
}

const INTEGER = /^\d+$/;

/**
 * The ways to read the command line's column keys: each as a name first, and a purely numeric
 * key that is no column's name also as a 0-based index.
 */
function columnTries(keys: readonly string[]): (string | number)[][] {
  return keys.reduce<(string | number)[][]>(
    (tries, key) =>
      tries.flatMap((t) =>
        INTEGER.test(key)
          ? [
              [...t, key],
              [...t, Number(key)],
            ]
          : [[...t, key]],
      ),
    [[]],
  );
}

function parseColumns(file: string, keys: readonly string[], options: ColumnOptions) {
  const hasHeader = options.header !== false;
  let lastError: unknown;
  for (const columns of columnTries(keys)) {
    try {
      return parseCsv(readText(file, "CSV file"), {
        columns,
        dropMissing: options.dropMissing ?? false,
        header: hasHeader ? "required" : false,
      });
    } catch (error) {
      if (!DataError.isInstance(error) || error.code !== "UNKNOWN_COLUMN") {
        throw csvError(error, file, keys, hasHeader);
      }
      lastError = error;
    }
  }
  throw csvError(lastError, file, keys, hasHeader);
}

/** Rewrites a parseCsv error as `file:line:column: message`, with the CLI's option names. */
function csvError(error: unknown, file: string, keys: readonly string[], hasHeader: boolean) {
  if (!DataError.isInstance(error)) return error;
  if (error.code === "DUPLICATE_COLUMN" && error.line === undefined) {
    return usageError(
      `--x ${keys[0]} and --y ${keys[1]} name the same column ${JSON.stringify(error.column)} of ${file}, expected an input column and a different target column. Hint: pass e.g. --x t_u --y t_c.`,
    );
  }
  const where =
    error.line === undefined
      ? undefined
      : csvLocation(findLines(file, error.line), hasHeader, error);
  const prefix = where === undefined ? file : `${file}:${where}`;
  const message = error.message
    .replace(/^parseCsv: /, "")
    .replaceAll("pass dropMissing: true", "pass --drop-missing")
    .replace(
      /pass header: false to read line (\d+) as data/,
      "pass --no-header to read line $1 as data (the columns are then picked by position, --x 0 --y 1)",
    );
  return new CliError("FILE_UNREADABLE", `${prefix}: ${message}`);
}

/** `line 3`, `lines 3, 7` or, for many, `lines 3, 7, 9, 12, 20, …`. */
function listLines(lines: readonly number[]): string {
  const shown = lines.slice(0, 5).join(", ");
  return `line${lines.length === 1 ? "" : "s"} ${shown}${lines.length > 5 ? ", …" : ""}`;
}

/**
 * Reads the input and target columns of a CSV file (with `single`, only the input column: `y`
 * then repeats `x`), a chunk at a time. Rows dropped by `--drop-missing` are counted on stderr.
 */
export function loadCsv(file: string, options: ColumnOptions & { single?: boolean } = {}): Dataset {
  const x = options.x ?? "0";
  const y = options.y ?? "1";
  const parsed = parseColumns(file, options.single ? [x] : [x, y], options);
  const [xName, yName = xName] = parsed.columns as [string, string?];
  const data: Dataset = {
    source: file,
    file,
    xName,
    yName,
    x: parsed.tensors[xName] as Tensor,
    y: parsed.tensors[yName] as Tensor,
    droppedLines: parsed.droppedLines,
  };
  const dropped = data.droppedLines.length;
  if (dropped > 0 && !options.quiet) {
    process.stderr.write(
      `note: --drop-missing dropped ${dropped} row${dropped === 1 ? "" : "s"} of ${file} with a missing or non-finite value (${listLines(data.droppedLines)}); ${data.x.shape[0]} remain.\n`,
    );
  }
  return data;
}

/** The CSV file's columns, or the built-in data when no file is given. */
export function loadData(file: string | undefined, options: ColumnOptions = {}): Dataset {
  if (file !== undefined) return loadCsv(file, options);
  if (options.x !== undefined || options.y !== undefined) {
    throw usageError(
      `--x/--y pick columns of a CSV file, but no file was given (the built-in data has t_u → t_c). Hint: pass the file, e.g. x fit data.csv --x ${options.x ?? "0"} --y ${options.y ?? "1"}.`,
    );
  }
  if (options.header === false) {
    throw usageError(
      "--no-header says how to read a CSV file, but no file was given (the built-in data has its column names). Hint: pass the file, e.g. x fit data.csv --no-header.",
    );
  }
  return builtinData();
}
