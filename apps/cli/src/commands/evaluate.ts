import { evaluate, l1Loss, mseLoss } from "@x/train";
import { loadModel } from "../checkpoint";
import { type ColumnOptions, loadCsv } from "../data";
import { type Colors, formatLoss, table } from "../format";
import { predict } from "../model";

/** `x evaluate`'s options. */
export interface EvaluateCommandOptions extends ColumnOptions {
  json?: boolean | undefined;
}

/** `x evaluate model.safetensors data.csv`: the model's losses on a data set, in its raw units. */
export function evaluateCommand(
  file: string,
  csv: string,
  options: EvaluateCommandOptions,
  colors: Colors,
): void {
  const { model } = loadModel(file);
  // The columns default to the ones the model was trained on (to the first two without a header).
  const named = options.header !== false;
  const data = loadCsv(csv, {
    ...options,
    x: options.x ?? (named ? model.xName : undefined),
    y: options.y ?? (named ? model.yName : undefined),
  });
  const run = (lossFn: typeof mseLoss) =>
    evaluate({ model: (x) => predict(model, x), lossFn, data: { x: data.x, y: data.y } });
  const mse = run(mseLoss);
  const mae = run(l1Loss);
  const rows = data.x.shape[0] as number;
  if (options.json) {
    const json = {
      command: "evaluate",
      model: file,
      data: csv,
      x: data.xName,
      y: data.yName,
      rows,
      mse,
      mae,
      droppedLines: data.droppedLines,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const summary = table(
    [
      ["rows", `${rows} (${data.xName} → ${data.yName})`],
      [
        "MSE loss",
        `${formatLoss(mse)}  ${colors.dim("mean squared error, the loss x fit minimises")}`,
      ],
      [
        "L1 loss",
        `${formatLoss(mae)}  ${colors.dim(`mean absolute error, in ${data.yName} units`)}`,
      ],
    ],
    colors,
  );
  process.stdout.write(`${colors.bold(`Evaluated ${file} on ${csv}`)}\n${summary}\n`);
}
