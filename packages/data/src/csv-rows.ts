import Papa from "papaparse";
import { DataError } from "./errors";

/** Called with each row's raw cells and the 1-based physical line the row starts on. */
export type RowSink = (cells: string[], line: number) => void;

/**
 * Text is handed to PapaParse in blocks of about this many characters: small enough that a block's
 * rows stay few (they are garbage right after), large enough that each call is worth it.
 */
const BLOCK = 1 << 16;
const BREAK = /\r\n|\r|\n/g;
const OP = "parseCsv";

/** How many line breaks `text` holds (a quoted field may span lines). */
function countBreaks(text: string): number {
  if (!text.includes("\n") && !text.includes("\r")) return 0;
  return text.match(BREAK)?.length ?? 0;
}

/**
 * Where the last line break outside quotes starts in `text`, or -1. Quotes toggle in pairs (an
 * escaped quote is `""`), so a break ends a row exactly when an even number of quotes precede it.
 */
function lastRowBreak(text: string, newline: string): number {
  if (!text.includes('"')) return text.lastIndexOf(newline);
  let quoted = false;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) quoted = !quoted;
    else if (!quoted && text.startsWith(newline, i)) last = i;
  }
  return last;
}

/**
 * Splits CSV text, given as chunks in order, into rows with PapaParse without holding more than
 * one block of text: each block is cut at its last line break outside quotes, and the rest waits
 * for the next chunk. The delimiter (unless given) and the line break are PapaParse's guesses on
 * the first block, then fixed, so that every block is read alike.
 */
export class CsvRowReader {
  private pending = "";
  private line = 1;
  private started = false;
  private delimiter: string;
  private newline = "\n";

  constructor(
    delimiter: string | undefined,
    private readonly sink: RowSink,
  ) {
    this.delimiter = delimiter ?? "";
  }

  /** Adds the next chunk of text (of any length); parses whole blocks as soon as there are enough. */
  write(chunk: string): void {
    for (let at = 0; at < chunk.length; at += BLOCK) this.take(chunk.slice(at, at + BLOCK));
  }

  private take(piece: string): void {
    this.pending += piece;
    if (this.pending.length < BLOCK) return;
    this.start();
    const cut = lastRowBreak(this.pending, this.newline);
    if (cut < 0) return;
    this.parse(this.pending.slice(0, cut));
    this.line++;
    this.pending = this.pending.slice(cut + this.newline.length);
  }

  /** Parses what is left once the last chunk was written. */
  end(): void {
    this.start();
    this.parse(this.pending);
    this.pending = "";
  }

  /** Drops a byte-order mark and settles the delimiter and line break on the first block. */
  private start(): void {
    if (this.started) return;
    this.started = true;
    this.pending = this.pending.replace(/^\uFEFF/, "");
    // PapaParse's delimiter guess during a parse that keeps blank lines counts them as one-field
    // rows and so fails on a tab- or semicolon-separated file that ends with a newline: guess on
    // the first 10 non-blank rows instead.
    const meta = Papa.parse<string[]>(this.pending, {
      delimiter: this.delimiter,
      skipEmptyLines: "greedy",
      preview: 10,
    }).meta;
    this.delimiter = meta.delimiter;
    this.newline = meta.linebreak;
  }

  /** Emits the rows of `text`, which holds whole rows and no break after the last one. */
  private parse(text: string): void {
    if (text === "") return; // a blank line: the break after it is counted by the caller
    const multiline = text.includes('"');
    Papa.parse<string[]>(text, {
      delimiter: this.delimiter,
      newline: this.newline as Papa.ParseConfig["newline"],
      header: false,
      skipEmptyLines: false,
      step: (result) => {
        const { line } = this;
        const quoteError = result.errors.find((e) => e.type === "Quotes");
        if (quoteError !== undefined) {
          throw new DataError(
            "MALFORMED_CSV",
            OP,
            `${quoteError.message.toLowerCase()} in the row starting on line ${line}, expected a closing '"' before the next delimiter or line end. Hint: close the quote, and write a literal quote inside a quoted field as "".`,
            { line },
          );
        }
        const cells = result.data;
        this.line += 1 + (multiline ? cells.reduce((n, cell) => n + countBreaks(cell), 0) : 0);
        if (cells.length > 1 || (cells[0] ?? "").trim() !== "") this.sink(cells, line);
      },
    });
    this.line--; // the text's last row has no break after it
  }
}
