import { noGrad } from "@x/autograd";
import { sameShape, type Tensor } from "@x/tensor";
import { isTensor, NNError, show } from "./errors";

/** A module's state: tensors by torch's dotted name (`0.weight`), in torch's order. */
export type StateDict = Record<string, Tensor>;

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** Missing and unexpected keys are errors (the default); with false they are returned. */
  strict?: boolean;
}

/** What `loadStateDict` reports (torch's `_IncompatibleKeys`). */
export interface LoadStateDictResult {
  /** The module's keys that `state` lacks. */
  missingKeys: string[];
  /** `state`'s keys that the module does not have. */
  unexpectedKeys: string[];
}

/** One module of a walk, as the state-dict functions see it. */
export interface ModuleState {
  /** The module's dotted name (`""` for the root). */
  prefix: string;
  /** Its parameters, then its persistent buffers (nulls are skipped), by local name. */
  locals: [string, Tensor][];
  /** The names of its submodules (null placeholders included). */
  children: ReadonlySet<string>;
}

const join = (prefix: string, name: string) => (prefix === "" ? name : `${prefix}.${name}`);

/** The state dict of a walk (each module's locals in order, detached). */
export function stateDict(walk: readonly ModuleState[]): StateDict {
  const state: StateDict = {};
  for (const { prefix, locals } of walk) {
    for (const [name, tensor] of locals) state[join(prefix, name)] = tensor.detach();
  }
  return state;
}

const torchSize = (shape: readonly number[]) => `torch.Size([${shape.join(", ")}])`;
const quoted = (keys: readonly string[]) => keys.map((k) => `"${k}"`).join(", ");

/**
 * Checks `state` against the walk as torch's `load_state_dict` does and copies it in; throws an
 * NNError with torch's message (`Error(s) in loading state_dict for Net:` …) before copying
 * anything when a check fails.
 */
export function loadStateDict(
  moduleName: string,
  walk: readonly ModuleState[],
  state: StateDict,
  { strict = true }: LoadStateDictOptions,
): LoadStateDictResult {
  if (typeof state !== "object" || state === null || Array.isArray(state)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      "loadStateDict",
      `state must be a plain object of name → Tensor, but got ${show(state)}. Hint: pass another module's stateDict().`,
    );
  }
  const missingKeys: string[] = [];
  const unexpectedKeys: string[] = [];
  const sizeErrors: string[] = [];
  const copies: [Tensor, Tensor][] = [];
  const stateKeys = Object.keys(state);
  for (const { prefix, locals, children } of walk) {
    for (const [name, target] of locals) {
      const key = join(prefix, name);
      if (!Object.hasOwn(state, key)) {
        missingKeys.push(key);
        continue;
      }
      const source = state[key] as unknown;
      if (!isTensor(source)) {
        sizeErrors.push(
          `While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${show(source)}`,
        );
      } else if (!sameShape(source.shape, target.shape)) {
        sizeErrors.push(
          `size mismatch for ${key}: copying a param with shape ${torchSize(source.shape)} from checkpoint, the shape in current model is ${torchSize(target.shape)}.`,
        );
      } else {
        copies.push([target, source]);
      }
    }
    const own = new Set(locals.map(([name]) => name));
    const start = prefix === "" ? "" : `${prefix}.`;
    for (const key of stateKeys) {
      if (!key.startsWith(start)) continue;
      const first = key.slice(start.length).split(".", 1)[0] as string;
      if (!children.has(first) && !own.has(first)) unexpectedKeys.push(key);
    }
  }
  const messages = [
    ...(strict && missingKeys.length > 0
      ? [`Missing key(s) in state_dict: ${quoted(missingKeys)}. `]
      : []),
    ...(strict && unexpectedKeys.length > 0
      ? [`Unexpected key(s) in state_dict: ${quoted(unexpectedKeys)}. `]
      : []),
    ...sizeErrors,
  ];
  if (messages.length > 0) {
    throw new NNError(
      strict && missingKeys.length > 0
        ? "MISSING_KEYS"
        : strict && unexpectedKeys.length > 0
          ? "UNEXPECTED_KEYS"
          : "SHAPE_MISMATCH",
      "loadStateDict",
      `Error(s) in loading state_dict for ${moduleName}:\n\t${messages.join("\n\t")}\nHint: load a stateDict() of a model built the same way, or pass { strict: false } to skip missing and unexpected keys. Nothing was loaded.`,
    );
  }
  noGrad(() => {
    for (const [target, source] of copies) target.copy_(source);
  });
  return { missingKeys, unexpectedKeys };
}
