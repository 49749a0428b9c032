import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CliError } from "./errors";

/**
 * Writes `text` to `file` atomically: a temporary file next to it, then a rename, so readers see
 * the old file or the new one, never half of one.
 */
export function writeFileAtomic(file: string, text: string, what: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, text, { flag: "wx" });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw unwritable(what, file, error);
  }
}

/** The one-paragraph error for a file that could not be written. */
export function unwritable(what: string, file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new CliError(
    "FILE_UNWRITABLE",
    `cannot write the ${what} ${JSON.stringify(file)} (${code}), expected a writable path. Hint: check that its folder exists and is writable; any previous file there is unchanged.`,
  );
}
