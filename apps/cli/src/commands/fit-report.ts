import { linspace } from "@x/tensor";
import type { History } from "@x/train";
import { type Colors, formatDuration, formatLoss, sparkline, table, wrap } from "../format";
import { calibration, formatModel, predict, type TrainedModel } from "../model";
import { describeInput, formatNormalize } from "../normalize";
import { describeOptimizer } from "../optimizers";
import type { FitPlotInput } from "../plot";
import { type FitCommandOptions, optimizerSettings, type PreparedData } from "./fit-options";

/** Everything a finished `x fit` run reports. */
export interface FitReport {
  prepared: PreparedData;
  /** The trained model (with early stopping's restored best parameters, if any). */
  model: TrainedModel;
  history: History;
  options: FitCommandOptions;
  /** Wall-clock time of the run. */
  ms: number;
}

const rows = (t: { shape: readonly number[] }) => t.shape[0] as number;

/** The record whose parameters the model holds: the restored best one, or the last. */
function finalRecord({ history }: FitReport) {
  const restored = history.restoredEpoch;
  return history.records.find((r) => r.epoch === restored) ?? history.last;
}

/** `linear model, SGD lr 0.01, scale:0.1, 5000 epochs`. */
export function fitTitle(r: FitReport): string {
  const epochs = r.history.last?.epoch ?? 0;
  return `${formatModel(r.options.model)} model · ${describeOptimizer(optimizerSettings(r.options))} · --normalize ${formatNormalize(r.options.normalize)} · ${epochs} epochs`;
}

/** What `--plot` draws: the points in raw units, the model's curve across them, the losses. */
export function fitPlotInput(r: FitReport): FitPlotInput {
  const { prepared, model } = r;
  const points = (part: { rawX: { toArray(): unknown }; y: { toArray(): unknown } }) => ({
    x: part.rawX.toArray() as number[],
    y: part.y.toArray() as number[],
  });
  const all = prepared.data.x;
  const grid = linspace(all.min().item() as number, all.max().item() as number, 101, {
    dtype: "float64",
  });
  return {
    xName: model.xName,
    yName: model.yName,
    title: `x fit: ${fitTitle(r)}`,
    formula: calibration(model)?.formula ?? `${model.yName} = ${model.net.equation}`,
    train: points(prepared.train),
    val: prepared.val === undefined ? undefined : points(prepared.val),
    curve: { x: grid.toArray() as number[], y: predict(model, grid).toArray() as number[] },
    history: r.history.records,
  };
}

/** The `--json` document. */
export function fitJson(r: FitReport): Record<string, unknown> {
  const { prepared, model, history, options } = r;
  const last = finalRecord(r);
  const cal = calibration(model);
  return {
    command: "fit",
    data: {
      source: prepared.data.source,
      x: model.xName,
      y: model.yName,
      rows: rows(prepared.data.x),
      train: rows(prepared.train.x),
      val: prepared.val === undefined ? 0 : rows(prepared.val.x),
      valRows: prepared.val?.rows ?? [],
      droppedLines: prepared.data.droppedLines,
    },
    model: formatModel(options.model),
    optimizer: { name: options.optimizer, lr: options.lr, momentum: options.momentum ?? null },
    normalize: formatNormalize(options.normalize),
    seed: options.seed,
    epochs: { requested: options.epochs, completed: history.last?.epoch ?? 0 },
    stopReason: history.stopReason,
    restoredEpoch: history.restoredEpoch ?? null,
    params: model.net.values(),
    loss: { train: last?.trainLoss ?? null, val: last?.valLoss ?? null },
    bestEpoch: history.bestEpoch() ?? null,
    calibration:
      cal === undefined
        ? null
        : { formula: cal.formula, code: cal.code, coefficients: cal.coefficients },
    saved: options.save ?? null,
    plot: options.plot ?? null,
    ms: Math.round(r.ms),
    history: history.records.map(({ epoch, trainLoss, valLoss }) =>
      valLoss === undefined ? { epoch, trainLoss } : { epoch, trainLoss, valLoss },
    ),
  };
}

function epochsLine({ history, options }: FitReport): string {
  const done = history.last?.epoch ?? 0;
  const why =
    history.stopReason === "earlyStopping"
      ? ` (early stopping: no improvement for ${options.earlyStopping} epochs)`
      : "";
  return `${done} of ${options.epochs}${why}`;
}

/** How to use the result: predict from the saved file, or the formula in code. */
function usage(r: FitReport, colors: Colors): string {
  const cal = calibration(r.model);
  const samples = (r.prepared.data.x.toArray() as number[])
    .slice(0, 2)
    .map((v) => Number(v.toPrecision(6)));
  const file = r.options.save ?? "model.safetensors";
  // Without --save: the same command line again, with --save.
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg));
  const rerun = ["x", ...process.argv.slice(2).map(quote), "--save", file].join(" ");
  const rows: [string, string][] = [
    ...(r.options.save === undefined ? [["save it", rerun] as [string, string]] : []),
    ["predict", `x predict ${quote(file)} ${samples.join(" ")}`],
    ...(cal === undefined ? [] : [["in code", cal.code] as [string, string]]),
  ];
  const calibrationText =
    cal === undefined
      ? []
      : [colors.bold(`Calibration, in the data's units:`), `  ${colors.green(cal.formula)}`, ""];
  return [
    ...calibrationText,
    colors.bold(`Use it (${r.model.yName} from new ${r.model.xName} readings):`),
    table(rows, colors),
  ].join("\n");
}

/**
 * Whether to suggest --early-stopping: the validation loss rose for 10+ epochs while the
 * training loss fell, opening a gap of over 1% that grew (smaller changes are float32 jitter of
 * a converged model), and early stopping has not already restored the best epoch.
 */
function showsOverfitting(history: History): boolean {
  return (
    history.restoredEpoch === undefined && history.isOverfitting({ patience: 10, minGap: 0.01 })
  );
}

/** The human-readable summary: a table, a loss sparkline, the calibration and how to use it. */
export function fitSummary(r: FitReport, colors: Colors): string {
  const { prepared, model, history, options } = r;
  const last = finalRecord(r);
  const params = model.net.rows();
  const input = describeInput(
    options.normalize.kind,
    model.scaler?.stateDict() ?? null,
    model.xName,
  );
  const split =
    prepared.val === undefined
      ? `${rows(prepared.train.x)} rows, no validation split`
      : `${rows(prepared.train.x)} training + ${rows(prepared.val.x)} validation rows (seed ${options.seed})`;
  const spark = sparkline(
    history.records.map((rec) => rec.trainLoss),
    30,
  );
  const table_: [string, string][] = [
    ["data", `${prepared.data.source}: ${model.xName} → ${model.yName}`],
    ["split", split],
    ["model", `${model.yName} = ${model.net.equation}, x = ${input}`],
    ["optimizer", describeOptimizer(optimizerSettings(options))],
    ["epochs", `${epochsLine(r)} in ${formatDuration(r.ms)}`],
    ...params,
    [
      "train loss",
      `${formatLoss(last?.trainLoss)}  ${colors.cyan(spark)}  ${colors.dim("(log scale)")}`,
    ],
  ];
  if (prepared.val !== undefined) table_.push(["val loss", formatLoss(last?.valLoss)]);
  if (history.restoredEpoch !== undefined)
    table_.push(["restored", `parameters of epoch ${history.restoredEpoch} (lowest loss)`]);
  else if (prepared.val !== undefined)
    table_.push([
      "best epoch",
      `${history.bestEpoch()} (val loss ${formatLoss(history.bestValLoss())})`,
    ]);
  if (options.save !== undefined) table_.push(["saved", options.save]);
  if (options.plot !== undefined) table_.push(["plot", options.plot]);
  const warn = showsOverfitting(history)
    ? `\n${colors.yellow(wrap(`Note: the validation loss was lowest at epoch ${history.bestEpoch()} and has risen since, while the training loss kept falling: a sign of overfitting (or of too few validation rows to tell). --early-stopping PATIENCE stops there and keeps the best parameters.`))}\n`
    : "";
  return `\n${colors.bold(`Trained a ${formatModel(options.model)} model`)}\n${table(table_, colors)}\n${warn}\n${usage(r, colors)}\n`;
}
