import { closeSync, openSync, readSync } from "node:fs";
import { CliError } from "./errors";

const CHUNK_BYTES = 1 << 16;

/** A missing or unreadable file as a one-paragraph error. */
function fileError(error: unknown, file: string, what: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error;
  if (code === "ENOENT") {
    return new CliError(
      "FILE_NOT_FOUND",
      `cannot find the ${what} ${JSON.stringify(file)}, expected an existing file. Hint: check the path (relative paths start at ${process.cwd()}).`,
    );
  }
  return new CliError(
    "FILE_UNREADABLE",
    `cannot read the ${what} ${JSON.stringify(file)} (${code}), expected a readable file. Hint: check its permissions, and that it is a file and not a folder.`,
  );
}

/**
 * Reads a UTF-8 text file a megabyte at a time, so that a large file is never held whole; a
 * missing or unreadable file becomes a one-paragraph error.
 */
export function* readText(file: string, what: string): Generator<string, void, undefined> {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw fileError(error, file, what);
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new TextDecoder("utf-8");
    for (;;) {
      let bytes: number;
      try {
        bytes = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      } catch (error) {
        throw fileError(error, file, what);
      }
      if (bytes === 0) break;
      yield decoder.decode(buffer.subarray(0, bytes), { stream: true });
    }
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    closeSync(fd);
  }
}

/** The first non-blank line and line `n` (1-based) of a text file, reading no further. */
export function findLines(file: string, n: number): { first?: string; line?: string } {
  const found: { first?: string; line?: string } = {};
  let number = 1;
  /** Takes complete lines; true once line `n` is found. */
  const take = (lines: readonly string[]): boolean => {
    for (const line of lines) {
      if (found.first === undefined && line.trim() !== "") found.first = line;
      if (number++ === n) found.line = line;
    }
    return found.line !== undefined;
  };
  let partial = "";
  for (const chunk of readText(file, "file")) {
    const joined = partial + chunk;
    const text = number === 1 ? joined.replace(/^\uFEFF/, "") : joined;
    // A "\r" at the end of a chunk may be half of a "\r\n": keep it for the next chunk.
    const held = text.endsWith("\r") ? 1 : 0;
    const lines = text.slice(0, text.length - held).split(/\r\n|\r|\n/);
    partial = (lines.pop() as string) + (held ? "\r" : "");
    if (take(lines)) return found;
  }
  take(partial.split(/\r\n|\r|\n/));
  return found;
}
