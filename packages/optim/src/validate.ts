import { OptimError } from "./errors";

function show(value: unknown): string {
  return typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value));
}

/**
 * Throws `INVALID_HYPERPARAMETER` unless `value` is a number accepted by `accept`.
 * The message reads `<api>: invalid <label>: <value>, expected <expected> (<where>). Hint: <hint>`.
 */
export function checkNumber(
  api: string,
  label: string,
  value: unknown,
  accept: (x: number) => boolean,
  expected: string,
  where: string,
  hint: string,
): void {
  if (typeof value === "number" && accept(value)) return;
  throw new OptimError(
    "INVALID_HYPERPARAMETER",
    api,
    `invalid ${label}: ${show(value)}, expected ${expected} (${where}). Hint: ${hint}`,
  );
}

/** Checks the non-negative hyperparameters torch checks: `lr >= 0`, `eps >= 0`, .... */
export function checkNonNegative(
  api: string,
  name: string,
  label: string,
  value: unknown,
  where: string,
  hint: string,
): void {
  checkNumber(api, label, value, (x) => x >= 0, `${name} >= 0`, where, hint);
}

/** Checks the learning rate, the one hyperparameter every optimizer has. */
export function checkLr(api: string, lr: unknown, where: string): void {
  checkNonNegative(
    api,
    "lr",
    "learning rate",
    lr,
    where,
    "pass a non-negative lr, e.g. { lr: 1e-3 }.",
  );
}

/** Checks `weightDecay >= 0` (torch's "Invalid weight_decay value"). */
export function checkWeightDecay(api: string, value: unknown, where: string): void {
  checkNonNegative(
    api,
    "weightDecay",
    "weightDecay value",
    value,
    where,
    "use 0 to disable weight decay.",
  );
}

/** Checks `eps >= 0` (torch's "Invalid epsilon value"); `typical` is the suggested value. */
export function checkEps(api: string, value: unknown, where: string, typical: string): void {
  checkNonNegative(
    api,
    "eps",
    "epsilon value",
    value,
    where,
    `use a small positive eps such as ${typical}.`,
  );
}

/** Checks a flag such as `nesterov` or `amsgrad`. */
export function checkBoolean(api: string, name: string, value: unknown, where: string): void {
  if (typeof value === "boolean") return;
  throw new OptimError(
    "INVALID_HYPERPARAMETER",
    api,
    `invalid ${name}: ${show(value)}, expected true or false (${where}). Hint: pass a boolean, e.g. { ${name}: true }.`,
  );
}

/** Checks an integer option such as `stepSize` (at least `min`). */
export function checkInteger(
  api: string,
  name: string,
  value: unknown,
  min: number,
  where: string,
  hint = `pass a whole number, e.g. { ${name}: ${Math.max(min, 1) * 10} }.`,
): void {
  checkNumber(
    api,
    name,
    value,
    (x) => Number.isInteger(x) && x >= min,
    `an integer >= ${min}`,
    where,
    hint,
  );
}

/** Checks that `value` is a finite number (a factor such as `gamma`). */
export function checkFinite(
  api: string,
  name: string,
  value: unknown,
  where: string,
  hint: string,
): void {
  checkNumber(api, name, value, Number.isFinite, "a finite number", where, hint);
}
