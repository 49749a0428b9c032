import { isFitCheckpoint, type LoadedModel, loadModel, readBytes, readHeader } from "../checkpoint";
import { type Colors, formatLoss, sparkline, table } from "../format";
import { calibration, formatModel } from "../model";
import { describeInput } from "../normalize";
import { describeOptimizer } from "../optimizers";
import {
  describeConversions,
  inspectSafetensors,
  listTensors,
  notSafetensors,
} from "./inspect-safetensors";

/** `x inspect`'s options. */
export interface InspectCommandOptions {
  json?: boolean | undefined;
}

/** A plain JSON value on one line, numbers shortened (`{ factor: 0.1 }` → `factor 0.1`). */
function describeState(state: unknown): string {
  if (state === null || typeof state !== "object") return String(state);
  const show = (v: unknown): string =>
    typeof v === "number"
      ? String(Number(v.toPrecision(6)))
      : Array.isArray(v)
        ? `[${v.map(show).join(", ")}]`
        : v !== null && typeof v === "object"
          ? `{ ${describeState(v)} }`
          : String(v);
  return Object.entries(state as Record<string, unknown>)
    .map(([k, v]) => `${k} ${show(v)}`)
    .join(", ");
}

/** The hyperparameters of the optimizer's first parameter group, as saved in its state dict. */
function optimizerGroup(state: unknown): Record<string, unknown> | undefined {
  const groups = (state as { paramGroups?: unknown; param_groups?: unknown } | undefined) ?? {};
  const list = groups.paramGroups ?? groups.param_groups;
  const first = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined;
  if (first === undefined) return undefined;
  const { params: _params, ...rest } = first;
  return rest;
}

function historySummary({ checkpoint }: LoadedModel) {
  const history = checkpoint.history;
  const last = history?.last;
  return {
    epochs: last?.epoch ?? 0,
    stopReason: history?.stopReason ?? null,
    restoredEpoch: history?.restoredEpoch ?? null,
    finalTrainLoss: last?.trainLoss ?? null,
    finalValLoss: last?.valLoss ?? null,
    bestEpoch: history?.bestEpoch() ?? null,
    trainLoss: history?.records.map((r) => r.trainLoss) ?? [],
  };
}

/**
 * `x inspect model.safetensors`: what a checkpoint of `x fit` holds, or the tensors and metadata
 * of any other valid safetensors file.
 */
export function inspectCommand(file: string, options: InspectCommandOptions, colors: Colors): void {
  const bytes = readBytes(file);
  const header = readHeader(file, bytes, (what) => notSafetensors(file, what));
  if (!isFitCheckpoint(header.metadata)) {
    inspectSafetensors(file, bytes, header, options.json === true, colors);
    return;
  }
  const loaded = loadModel(file, bytes);
  const { model, meta, checkpoint } = loaded;
  const cal = calibration(model);
  const history = historySummary(loaded);
  const scaler = model.scaler?.stateDict() ?? null;
  const group = optimizerGroup(checkpoint.optimizer);
  if (options.json) {
    const { trainLoss: _curve, ...summary } = history;
    const json = {
      command: "inspect",
      file,
      cliVersion: meta.cliVersion,
      model: formatModel(model.net.choice),
      x: meta.xName,
      y: meta.yName,
      params: model.net.values(),
      normalize: { kind: meta.normalize, state: scaler },
      optimizer: { ...meta.optimizer, group: group ?? null },
      data: meta.data,
      history: summary,
      calibration:
        cal === undefined
          ? null
          : { formula: cal.formula, code: cal.code, coefficients: cal.coefficients },
      tensors: listTensors(header),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const params = model.net
    .rows()
    .map(([name, value]) => (name === "params" ? value : `${name} ${value}`))
    .join(", ");
  const val = history.finalValLoss === null ? "" : `, val ${formatLoss(history.finalValLoss)}`;
  const rows: [string, string][] = [
    [
      "model",
      `${formatModel(model.net.choice)}: ${meta.yName} = ${model.net.equation}, x = ${describeInput(meta.normalize, scaler, meta.xName)}`,
    ],
    ["params", params],
    ["normalize", scaler === null ? "none" : `${meta.normalize}: ${describeState(scaler)}`],
    [
      "optimizer",
      `${describeOptimizer(meta.optimizer)}${group === undefined ? "" : colors.dim(` (saved state: ${describeState(group)})`)}`,
    ],
    [
      "data",
      `${meta.data.source}: ${meta.data.rows} rows, ${meta.data.train} training + ${meta.data.val} validation (seed ${meta.data.seed})`,
    ],
    [
      "history",
      `${history.epochs} epochs (${history.stopReason ?? "no history saved"}), final train loss ${formatLoss(history.finalTrainLoss ?? undefined)}${val}`,
    ],
    ["loss curve", `${colors.cyan(sparkline(history.trainLoss))}  ${colors.dim("(log scale)")}`],
    ["best epoch", String(history.bestEpoch ?? "–")],
  ];
  if (cal !== undefined) rows.push(["calibration", colors.green(cal.formula)]);
  if (checkpoint.conversions.length > 0) {
    rows.push(["converted", `${describeConversions(checkpoint.conversions)} while loading`]);
  }
  process.stdout.write(
    `${colors.bold(`${file}`)} ${colors.dim(`(written by @x/cli ${meta.cliVersion})`)}\n${table(rows, colors)}\n`,
  );
}
