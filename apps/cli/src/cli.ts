import { CommanderError } from "commander";
import { exitQuietlyOnBrokenPipe } from "./broken-pipe";
import { CliError, ExitCode, isPackageError } from "./errors";
import { colorsFor, terminalWidth, wrap } from "./format";
import { createProgram } from "./program";

/** One paragraph on stderr: `x fit: error: <message>`; the stack only with --debug. */
function report(error: unknown, command: string, argv: readonly string[]): number {
  const debug = argv.includes("--debug");
  const colors = colorsFor(process.stderr, !argv.includes("--no-color"));
  const where = command === "" ? "x" : `x ${command}`;
  let message: string;
  let code: number = ExitCode.failure;
  if (error instanceof CommanderError) {
    // `x` without a command: commander has printed the help on stderr already.
    if (error.code === "commander.help") return ExitCode.usage;
    // Commander's own text ("error: unknown option '--lrr'\n(Did you mean --lr?)"), on one line.
    const text = error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
    message = `${/[.?!)]$/.test(text) ? text : `${text}.`} Run \`${where} --help\` for the usage.`;
    code = ExitCode.usage;
  } else if (error instanceof CliError) {
    message = error.message;
    code = error.exitCode;
  } else if (isPackageError(error)) {
    message = error.message;
  } else {
    const text = error instanceof Error ? error.message : String(error);
    message = `unexpected failure: ${text}. This is a bug in @x/cli. Hint: run again with --debug and report the command and its output.`;
  }
  // Ctrl-C is the user's choice, not an error.
  const label =
    error instanceof CliError && error.code === "INTERRUPTED" ? `${where}:` : `${where}: error:`;
  // Wrapped at word boundaries for a terminal (or COLUMNS); one line for pipes and logs.
  const width = terminalWidth(process.stderr);
  const text = width === undefined ? `${label} ${message}` : wrap(`${label} ${message}`, width);
  process.stderr.write(`${colors.red(label)}${text.slice(label.length)}\n`);
  if (debug && error instanceof Error && error.stack)
    process.stderr.write(`${colors.dim(error.stack)}\n`);
  return code;
}

/** Runs the `x` command line; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  let command = "";
  program.hook("preSubcommand", (_program, sub) => {
    command = sub.name();
  });
  try {
    await program.parseAsync([...argv]);
    return ExitCode.ok;
  } catch (error) {
    // --help and --version end through commander's exit hook with code 0.
    if (error instanceof CommanderError && error.exitCode === 0) return ExitCode.ok;
    return report(error, command, argv);
  }
}

exitQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv);
