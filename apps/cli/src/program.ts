import { Command, InvalidArgumentError, Option } from "commander";
import { version } from "../package.json";
import { evaluateCommand } from "./commands/evaluate";
import { fitCommand } from "./commands/fit";
import { inspectCommand } from "./commands/inspect";
import { predictCommand } from "./commands/predict";
import { type Colors, colorsFor } from "./format";
import {
  type Example,
  examplesText,
  helpConfiguration,
  helpWidth,
  paragraphsText,
} from "./help-text";
import { parseModel } from "./model";
import { parseNormalize } from "./normalize";
import { OPTIMIZER_NAMES } from "./optimizers";

/** A commander argument parser for a number within bounds. */
function numberOption(what: string, check: (n: number) => boolean): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || !check(n)) {
      throw new InvalidArgumentError(`Expected ${what}.`);
    }
    return n;
  };
}

const positive = numberOption("a positive number such as 0.01 or 1e-3", (n) => n > 0);
const nonNegative = numberOption("a number >= 0 such as 0.9", (n) => n >= 0);
const count = numberOption("a whole number >= 1", (n) => Number.isInteger(n) && n >= 1);
const seed = numberOption("a whole number >= 0", (n) => Number.isInteger(n) && n >= 0);
const fraction = numberOption("a fraction in [0, 1) such as 0.2", (n) => n >= 0 && n < 1);

const EXIT_CODES = `Exit codes: 0 ok, 1 error (missing file, bad CSV, diverged training, bad checkpoint), 2 bad command line, 130 interrupted (Ctrl-C), 141 output closed early (| head). NO_COLOR=1 turns colours off.`;

const FIT_EXAMPLES: readonly Example[] = [
  ["x fit", "the book's run on its thermometer data"],
  ["x fit --save model.safetensors --plot fit.svg"],
  ["x fit --val-fraction 0.2 --seed 1 --epochs 3000"],
  ["x fit --model mlp --save mlp.safetensors", "the book's chapter-6 network"],
  ["x fit --optimizer adam --lr 0.1 --normalize none --epochs 2000"],
  ["x fit readings.csv --x t_u --y t_c --normalize standard"],
];

const PREDICT_EXAMPLES: readonly Example[] = [
  ["x predict model.safetensors 35.7 81.9"],
  ["x predict model.safetensors --data readings.csv --json"],
];

/**
 * Help text after the options: examples and paragraphs, laid out when the help is shown, for the
 * width of the stream it goes to.
 */
function helpAfter(
  command: Command,
  parts: { examples?: readonly Example[]; paragraphs: string },
): Command {
  return command.addHelpText("after", ({ error }) => {
    const width = helpWidth(error ? process.stderr : process.stdout);
    const examples = parts.examples === undefined ? [] : [examplesText(parts.examples, width)];
    return `\n${[...examples, paragraphsText(parts.paragraphs, width)].join("\n\n")}`;
  });
}

/** Options every command understands (read through `optsWithGlobals()`). */
export interface GlobalOptions {
  debug?: boolean;
  color: boolean;
}

/** The colours for stdout, honouring `--no-color` and `NO_COLOR`. */
function colorsOf(command: Command): Colors {
  return colorsFor(process.stdout, command.optsWithGlobals<GlobalOptions>().color);
}

/** The book's settings: chapter 5's for the polynomials, chapter 6's for the network. */
const MODEL_DEFAULTS = {
  polynomial: { lr: 1e-2, valFraction: 0 },
  mlp: { lr: 1e-3, valFraction: 0.2 },
} as const;

function columnOptions(command: Command, defaults: { x: string; y: string }): Command {
  return command
    .option("--x <column>", `input column, by name or 0-based index (default: ${defaults.x})`)
    .option("--y <column>", `target column, by name or 0-based index (default: ${defaults.y})`)
    .option("--drop-missing", "skip rows with an empty, NaN or infinite cell instead of stopping")
    .option("--no-header", "line 1 is data, not column names (pick columns by index)");
}

function addFit(program: Command): void {
  const fit = program
    .command("fit")
    .summary("train a model (default: the book's thermometer data and settings)")
    .description(
      "Train a model that predicts the --y column from the --x column of a CSV file, or of the book's thermometer data (t_u → t_c) when no file is given. The defaults are the book's chapter-5 run: linear model, inputs scaled by 0.1, SGD with lr 0.01, 5000 epochs, no validation split. --model mlp is chapter 6's: its network after manual_seed(--seed), SGD with lr 0.001, 5000 epochs, 20% of the rows held out.",
    )
    .argument("[data.csv]", "CSV file with a header row (default: the built-in thermometer data)");
  columnOptions(fit, { x: "the first column", y: "the second column" })
    .option(
      "--model <kind>",
      "linear, quadratic, or mlp[:HIDDEN], the book's chapter-6 network Linear(1, HIDDEN) → Tanh → Linear(HIDDEN, 1) (HIDDEN 13 when left out)",
      "linear",
    )
    .addOption(
      new Option("--optimizer <name>", "optimizer").choices([...OPTIMIZER_NAMES]).default("sgd"),
    )
    .option(
      "--lr <number>",
      "learning rate (default: 0.01; for mlp 0.001, the book's chapter 6)",
      positive,
    )
    .option("--momentum <number>", "momentum (sgd and rmsprop)", nonNegative)
    .option("--epochs <n>", "number of epochs", count, 5000)
    .option(
      "--normalize <how>",
      "input normalisation: none, scale:FACTOR, minmax or standard",
      "scale:0.1",
    )
    .option(
      "--val-fraction <f>",
      "share of rows held out for validation (default: 0; for mlp 0.2, the book's chapter 6)",
      fraction,
    )
    .option("--seed <n>", "seed of the validation split and of mlp's initial weights", seed, 0)
    .option(
      "--early-stopping <patience>",
      "stop after this many epochs without a lower validation (or training) loss, keeping the best parameters",
      count,
    )
    .option("--save <file>", "write the model to a .safetensors checkpoint (atomically)")
    .option("--plot <file>", "write an SVG plot of the data, the fit and the loss curves")
    .option(
      "--log-every <n>",
      "without a terminal: print a line every n epochs (default: epochs / 10)",
      count,
    )
    .option(
      "--no-compile",
      "run every training step eagerly instead of capturing it once and replaying it with @x/compile (the results are the same; steps that cannot be captured run eagerly anyway)",
    )
    .option("--json", "print one JSON document instead of progress and a summary")
    .option("-q, --quiet", "print nothing but errors");
  helpAfter(fit, { examples: FIT_EXAMPLES, paragraphs: EXIT_CODES }).action(
    async (file: string | undefined, options: Record<string, unknown>, command: Command) => {
      const all = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      const model = parseModel(String(options.model));
      const book = MODEL_DEFAULTS[model.kind === "mlp" ? "mlp" : "polynomial"];
      await fitCommand(
        file,
        {
          ...all,
          model,
          lr: options.lr ?? book.lr,
          valFraction: options.valFraction ?? book.valFraction,
          normalize: parseNormalize(String(options.normalize)),
        } as never,
        colorsOf(command),
      );
    },
  );
}

function addEvaluate(program: Command): void {
  const evaluate = program
    .command("evaluate")
    .summary("losses of a saved model on a data set")
    .description(
      "Compute the mean squared error and the mean absolute error of a saved model on a CSV file.",
    )
    .argument("<model.safetensors>", "checkpoint written by x fit --save")
    .argument("<data.csv>", "CSV file with the model's input and target columns");
  columnOptions(evaluate, { x: "the model's input column", y: "the model's target column" }).option(
    "--json",
    "print one JSON document",
  );
  helpAfter(evaluate, { paragraphs: EXIT_CODES }).action(
    (file: string, csv: string, options: Record<string, unknown>, command: Command) => {
      evaluateCommand(file, csv, options, colorsOf(command));
    },
  );
}

function addPredict(program: Command): void {
  const predict = program
    .command("predict")
    .summary("predictions of a saved model")
    .description(
      "Predict the target for new inputs in the data's own units; the normalisation saved with the model is applied first.",
    )
    .argument("<model.safetensors>", "checkpoint written by x fit --save")
    .argument("[values...]", "input values, e.g. 35.7 81.9")
    .option("--data <file>", "predict every row of this CSV file instead")
    .option(
      "--x <column>",
      "input column of --data, by name or 0-based index (default: the model's)",
    )
    .option("--drop-missing", "skip rows of --data with an empty, NaN or infinite cell")
    .option("--no-header", "line 1 of --data is data, not column names (pick --x by index)")
    .option("--json", "print one JSON document");
  helpAfter(predict, { examples: PREDICT_EXAMPLES, paragraphs: EXIT_CODES }).action(
    (file: string, values: string[], options: Record<string, unknown>, command: Command) => {
      predictCommand(file, values, options, colorsOf(command));
    },
  );
}

function addInspect(program: Command): void {
  const inspect = program
    .command("inspect")
    .summary("what a saved model holds")
    .description(
      "Show a checkpoint's parameters, normalisation, optimizer, training data and history.",
    )
    .argument("<model.safetensors>", "checkpoint written by x fit --save")
    .option("--json", "print one JSON document");
  helpAfter(inspect, { paragraphs: EXIT_CODES }).action(
    (file: string, options: Record<string, unknown>, command: Command) => {
      inspectCommand(file, options, colorsOf(command));
    },
  );
}

/** The `x` program: commands, options and help (errors are handled by the caller). */
export function createProgram(): Command {
  const program = new Command("x")
    .description(
      'Train, evaluate and inspect the chapter-5 and chapter-6 models of "Deep Learning with PyTorch" from the terminal, with the @x packages.',
    )
    .version(version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .option("--debug", "show stack traces of errors")
    .option("--no-color", "turn colours off (as does NO_COLOR=1)")
    .showSuggestionAfterError(true)
    .showHelpAfterError(false)
    // Errors are thrown (and printed by cli.ts as one paragraph), not printed and exited on.
    .exitOverride()
    .configureOutput({
      outputError: () => {},
      getOutHelpWidth: () => helpWidth(process.stdout),
      getErrHelpWidth: () => helpWidth(process.stderr),
    })
    .configureHelp(helpConfiguration);
  helpAfter(program, { paragraphs: `Start with: x fit (then x fit --help)\n\n${EXIT_CODES}` });
  addFit(program);
  addEvaluate(program);
  addPredict(program);
  addInspect(program);
  return program;
}
