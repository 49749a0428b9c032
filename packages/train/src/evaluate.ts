import { checkData, checkModel, type Model, meanLoss, type SupervisedData } from "./data";
import type { LossFn } from "./losses";
import { requireFunction, requirePresent } from "./validate";

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Inputs in, predictions out. */
  model: Model;
  /** `(prediction, target) => loss`, e.g. `mseLoss`. */
  lossFn: LossFn;
  /** `{ x, y }` tensors, or a `DataLoader` (the result is then the sample-weighted mean). */
  data: SupervisedData;
}

/**
 * The loss of `model` on `data` with gradient recording off (nothing is recorded, no graph is
 * built) and a module model in evaluation mode (its previous mode restored after), as a number.
 *
 * @example
 * const valLoss = evaluate({ model, lossFn: mseLoss, data: { x: xVal, y: yVal } });
 */
export function evaluate(options: EvaluateOptions): number {
  const op = "evaluate";
  const { model, lossFn, data } = requirePresent(
    options,
    op,
    "the options object",
    "evaluate({ model, lossFn, data }).",
  );
  checkModel(model, op);
  requireFunction(lossFn, op, "lossFn", "pass lossFn: mseLoss.");
  requirePresent(data, op, "data", "pass data: { x, y } or a DataLoader.");
  return meanLoss(model, lossFn, checkData(data, op, "data"), op, "data");
}
