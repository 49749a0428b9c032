import { accessSync, constants, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CliError } from "./errors";

/** The errno code (`ENOENT`) of a failed file operation, also when @x/train wrapped it. */
function errnoOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
  const inner = /\((E[A-Z]+)\b/.exec(String((error as Error).message ?? error));
  return inner?.[1] ?? String(error);
}

/** The one-paragraph error for a file that could not be written. */
export function unwritable(what: string, file: string, error: unknown): CliError {
  return new CliError(
    "FILE_UNWRITABLE",
    `cannot write the ${what} ${JSON.stringify(file)} (${errnoOf(error)}), expected a writable path. Hint: check that its folder exists and is writable; any previous file there is unchanged.`,
  );
}

/** Fails early (before a long training run) when `file`'s folder is missing or read-only. */
export function checkWritable(file: string, what: string): void {
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch (error) {
    throw unwritable(what, file, error);
  }
}

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
