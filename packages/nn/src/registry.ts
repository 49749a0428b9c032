import { Tensor } from "@x/tensor";
import { NNError, show } from "./errors";
import { Parameter } from "./parameter";

/** What a module holds by name, in registration order (torch's `_parameters`, `_buffers`, `_modules`). */
export interface Registry<M> {
  readonly parameters: Map<string, Parameter | null>;
  readonly buffers: Map<string, Tensor | null>;
  readonly nonPersistent: Set<string>;
  readonly modules: Map<string, M | null>;
}

/** A fresh, empty registry. */
export function emptyRegistry<M>(): Registry<M> {
  return {
    parameters: new Map(),
    buffers: new Map(),
    nonPersistent: new Set(),
    modules: new Map(),
  };
}

type Kind = "parameters" | "buffers" | "modules";

/**
 * Removes `name` from every part of the registry but `keep`, so that a member replaced by one of
 * the same kind keeps its position (as a Python dict does).
 */
export function forget(registry: Registry<unknown>, name: string, keep?: Kind): void {
  if (keep !== "parameters") registry.parameters.delete(name);
  if (keep !== "buffers") registry.buffers.delete(name);
  registry.nonPersistent.delete(name);
  if (keep !== "modules") registry.modules.delete(name);
}

/**
 * Records an attribute write `owner[name] = value` in the registry, as torch's
 * `Module.__setattr__`: a Parameter registers a parameter, a module registers a submodule, and a
 * tensor (or null) written to a buffer's name replaces the buffer. Writing something else to a
 * parameter's or submodule's name is an error (null unsets it, as torch's None), and any other
 * value is a plain attribute. `isModule` tells modules apart without importing the class.
 */
export function recordAttribute<M>(
  registry: Registry<M>,
  owner: string,
  name: string,
  value: unknown,
  isModule: (value: unknown) => value is M,
): void {
  if (value instanceof Parameter) {
    forget(registry, name, "parameters");
    registry.parameters.set(name, value);
  } else if (isModule(value)) {
    forget(registry, name, "modules");
    registry.modules.set(name, value);
  } else if (registry.parameters.has(name)) {
    if (value !== null) refuse(owner, name, value, "parameter", "a Parameter");
    registry.parameters.set(name, null);
  } else if (registry.modules.has(name)) {
    if (value !== null) refuse(owner, name, value, "submodule", "a Module");
    registry.modules.set(name, null);
  } else if (registry.buffers.has(name)) {
    if (value !== null && !(value instanceof Tensor))
      refuse(owner, name, value, "buffer", "a Tensor");
    registry.buffers.set(name, value as Tensor | null);
  }
}

function refuse(
  owner: string,
  name: string,
  value: unknown,
  kind: string,
  expected: string,
): never {
  const hint =
    value === undefined
      ? ` Hint: a subclass that only re-types an inherited field must write \`declare ${name}: …\` (a field without an initialiser would reset it to undefined).`
      : kind === "parameter"
        ? ` Hint: wrap it, \`this.${name} = new Parameter(t)\`, or copy into it with \`this.${name}.copy_(t)\` inside noGrad.`
        : "";
  throw new NNError(
    "INVALID_ATTRIBUTE",
    `${owner}.${name}`,
    `cannot assign ${show(value)} as ${kind} '${name}' (${expected} or null expected).${hint}`,
  );
}

/** Throws unless `name` can name a parameter, buffer or submodule (torch's checks). */
export function checkName(op: string, name: unknown, exists: boolean): asserts name is string {
  let problem: string | null = null;
  if (typeof name !== "string") problem = `the name must be a string, but got ${show(name)}`;
  else if (name === "") problem = `the name can't be empty string ""`;
  else if (name.includes(".")) problem = `the name can't contain ".", but got ${show(name)}`;
  else if (exists) problem = `attribute '${name}' already exists`;
  if (problem !== null) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `${problem}. Hint: use a fresh name without dots (dots join names in stateDict keys).`,
    );
  }
}
