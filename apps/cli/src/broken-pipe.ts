import { ExitCode } from "./errors";

/**
 * Ends the process quietly when the reader of stdout or stderr goes away (`x fit | head -1`),
 * with the status a Unix tool killed by SIGPIPE reports (141), instead of Node's `write EPIPE`
 * stack trace. Other stream errors stay errors.
 */
export function exitQuietlyOnBrokenPipe(
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(ExitCode.brokenPipe);
    });
  }
}
