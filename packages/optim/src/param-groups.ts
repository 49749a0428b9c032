import { formatShape, Tensor } from "@x/tensor";
import { OptimError } from "./errors";

/** Options every optimizer has. */
export interface BaseOptions {
  /** Learning rate. */
  lr: number;
}

/**
 * A parameter group as stored in `optimizer.paramGroups`: its tensors and every option,
 * the group's own or else the optimizer's default. Schedulers add `initialLr`.
 */
export type ParamGroup<O extends BaseOptions> = O & {
  /** The tensors this group updates. */
  params: Tensor[];
  /** The learning rate a scheduler started from (set by the first scheduler attached). */
  initialLr?: number;
};

/** A parameter group as passed to a constructor or `addParamGroup`: options may be omitted. */
export type ParamGroupInput<O extends BaseOptions> = Partial<O> & {
  /** The tensors to update (a single tensor is accepted). */
  params: Tensor | Iterable<Tensor>;
  /** See {@link ParamGroup.initialLr}. */
  initialLr?: number;
};

/** What an optimizer is built from: the parameters, or parameter groups with their own options. */
export type Params<O extends BaseOptions> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

/** The constructor's `params` as a list of group inputs (a list of tensors becomes one group). */
export function toGroupInputs<O extends BaseOptions>(
  api: string,
  params: Params<O>,
): ParamGroupInput<O>[] {
  if (params instanceof Tensor) {
    throw new OptimError(
      "INVALID_PARAMETER",
      api,
      `params must be an array of tensors or of parameter groups, but got a Tensor (shape ${formatShape(params.shape)}). Hint: wrap it in an array: new ${api}([params], ...).`,
    );
  }
  // (`?.` covers null and undefined)
  if (typeof (params as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== "function") {
    throw new OptimError(
      "INVALID_PARAMETER",
      api,
      `params must be an array of tensors or of parameter groups, but got ${describe(params)}. Hint: new ${api}([w, b], { lr: 1e-2 }).`,
    );
  }
  const list = Array.from(params as Iterable<unknown>);
  if (list.length === 0) {
    throw new OptimError(
      "EMPTY_PARAMETER_LIST",
      api,
      "optimizer got an empty parameter list, expected at least one tensor. Hint: pass the tensors to train, e.g. new " +
        `${api}([params], { lr: 1e-2 }).`,
    );
  }
  return list[0] instanceof Tensor ||
    typeof list[0] !== "object" ||
    list[0] === null ||
    !("params" in list[0])
    ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>]
    : (list as ParamGroupInput<O>[]);
}

/** The group's tensors, checked: tensors, leaves, requiring grad, not already optimized (`taken`: tensor → its group). */
export function checkGroupParams(
  api: string,
  input: unknown,
  groupIndex: number,
  taken: ReadonlyMap<Tensor, number>,
): Tensor[] {
  const where = `param group ${groupIndex}`;
  if (typeof input !== "object" || input === null || !("params" in input)) {
    throw new OptimError(
      "INVALID_PARAMETER",
      api,
      `a parameter group must be an object with a 'params' array, but got ${describe(input)} (${where}). Hint: { params: [w, b], lr: 1e-2 }.`,
    );
  }
  const raw = (input as { params: unknown }).params;
  const list =
    raw instanceof Tensor
      ? [raw]
      : typeof (raw as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] === "function"
        ? Array.from(raw as Iterable<unknown>)
        : null;
  if (list === null) {
    throw new OptimError(
      "INVALID_PARAMETER",
      api,
      `'params' of a parameter group must be an array of tensors, but got ${describe(raw)} (${where}). Hint: { params: [w, b] }.`,
    );
  }
  const seen = new Map<Tensor, number>();
  list.forEach((param, index) => {
    const which = `parameter ${index} of ${where}`;
    if (!(param instanceof Tensor)) {
      throw new OptimError(
        "INVALID_PARAMETER",
        api,
        `optimizer can only optimize Tensors, but ${which} is ${describe(param)}. Hint: pass tensors created with { requiresGrad: true }.`,
      );
    }
    if (!param.isLeaf && !param.retainsGrad) {
      throw new OptimError(
        "NON_LEAF_PARAMETER",
        api,
        `can't optimize a non-leaf Tensor: ${which} (shape ${formatShape(param.shape)}) was computed by ${param.gradFn?.name}, expected a leaf. Hint: optimize the tensor it was computed from, or a fresh leaf: x.detach().clone().requiresGrad_().`,
      );
    }
    if (!param.requiresGrad) {
      throw new OptimError(
        "PARAMETER_DOES_NOT_REQUIRE_GRAD",
        api,
        `${which} (shape ${formatShape(param.shape)}) does not require grad, so it would never get a gradient. Hint: create it with { requiresGrad: true } or call requiresGrad_() first.`,
      );
    }
    const first = seen.get(param);
    if (first !== undefined) {
      throw new OptimError(
        "DUPLICATE_PARAMETER",
        api,
        `${which} (shape ${formatShape(param.shape)}) is the same tensor as parameter ${first} of that group, expected each tensor once. Hint: list each tensor once; it would be updated twice per step.`,
      );
    }
    const group = taken.get(param);
    if (group !== undefined) {
      throw new OptimError(
        "DUPLICATE_PARAMETER",
        api,
        `some parameters appear in more than one parameter group: ${which} (shape ${formatShape(param.shape)}) is already in param group ${group}. Hint: list each tensor in one group only.`,
      );
    }
    seen.set(param, index);
  });
  return list as Tensor[];
}

/** Throws `UNKNOWN_OPTION` for a key that is not an option of this optimizer. */
export function checkOptionNames(
  api: string,
  options: object,
  known: readonly string[],
  where: string,
): void {
  for (const key of Object.keys(options)) {
    if (key === "params" || key === "initialLr" || known.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const hint = known.includes(camel)
      ? `options are camelCase: use '${camel}'.`
      : `remove it; the options of ${api} are ${known.join(", ")}.`;
    throw new OptimError(
      "UNKNOWN_OPTION",
      api,
      `unknown option '${key}', expected one of ${known.join(", ")} (${where}). Hint: ${hint}`,
    );
  }
}
