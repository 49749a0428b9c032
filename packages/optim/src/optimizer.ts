import { enableGrad, noGrad } from "@x/autograd";
import { formatShape, sameShape, type Tensor } from "@x/tensor";
import { OptimError } from "./errors";
import {
  type BaseOptions,
  checkGroupParams,
  checkOptionNames,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  toGroupInputs,
} from "./param-groups";
import { decodeTensor, encodeTensor, isTensorJson, type TensorJson } from "./serialize";

/** Per-parameter state: step counts and tensors such as Adam's `expAvg`. */
export type ParamState = Record<string, Tensor | number>;

/** A JSON value, as found in a state dict's parameter groups. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * An optimizer's state as plain JSON (`JSON.stringify` round-trips it exactly): the
 * per-parameter state keyed by the parameter's position across all groups, and each group's
 * options with `params` replaced by those positions. Like torch's `state_dict()`.
 */
export interface OptimizerStateDict {
  /** Position of the parameter (as a string key) → its state (numbers and tensors). */
  state: Record<string, Record<string, number | TensorJson>>;
  /** Each group's options, with `params` holding parameter positions. */
  paramGroups: ({ params: number[] } & Record<string, JsonValue>)[];
}

/** Options of {@link Optimizer.zeroGrad}. */
export interface ZeroGradOptions {
  /** Set `.grad` to `null` (the default, as in torch 2.x) instead of filling it with zeros. */
  setToNone?: boolean;
}

/**
 * Base class of all optimizers, as `torch.optim.Optimizer`: parameter groups with per-group
 * options falling back to `defaults`, per-parameter `state`, `zeroGrad()`, `step()` (run without
 * recording a graph), `addParamGroup()`, and `stateDict()` / `loadStateDict()`.
 *
 * To write an optimizer, extend it: pass the name, the parameters, the default options and the
 * user's options to `super`, and implement `validate` (reject bad option values) and `update`
 * (one parameter's in-place update; per-parameter tensors go in `state`).
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  // The fields are assigned in the constructor, in this order (the order class fields would
  // define them in): a bundle then spells each name once, not once more per field.
  /** The options used where a parameter group does not set its own. */
  declare readonly defaults: Readonly<O>;
  /**
   * The parameter groups; edit `lr` here (schedulers do) to change the learning rate.
   * @defaultValue `[]`
   */
  declare readonly paramGroups: ParamGroup<O>[];
  /** Per-parameter state, created at a parameter's first update. */
  declare readonly state: Map<Tensor, ParamState>;
  /** The API name used in error messages, e.g. `"SGD"`. */
  declare protected readonly api: string;

  /**
   * @param api - the name in error messages
   * @param defaults - every option's default value (this also lists the valid option names)
   * @param options - the user's options, overriding `defaults`
   */
  protected constructor(api: string, params: Params<O>, defaults: O, options: Partial<O>) {
    checkOptionNames(api, options ?? {}, Object.keys(defaults), "options");
    this.defaults = structuredClone({ ...defaults, ...options });
    this.paramGroups = [];
    this.state = new Map();
    this.api = api;
    this.validate(this.defaults, "options");
    for (const group of toGroupInputs<O>(api, params)) this.addParamGroup(group);
  }

  /** Throws an {@link OptimError} for an invalid option value; `where` names its origin. */
  protected abstract validate(options: O, where: string): void;

  /** Updates one parameter that has a gradient (called inside `noGrad`). */
  protected abstract update(
    param: Tensor,
    grad: Tensor,
    state: ParamState,
    group: ParamGroup<O>,
  ): void;

  /** Adds a parameter group (e.g. layers unfrozen while fine-tuning); its options default to `defaults`. */
  addParamGroup(group: ParamGroupInput<O>): void {
    const where = `param group ${this.paramGroups.length}`;
    const taken = new Map<Tensor, number>();
    this.paramGroups.forEach((g, index) => {
      for (const param of g.params) taken.set(param, index);
    });
    const params = checkGroupParams(this.api, group, this.paramGroups.length, taken);
    checkOptionNames(this.api, group, Object.keys(this.defaults), where);
    const options = structuredClone({ ...this.defaults, ...withoutParams(group) }) as O;
    this.validate(options, where);
    this.paramGroups.push({ ...options, params } as ParamGroup<O>);
  }

  /** Sets every parameter's gradient to `null` (default) or, with `setToNone: false`, to zeros. */
  zeroGrad({ setToNone = true }: ZeroGradOptions = {}): void {
    for (const group of this.paramGroups) {
      for (const param of group.params) {
        if (param.grad === null) continue;
        if (setToNone) {
          param.grad = null;
        } else {
          if (param.grad.requiresGrad) param.grad = param.grad.detach(); // out of any graph
          param.grad.zero_();
        }
      }
    }
  }

  /**
   * Performs one optimization step: every parameter with a gradient is updated, without
   * recording a graph; parameters whose `.grad` is `null` are skipped. An optional closure
   * re-evaluates the model (with grad enabled) and its result is returned.
   */
  step<T = undefined>(closure?: () => T): T | undefined {
    const loss = closure === undefined ? undefined : enableGrad(closure);
    noGrad(() => {
      for (const [index, group] of this.paramGroups.entries()) {
        for (const [position, param] of group.params.entries()) {
          if (param.grad === null) continue;
          checkGradShape(
            `${this.api}.step`,
            param,
            param.grad,
            `parameter ${position} of param group ${index}`,
          );
          let state = this.state.get(param);
          if (state === undefined) {
            state = {};
            this.state.set(param, state);
          }
          this.update(param, param.grad, state, group);
        }
      }
    });
    return loss;
  }

  /** The optimizer's state as plain JSON; see {@link OptimizerStateDict}. */
  stateDict(): OptimizerStateDict {
    const positions = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const params = group.params.map((param) => {
        if (!positions.has(param)) positions.set(param, positions.size);
        return positions.get(param) as number;
      });
      return { ...(structuredClone(withoutParams(group)) as Record<string, JsonValue>), params };
    });
    const state: OptimizerStateDict["state"] = {};
    for (const [param, entries] of this.state) {
      const position = positions.get(param);
      if (position === undefined) continue;
      const saved: Record<string, number | TensorJson> = {};
      for (const [key, value] of Object.entries(entries)) {
        saved[key] = typeof value === "number" ? value : encodeTensor(value);
      }
      state[String(position)] = saved;
    }
    return { state, paramGroups };
  }

  /**
   * Restores a state saved by {@link Optimizer.stateDict} (also after `JSON.parse(JSON.stringify(...))`):
   * group options and per-parameter state. The groups must hold as many parameters as when saved.
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const api = `${this.api}.loadStateDict`;
    const saved = stateDict?.paramGroups;
    if (!Array.isArray(saved) || typeof stateDict.state !== "object" || stateDict.state === null) {
      throw new OptimError(
        "INVALID_STATE_DICT",
        api,
        "expected an object with 'state' and 'paramGroups', as returned by stateDict(). Hint: pass optimizer.stateDict() (or its JSON.parse'd copy).",
      );
    }
    if (saved.length !== this.paramGroups.length) {
      throw new OptimError(
        "INVALID_STATE_DICT",
        api,
        `loaded state dict has a different number of parameter groups, expected ${this.paramGroups.length} vs got ${saved.length}. Hint: build the optimizer with the same parameter groups as the one that was saved.`,
      );
    }
    const params = this.paramGroups.flatMap((group, index) => {
      const count = saved[index]?.params?.length;
      if (count !== group.params.length) {
        throw new OptimError(
          "INVALID_STATE_DICT",
          api,
          `loaded state dict contains a parameter group that doesn't match the size of optimizer's group, expected ${group.params.length} parameters vs got ${count} (param group ${index}). Hint: build the optimizer with the same parameters as the one that was saved.`,
        );
      }
      return group.params;
    });
    const state = new Map<Tensor, ParamState>();
    for (const [key, entries] of Object.entries(stateDict.state)) {
      const param = params[Number(key)];
      if (param === undefined || typeof entries !== "object" || entries === null) {
        throw new OptimError(
          "INVALID_STATE_DICT",
          api,
          `state key '${key}' does not name a parameter, expected 0 to ${params.length - 1}. Hint: pass a state dict saved from an optimizer over the same parameters.`,
        );
      }
      const restored: ParamState = {};
      for (const [name, value] of Object.entries(entries)) {
        restored[name] = isTensorJson(value)
          ? decodeTensor(value, param, api, `'${name}' of parameter ${key}`)
          : Number(value);
      }
      state.set(param, restored);
    }
    const groups = this.paramGroups.map((group, index) => {
      const options = structuredClone(withoutParams(saved[index] as object)) as O;
      this.validate({ ...this.defaults, ...options }, `param group ${index}`);
      return { ...this.defaults, ...options, params: group.params } as ParamGroup<O>;
    });
    this.paramGroups.splice(0, this.paramGroups.length, ...groups);
    this.state.clear();
    for (const [param, entries] of state) this.state.set(param, entries);
  }
}

function checkGradShape(api: string, param: Tensor, grad: Tensor, which: string): void {
  if (sameShape(grad.shape, param.shape)) return;
  throw new OptimError(
    "INVALID_ARGUMENT",
    api,
    `the gradient of ${which} has shape ${formatShape(grad.shape)}, expected the parameter's shape ${formatShape(param.shape)}. Hint: assign .grad a tensor of the parameter's shape, or let backward() compute it.`,
  );
}

/** The tensor `state[key]`, created by `create` on first use (e.g. Adam's `expAvg`). */
export function stateTensor(state: ParamState, key: string, create: () => Tensor): Tensor {
  let value = state[key];
  if (value === undefined) {
    value = create();
    state[key] = value;
  }
  return value as Tensor;
}

/** Increments and returns `state.step`. */
export function nextStep(state: ParamState): number {
  const step = ((state.step as number | undefined) ?? 0) + 1;
  state.step = step;
  return step;
}

function withoutParams(group: object): object {
  const { params: _params, ...options } = group as { params?: unknown };
  return options;
}
