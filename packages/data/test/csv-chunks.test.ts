import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ParsedCsv, parseCsv } from "../src/index";
import { catchDataError, expectDataError, values } from "./helpers";

/** Each column's values, by name, and the dropped lines. */
const summary = (parsed: ParsedCsv) => ({
  columns: Object.fromEntries(
    parsed.columns.map((name) => [name, values(parsed.tensors[name] as never)]),
  ),
  droppedLines: parsed.droppedLines,
});

/** `text` cut at the given offsets. */
function cut(text: string, offsets: readonly number[]): string[] {
  const at = [...new Set(offsets.map((o) => o % (text.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => text.slice(start, at[i] ?? text.length));
}

/**
 * A table of `rows` rows over several of parseCsv's 64 Ki-character blocks: CRLF line ends, a BOM,
 * blank lines, quoted fields (some spanning two lines, some with escaped quotes) and gaps.
 */
function bigTable(rows: number) {
  const parts = ['\uFEFF"a","b ""quoted""\r\nname"\r\n'];
  const a: number[] = [];
  const b: number[] = [];
  const dropped: number[] = [];
  let line = 3;
  for (let i = 0; i < rows; i++) {
    const value = Math.fround(i / 8);
    if (i % 997 === 0) {
      parts.push(`"${i}","${value}\r\n"\r\n`); // a line break inside the quotes
      line += 2;
    } else if (i % 613 === 0) {
      parts.push("\r\n"); // a blank line
      line += 1;
      continue;
    } else if (i % 401 === 0) {
      parts.push(`${i},nan\r\n`); // dropped
      dropped.push(line);
      line += 1;
      continue;
    } else {
      parts.push(`${i},"${value}"\r\n`);
      line += 1;
    }
    a.push(i);
    b.push(value);
  }
  return { text: parts.join(""), a, b, dropped, lines: line - 1 };
}

describe("parseCsv: text given in chunks", () => {
  it("gives the same columns, dropped lines and error lines however the text is cut (property)", () => {
    const text = '\uFEFFx,"y\r\nz"\r\n1,2\r\n\r\n3,"5\n"\r\n6,NaN\r\n"7",8\r\n9,10';
    const whole = () => parseCsv(text, { dropMissing: true });
    const bad = 'a;b\n1;2\n"3\r\n";4\n\n5;"x"\n';
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (offsets) => {
        expect(summary(parseCsv(cut(text, offsets), { dropMissing: true }))).toEqual(
          summary(whole()),
        );
        const error = catchDataError(() => parseCsv(cut(bad, offsets)), "NOT_A_NUMBER");
        expect([error.line, error.column]).toEqual([6, "b"]);
      }),
    );
    expect(summary(whole())).toEqual({
      columns: { x: [1, 3, 7, 9], "y\r\nz": [2, 5, 8, 10] },
      droppedLines: [7],
    });
  });

  it("reads a table over many blocks, cut anywhere (even inside quotes and CRLF pairs)", () => {
    const { text, a, b, dropped, lines } = bigTable(60_000);
    expect(text.length).toBeGreaterThan(8 * 65_536);
    for (const size of [65_536, 100_003, 7_919, 1]) {
      const chunks =
        size === 1
          ? [text]
          : cut(
              text,
              Array.from({ length: text.length / size }, (_, i) => (i + 1) * size),
            );
      const parsed = parseCsv(chunks, { dropMissing: true });
      expect(parsed.columns).toEqual(["a", 'b "quoted"\r\nname']);
      expect(values(parsed.tensors.a as never)).toEqual(a);
      expect(values(parsed.tensors[parsed.columns[1] as string] as never)).toEqual(b);
      expect(parsed.droppedLines).toEqual(dropped);
    }
    const error = catchDataError(() => parseCsv([text, "1,oops\r\n"]), "MISSING_VALUE");
    expect(error.line).toBe(dropped[0]); // the first nan, line 405
    const late = catchDataError(
      () => parseCsv([text, "1,oops\r\n"], { dropMissing: true }),
      "NOT_A_NUMBER",
    );
    expect(late.line).toBe(lines + 1);
  });

  it("accepts any iterable of strings, such as a generator, and an empty one as empty text", () => {
    function* chunks() {
      yield "t_c,t_";
      yield "u\n0.5,3";
      yield "5.7\n";
    }
    expect(summary(parseCsv(chunks())).columns).toEqual({ t_c: [0.5], t_u: [Math.fround(35.7)] });
    catchDataError(() => parseCsv([]), "EMPTY_INPUT");
  });

  it("INVALID_ARGUMENT for a chunk that is not a string", () => {
    expectDataError(
      () => parseCsv(["a\n", new Uint8Array(2) as never]),
      "INVALID_ARGUMENT",
      "parseCsv: chunk 1 of text must be a string, but got object. Hint: decode the bytes first, e.g. with a TextDecoder in stream mode.",
    );
  });
});
