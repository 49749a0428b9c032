import { tensor } from "@x/tensor";
import { loadModel } from "../checkpoint";
import { loadCsv } from "../data";
import { usageError } from "../errors";
import { type Colors, longest, shortestFloat32 } from "../format";
import { predict } from "../model";

/** `x predict`'s options. */
export interface PredictCommandOptions {
  data?: string | undefined;
  x?: string | undefined;
  dropMissing?: boolean | undefined;
  header?: boolean | undefined;
  json?: boolean | undefined;
}

/** The numbers given on the command line, or a usage error naming the first that is not one. */
function parseValues(values: readonly string[]): number[] {
  return values.map((text) => {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value)) {
      throw usageError(
        `predict: ${JSON.stringify(text)} is not a number, expected input values such as 35.7 or -4. Hint: x predict model.safetensors 35.7 -4 81.9.`,
      );
    }
    return value;
  });
}

function inputs(
  values: readonly string[],
  options: PredictCommandOptions,
  xName: string,
): number[] {
  if (options.data !== undefined && values.length > 0) {
    throw usageError(
      `predict: got both values (${values.join(" ")}) and --data ${options.data}, expected one or the other. Hint: drop the values to predict every row of the file.`,
    );
  }
  if (options.data !== undefined) {
    // The CSV needs only the input column; it defaults to the one the model was trained on (to
    // the first column without a header).
    const data = loadCsv(options.data, {
      x: options.x ?? (options.header === false ? undefined : xName),
      dropMissing: options.dropMissing,
      header: options.header,
      single: true,
    });
    // The column is float32: echo each cell as written (92.023), not as 92.02300262451172.
    return (data.x.toArray() as number[]).map(shortestFloat32);
  }
  if (values.length === 0) {
    throw usageError(
      `predict: no input values, expected numbers or --data FILE. Hint: x predict model.safetensors 35.7 81.9, or x predict model.safetensors --data readings.csv.`,
    );
  }
  return parseValues(values);
}

/** `x predict model.safetensors 35.7 81.9 …`: predictions in the data's units. */
export function predictCommand(
  file: string,
  values: readonly string[],
  options: PredictCommandOptions,
  colors: Colors,
): void {
  const { model } = loadModel(file);
  const xs = inputs(values, options, model.xName);
  const ys = predict(model, tensor(xs)).toArray() as number[];
  if (options.json) {
    const json = {
      command: "predict",
      model: file,
      x: model.xName,
      y: model.yName,
      inputs: xs,
      predictions: ys,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const left = xs.map(String);
  const width = Math.max(model.xName.length, longest(left));
  const header = `${model.xName.padStart(width)}  →  ${model.yName} (predicted)`;
  const lines = ys.map((y, i) => `${(left[i] as string).padStart(width)}  →  ${y.toFixed(4)}`);
  process.stdout.write(`${colors.bold(header)}\n${lines.join("\n")}\n`);
}
