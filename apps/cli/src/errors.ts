/** Process exit codes of the `x` command. */
export const ExitCode = {
  /** Everything worked. */
  ok: 0,
  /** A run-time failure: a missing file, a bad CSV, a diverged fit, a corrupt checkpoint. */
  failure: 1,
  /** The command line itself is wrong: an unknown option, a bad value, a missing argument. */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT), as shells report it. */
  interrupted: 130,
  /** The reader of the output went away (`x fit | head -1`): 128 + SIGPIPE, as shells report it. */
  brokenPipe: 141,
} as const;

/** Stable codes of {@link CliError}. */
export type CliErrorCode =
  | "USAGE"
  | "FILE_NOT_FOUND"
  | "FILE_UNREADABLE"
  | "FILE_UNWRITABLE"
  | "BAD_CHECKPOINT"
  | "DIVERGED"
  | "INTERRUPTED";

/**
 * An error the CLI reports as one paragraph on stderr, without a stack trace (unless `--debug`).
 * The message follows the house template: what is wrong, expected vs got, then a hint.
 */
export class CliError extends Error {
  /** Stable machine-readable reason. */
  readonly code: CliErrorCode;
  /** The process exit code this error ends the command with. */
  readonly exitCode: number;

  constructor(code: CliErrorCode, message: string, exitCode: number = ExitCode.failure) {
    super(message);
    this.name = "CliError";
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A {@link CliError} about the command line (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError("USAGE", message, ExitCode.usage);
}

/** True for errors of the @x packages (each carries a stable string `code`). */
export function isPackageError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string";
}
