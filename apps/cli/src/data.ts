import { readFileSync } from "node:fs";
import { DataError, parseCsv } from "@x/data";
import { type Tensor, tensor } from "@x/tensor";
import { csvLocation } from "./csv-location";
import { CliError, usageError } from "./errors";
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

/** How to pick the columns of a CSV file. */
export interface ColumnOptions {
  /** Input column: a name, or a 0-based index (default: the first column). */
  x?: string | undefined;
  /** Target column: a name, or a 0-based index (default: the second column). */
  y?: string | undefined;
  /** Skip rows with an empty cell instead of stopping. */
  dropMissing?: boolean | undefined;
}

/** Reads a whole text file, turning a missing or unreadable file into a one-paragraph error. */
export function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new CliError(
        "FILE_NOT_FOUND",
        `cannot find the ${what} ${JSON.stringify(file)}, expected an existing file. Hint: check the path (relative paths start at ${process.cwd()}).`,
      );
    }
    throw new CliError(
      "FILE_UNREADABLE",
      `cannot read the ${what} ${JSON.stringify(file)} (${code ?? String(error)}), expected a readable file. Hint: check its permissions, and that it is a file and not a folder.`,
    );
  }
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

function parseColumns(text: string, file: string, keys: readonly string[], dropMissing: boolean) {
  let lastError: unknown;
  for (const columns of columnTries(keys)) {
    try {
      return parseCsv(text, { columns, dropMissing });
    } catch (error) {
      if (!DataError.isInstance(error) || error.code !== "UNKNOWN_COLUMN") {
        throw csvError(error, text, file, keys);
      }
      lastError = error;
    }
  }
  throw csvError(lastError, text, file, keys);
}

/** Rewrites a parseCsv error as `file:line:column: message`, with the CLI's option names. */
function csvError(error: unknown, text: string, file: string, keys: readonly string[]): unknown {
  if (!DataError.isInstance(error)) return error;
  if (error.code === "DUPLICATE_COLUMN" && error.line === undefined) {
    return usageError(
      `--x ${keys[0]} and --y ${keys[1]} name the same column ${JSON.stringify(error.column)} of ${file}, expected an input column and a different target column. Hint: pass e.g. --x t_u --y t_c.`,
    );
  }
  const where = csvLocation(text, error);
  const prefix = where === undefined ? file : `${file}:${where}`;
  const message = error.message
    .replace(/^parseCsv: /, "")
    .replaceAll("pass dropMissing: true", "pass --drop-missing");
  return new CliError("FILE_UNREADABLE", `${prefix}: ${message}`);
}

/**
 * Reads the input and target columns of a CSV file (with `single`, only the input column: `y`
 * then repeats `x`).
 */
export function loadCsv(file: string, options: ColumnOptions & { single?: boolean } = {}): Dataset {
  const x = options.x ?? "0";
  const y = options.y ?? "1";
  const text = readText(file, "CSV file");
  const parsed = parseColumns(
    text,
    file,
    options.single ? [x] : [x, y],
    options.dropMissing ?? false,
  );
  const [xName, yName = xName] = parsed.columns as [string, string?];
  return {
    source: file,
    file,
    xName,
    yName,
    x: parsed.tensors[xName] as Tensor,
    y: parsed.tensors[yName] as Tensor,
    droppedLines: parsed.droppedLines,
  };
}

/** The CSV file's columns, or the built-in data when no file is given. */
export function loadData(file: string | undefined, options: ColumnOptions = {}): Dataset {
  if (file !== undefined) return loadCsv(file, options);
  if (options.x !== undefined || options.y !== undefined) {
    throw usageError(
      `--x/--y pick columns of a CSV file, but no file was given (the built-in data has t_u → t_c). Hint: pass the file, e.g. x fit data.csv --x ${options.x ?? "0"} --y ${options.y ?? "1"}.`,
    );
  }
  return builtinData();
}
