import { statSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./errors";
import { checkWritable } from "./write-file";

/**
 * Fails early (before a long training run) when the output file of `flag` names an existing
 * folder, or when its folder is missing or read-only.
 */
export function checkOutputPath(file: string, flag: string, what: string, example: string): void {
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    throw new CliError(
      "FILE_UNWRITABLE",
      `cannot write the ${what} ${JSON.stringify(file)}: it is a folder, expected a file path. Hint: name a file in it, e.g. ${flag} ${join(file, example)}.`,
    );
  }
  checkWritable(file, what);
}
