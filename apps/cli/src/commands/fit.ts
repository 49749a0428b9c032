import { splitIndices } from "@x/data";
import { manualSeed, type Tensor } from "@x/tensor";
import { DivergenceError, type EpochRecord, fitAsync, type History, mseLoss } from "@x/train";
import { saveModel } from "../checkpoint";
import { type Dataset, loadData } from "../data";
import { CliError, ExitCode, usageError } from "../errors";
import { type Colors, formatLoss } from "../format";
import { createNet, type TrainedModel } from "../model";
import { createScaler, formatNormalize } from "../normalize";
import { createOptimizer, describeOptimizer } from "../optimizers";
import { checkOutputPath } from "../output-path";
import { createProgress, defaultLogEvery, progressMode } from "../progress";
import { writeFileAtomic } from "../write-file";
import { type FitCommandOptions, optimizerSettings, type PreparedData } from "./fit-options";
import { fitJson, fitPlotInput, fitSummary } from "./fit-report";

/**
 * Splits off a validation set (the book's randperm recipe, from the default generator, which the
 * caller seeded) and fits the normaliser on the training inputs.
 */
function prepare(
  data: Dataset,
  options: FitCommandOptions,
  model: Pick<TrainedModel, "scaler">,
): PreparedData {
  const n = data.x.shape[0] as number;
  const normalizeX = (x: Tensor) => (model.scaler === null ? x : model.scaler.transform(x));
  if (options.valFraction === 0) {
    model.scaler?.fit(data.x);
    return { data, train: { x: normalizeX(data.x), y: data.y, rawX: data.x } };
  }
  const { train, val } = splitIndices(n, { valFraction: options.valFraction });
  const nVal = val.shape[0] as number;
  if (nVal === 0 || nVal === n) {
    throw usageError(
      `--val-fraction ${options.valFraction} leaves ${nVal === 0 ? "no validation rows" : "no training rows"} (floor(${options.valFraction} · ${n}) = ${nVal} of ${n} rows), expected at least one row on each side. Hint: use a fraction between ${(1 / n).toFixed(3)} and ${((n - 1) / n).toFixed(3)}, e.g. --val-fraction 0.2.`,
    );
  }
  const pick = (t: Tensor, idx: Tensor) => t.indexSelect(0, idx);
  const rawTrain = pick(data.x, train);
  const rawVal = pick(data.x, val);
  model.scaler?.fit(rawTrain);
  return {
    data,
    train: { x: normalizeX(rawTrain), y: pick(data.y, train), rawX: rawTrain },
    val: {
      x: normalizeX(rawVal),
      y: pick(data.y, val),
      rawX: rawVal,
      rows: Array.from(val.toTypedArray()),
    },
  };
}

function divergence(
  error: DivergenceError,
  options: FitCommandOptions,
  last: EpochRecord | undefined,
): CliError {
  const which = error.which === "train" ? "training" : "validation";
  const before =
    last === undefined
      ? ""
      : `; the last finite training loss was ${formatLoss(last.trainLoss)} at epoch ${last.epoch}`;
  const normalize = formatNormalize(options.normalize);
  const tryNormalize =
    options.normalize.kind === "none"
      ? "normalise the inputs (--normalize scale:0.1, the book's fix, or --normalize standard)"
      : "normalise the inputs differently (--normalize standard)";
  return new CliError(
    "DIVERGED",
    `training diverged: the ${which} loss became ${error.loss} at epoch ${error.epoch} (${describeOptimizer(optimizerSettings(options))}, --normalize ${normalize})${before}. Nothing was saved. Hint: lower the learning rate (e.g. --lr ${options.lr / 10}) or ${tryNormalize}.`,
  );
}

/** Runs `fitAsync` with a progress display; Ctrl-C aborts it after the running epoch. */
async function train(
  prepared: PreparedData,
  model: TrainedModel,
  options: FitCommandOptions,
  colors: Colors,
) {
  const optimizer = createOptimizer(model.net.parameters(), optimizerSettings(options));
  const mode = progressMode(options);
  const logEvery = options.logEvery ?? defaultLogEvery(options.epochs);
  const stream = mode === "bar" ? process.stderr : process.stdout;
  const progress = createProgress(mode, {
    total: options.epochs,
    logEvery,
    hasVal: prepared.val !== undefined,
    colors,
    stream,
  });
  const controller = new AbortController();
  // The first Ctrl-C stops after the running epoch; a second one exits at once.
  const onSigint = () => {
    if (!controller.signal.aborted) return controller.abort();
    progress.stop(); // gives the terminal its cursor back
    process.exit(ExitCode.interrupted);
  };
  process.on("SIGINT", onSigint);
  let last: EpochRecord | undefined;
  try {
    const history = await fitAsync({
      params: model.net.parameters(),
      model: (x) => model.net.forward(x),
      lossFn: mseLoss,
      optimizer,
      train: { x: prepared.train.x, y: prepared.train.y },
      ...(prepared.val === undefined ? {} : { val: { x: prepared.val.x, y: prepared.val.y } }),
      epochs: options.epochs,
      ...(options.earlyStopping === undefined
        ? {}
        : { earlyStopping: { patience: options.earlyStopping, restoreBest: true } }),
      signal: controller.signal,
      compile: options.compile ? "auto" : false,
      onEpoch: (record) => {
        last = record;
        progress.update(record);
      },
    });
    return { history, optimizer };
  } catch (error) {
    if (DivergenceError.isInstance(error)) throw divergence(error, options, last);
    throw error;
  } finally {
    progress.stop();
    process.off("SIGINT", onSigint);
  }
}

/** Ctrl-C's report; `saved` says whether the parameters reached were saved to --save. */
function interrupted(history: History, options: FitCommandOptions, saved: boolean): CliError {
  const epoch = history.last?.epoch ?? 0;
  const restored = history.restoredEpoch;
  const which =
    restored === undefined ? `reached after epoch ${epoch}` : `of epoch ${restored} (lowest loss)`;
  const kept = saved
    ? `Saved the parameters ${which} to ${options.save}, marked as interrupted (stop reason "aborted" in its history)`
    : "Nothing was saved";
  return new CliError(
    "INTERRUPTED",
    `interrupted by Ctrl-C after epoch ${epoch} of ${options.epochs} (the last completed epoch; training loss ${formatLoss(history.last?.trainLoss)}). ${kept}. Hint: run again with fewer --epochs, or with --early-stopping PATIENCE to stop when the loss stops improving.`,
    ExitCode.interrupted,
  );
}

/** `x fit [data.csv]`: trains, then prints the summary or JSON and writes --save / --plot. */
export async function fitCommand(
  file: string | undefined,
  options: FitCommandOptions,
  colors: Colors,
): Promise<void> {
  const data = loadData(file, options);
  if (options.save !== undefined)
    checkOutputPath(options.save, "--save", "checkpoint", "model.safetensors");
  if (options.plot !== undefined) checkOutputPath(options.plot, "--plot", "plot", "fit.svg");
  // As the book's chapter 6: the seed, then the split, then the network's initial weights.
  manualSeed(options.seed);
  const scaler = createScaler(options.normalize);
  const prepared = prepare(data, options, { scaler });
  const model: TrainedModel = {
    net: createNet(options.model),
    scaler,
    xName: data.xName,
    yName: data.yName,
  };
  const started = Date.now();
  const { history, optimizer } = await train(prepared, model, options, colors);
  const ms = Date.now() - started;
  // After Ctrl-C too, the parameters reached are saved (the saved history says "aborted").
  const saveTo = history.last === undefined ? undefined : options.save;
  if (saveTo !== undefined) {
    saveModel(saveTo, {
      model,
      optimizer,
      history,
      normalize: options.normalize.kind,
      meta: {
        optimizer: optimizerSettings(options),
        data: {
          source: data.source,
          rows: data.x.shape[0] as number,
          train: prepared.train.x.shape[0] as number,
          val: prepared.val?.x.shape[0] ?? 0,
          seed: options.seed,
        },
      },
    });
  }
  if (history.aborted) throw interrupted(history, options, saveTo !== undefined);
  const report = { prepared, model, history, options, ms };
  if (options.plot !== undefined) {
    // Loaded on demand: Observable Plot, d3 and linkedom take ~0.3 s to import.
    const { renderFitSvg } = await import("../plot");
    writeFileAtomic(options.plot, renderFitSvg(fitPlotInput(report)), "plot");
  }
  if (options.json) process.stdout.write(`${JSON.stringify(fitJson(report), null, 2)}\n`);
  else if (!options.quiet) process.stdout.write(fitSummary(report, colors));
}
