import type { DataError } from "@x/data";

const DELIMITERS = [",", "\t", "|", ";"] as const;

/** The delimiter a header line most likely uses (the candidates parseCsv detects among). */
function guessDelimiter(line: string): string {
  let best: string = ",";
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = line.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/** 0-based start offsets and trimmed texts of the fields of one CSV line (quotes respected). */
function fields(line: string, delimiter: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (i === line.length || (!quoted && line.startsWith(delimiter, i))) {
      const raw = line.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      out.push({ start: start + lead, text: raw.trim().replace(/^"(.*)"$/, "$1") });
      start = i + delimiter.length;
    }
  }
  return out;
}

/**
 * `line:column` (both 1-based, column in characters) of the cell a parseCsv error is about, so an
 * editor can jump there; `line` alone when the cell cannot be placed; undefined without a line.
 * `lines` are the file's first non-blank line (the header, unless `hasHeader` is false) and the
 * error's line; without a header the columns are named "0", "1", …. This only
 * locates the error for the message: parsing itself is parseCsv's (PapaParse).
 */
export function csvLocation(
  lines: { first?: string | undefined; line?: string | undefined },
  hasHeader: boolean,
  error: DataError,
): string | undefined {
  if (error.line === undefined) return undefined;
  const { first: header, line } = lines;
  if (line === undefined || header === undefined) return `${error.line}`;
  const delimiter = guessDelimiter(header);
  const names = fields(header, delimiter).map((f) => f.text);
  const cells = fields(line, delimiter);
  // A too-long row points at its first extra field, a too-short one at the end of the line.
  if (error.column === undefined && error.code !== "RAGGED_ROW") return `${error.line}`;
  const index =
    error.column === undefined
      ? names.length
      : hasHeader
        ? names.indexOf(String(error.column))
        : Number(error.column);
  if (!Number.isInteger(index) || index < 0) return `${error.line}`;
  const column = index < cells.length ? (cells[index]?.start ?? 0) + 1 : line.length + 1;
  return `${error.line}:${column}`;
}
