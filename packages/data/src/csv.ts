import { type Tensor, tensor } from "@x/tensor";
import { CsvRowReader } from "./csv-rows";
import { CsvTable } from "./csv-table";
import { DataError } from "./errors";
import { show } from "./validate";

/** Options of {@link parseCsv}. */
export interface ParseCsvOptions {
  /**
   * Whether line 1 holds the column names. `'auto'` (the default) takes it as a header when one of
   * its cells is not a value (neither empty, a number, nor a missing-value marker); without a header
   * the columns are named `'0'`, `'1'`, …. `'required'` takes it as the header but throws
   * `MISSING_HEADER` when it holds only values: a file without a header would otherwise lose its
   * first row to the column names.
   */
  header?: boolean | "auto" | "required";
  /** The columns to keep, in this order, by name or by 0-based position (default: all). */
  columns?: readonly (string | number)[];
  /** The field separator; detected among `,` `\t` `|` `;` when omitted. */
  delimiter?: string;
  /**
   * Drop the rows where a kept column's cell is missing (empty, absent, or a marker such as `NaN`,
   * `NA`, `null`) or not finite (`inf`, `-Infinity`, beyond the float32 range) instead of throwing
   * (default false). A cell of other text (`12 kg`) still throws `NOT_A_NUMBER`.
   */
  dropMissing?: boolean;
}

/** What {@link parseCsv} returns. */
export interface ParsedCsv {
  /** The kept columns' names, in order. */
  columns: string[];
  /** Each kept column as a 1-d float32 tensor, by name (`tensors.t_u`). */
  tensors: Record<string, Tensor>;
  /** The lines of the rows that `dropMissing` dropped. */
  droppedLines: number[];
}

const OP = "parseCsv";

function checkOptions(text: unknown, options: ParseCsvOptions): void {
  const invalid = (what: string, got: unknown, hint: string): never => {
    throw new DataError("INVALID_ARGUMENT", OP, `${what}, but got ${show(got)}. Hint: ${hint}`);
  };
  const iterable = typeof text === "object" && text !== null && Symbol.iterator in (text as object);
  if (typeof text !== "string" && !iterable)
    invalid("text must be a string or an iterable of strings", text, "read the file first.");
  const { header = "auto", delimiter, columns, dropMissing = false } = options;
  if (header !== true && header !== false && header !== "auto" && header !== "required")
    invalid(
      "header must be true, false, 'auto' or 'required'",
      header,
      "leave it out to auto-detect.",
    );
  if (delimiter !== undefined && (typeof delimiter !== "string" || !/^[^"\r\n]+$/.test(delimiter)))
    invalid(
      "delimiter must be a non-empty string without quotes or line breaks",
      delimiter,
      "use ',' or '\\t'.",
    );
  if (columns !== undefined && (!Array.isArray(columns) || columns.length === 0))
    invalid(
      "columns must be a non-empty array of names or indices",
      columns,
      "leave it out to keep every column.",
    );
  if (typeof dropMissing !== "boolean")
    invalid("dropMissing must be a boolean", dropMissing, "pass true or false.");
}

/** Each chunk of `text`, checked to be a string. */
function* chunksOf(text: string | Iterable<string>): Iterable<string> {
  if (typeof text === "string") {
    yield text;
    return;
  }
  let index = 0;
  for (const chunk of text) {
    if (typeof chunk !== "string") {
      throw new DataError(
        "INVALID_ARGUMENT",
        OP,
        `chunk ${index} of text must be a string, but got ${show(chunk)}. Hint: decode the bytes first, e.g. with a TextDecoder in stream mode.`,
      );
    }
    yield chunk;
    index++;
  }
}

/**
 * Parses numeric CSV text into named 1-d float32 column tensors, with PapaParse (quoted fields,
 * CRLF, a BOM and a trailing newline are fine; blank lines are skipped). `text` is the whole text
 * or its chunks in order (e.g. a file read a megabyte at a time, decoded in stream mode): chunks
 * are parsed as they come and each row goes straight into float32 columns, so a large file costs
 * about 4 bytes a kept cell rather than its text.
 *
 * Every kept cell must hold a finite number: a missing value (an empty cell, `NaN`, `NA`, `null`)
 * or an infinity throws, unless `dropMissing` drops its row. Errors are {@link DataError}s whose
 * `line` is the 1-based physical line (the header is line 1) and whose `column` is the column's
 * name: `EMPTY_INPUT`, `MALFORMED_CSV`, `MISSING_HEADER`, `RAGGED_ROW`, `MISSING_VALUE`,
 * `NOT_FINITE`, `NOT_A_NUMBER`, `UNKNOWN_COLUMN`, `DUPLICATE_COLUMN`.
 *
 * @example
 * const { columns, tensors } = parseCsv("t_c,t_u\n0.5,35.7\n14,55.9\n", { header: true });
 * tensors.t_u; // tensor([35.7000, 55.9000])
 */
export function parseCsv(
  text: string | Iterable<string>,
  options: ParseCsvOptions = {},
): ParsedCsv {
  checkOptions(text, options);
  const table = new CsvTable({
    header: options.header ?? "auto",
    columns: options.columns,
    dropMissing: options.dropMissing ?? false,
  });
  const reader = new CsvRowReader(options.delimiter, (cells, line) => table.add(cells, line));
  for (const chunk of chunksOf(text)) reader.write(chunk);
  reader.end();
  const { names, values } = table.finish();
  const columns = values.drain((column) => tensor(column));
  const tensors: Record<string, Tensor> = {};
  names.forEach((name, k) => {
    tensors[name] = columns[k] as Tensor;
  });
  return { columns: names, tensors, droppedLines: table.droppedLines };
}
