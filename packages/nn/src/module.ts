import { noGrad } from "@x/autograd";
import { type DType, isFloating, type Tensor } from "@x/tensor";
import { isTensor, NNError, show } from "./errors";
import { Parameter } from "./parameter";
import { checkName, emptyRegistry, forget, type Registry, recordAttribute } from "./registry";
import { formatModule } from "./repr";
import {
  type LoadStateDictOptions,
  type LoadStateDictResult,
  loadStateDict,
  type ModuleState,
  type StateDict,
  stateDict,
} from "./state-dict";

/** Options of {@link Module.namedParameters} and the other `named…` walks. */
export interface NamedOptions {
  /** Prepended to every name, with a dot (default `""`). */
  prefix?: string;
  /** Include the members of every submodule, not only this module's own (default true). */
  recurse?: boolean;
}

/** Options of {@link Module.registerBuffer}. */
export interface RegisterBufferOptions {
  /** Whether the buffer is part of {@link Module.stateDict} (default true). */
  persistent?: boolean;
}

/** Options of {@link Module.zeroGrad}. */
export interface ModuleZeroGradOptions {
  /** Set gradients to `null` (the default) instead of filling them with zeros. */
  setToNone?: boolean;
}

// Each module's registry, reachable from the module (the Proxy that `new` returns) and from its
// target (what the Proxy's traps receive), without a visible property on either.
const registries = new WeakMap<object, Registry<Module>>();

function registryOf(module: object): Registry<Module> {
  return registries.get(module) as Registry<Module>;
}

/** The submodules of `module` by name, in order, duplicates and null placeholders included. */
export function childModules(module: Module): ReadonlyMap<string, Module | null> {
  return registryOf(module).modules;
}

function isModule(value: unknown): value is Module {
  return value instanceof Module;
}

/*
 * How fields register themselves. A subclass's field initialisers (`fc1 = new Linear(2, 16)`) run
 * after `super()` returns, on whatever object the base constructor returned, and they *define*
 * the property (ES2022 class fields). So Module's constructor returns a Proxy of the new object
 * whose `defineProperty` trap sees every field definition and every later assignment
 * (`this.fc = …` reaches the same trap through [[Set]]), and records Parameters, Modules and
 * buffer writes in Maps at the moment they happen. Maps keep insertion order for every key,
 * integer-like ones included ('0', '1', … of Sequential, '10' after '9'), which is torch's
 * assignment order; discovering own fields later with Object.keys could not, as it lists
 * integer-like keys first in numeric order. The value also stays a plain own property, so
 * `this.fc1` reads it directly (the Proxy has no `get` trap).
 */
const registeringTraps: ProxyHandler<Module> = {
  defineProperty(target, key, descriptor) {
    if (typeof key === "string" && "value" in descriptor) {
      recordAttribute(registryOf(target), nameOf(target), key, descriptor.value, isModule);
    }
    return Reflect.defineProperty(target, key, descriptor);
  },
  deleteProperty(target, key) {
    if (typeof key === "string") forget(registryOf(target), key);
    return Reflect.deleteProperty(target, key);
  },
};

/**
 * Pins a built-in class's `name` (what `toString()` prints) so that minifiers, which rename
 * classes, do not change the printed model.
 */
export function keepName(cls: abstract new (...args: never[]) => unknown, name: string): void {
  Object.defineProperty(cls, "name", { value: name });
}

/** The class name a module prints with (torch's `_get_name()`). */
export function nameOf(module: object): string {
  return module.constructor.name;
}

/**
 * The base class of every layer and model (torch.nn.Module). Parameters and submodules assigned
 * as fields, in field initialisers or in the constructor, are registered automatically in
 * assignment order, so {@link Module.namedParameters} and {@link Module.stateDict} give torch's
 * dotted names (`0.weight`, `fc1.bias`) in torch's order.
 *
 * @example
 * class Net extends Module {
 *   fc1 = new Linear(2, 16);
 *   fc2 = new Linear(16, 3);
 *   forward(x: Tensor): Tensor { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 */
export class Module {
  static {
    keepName(this, "Module");
  }
  /** Whether the module is in training mode (`train()`) or evaluation mode (`eval()`). */
  declare training: boolean;

  constructor() {
    const registry = emptyRegistry<Module>();
    registries.set(this, registry);
    this.training = true;
    const registering = new Proxy(this, registeringTraps);
    registries.set(registering, registry);
    // biome-ignore lint/correctness/noConstructorReturn: the Proxy is what registers fields (see above).
    return registering;
  }

  /** The computation of the module; every subclass defines it. */
  forward(...inputs: unknown[]): unknown {
    throw new NNError(
      "NOT_IMPLEMENTED",
      `${nameOf(this)}.forward`,
      `module [${nameOf(this)}] is missing the required "forward" function (called with ${inputs.length} input(s)). Hint: define forward(x) in the class.`,
    );
  }

  /** Extra text inside the parentheses of `toString()` (torch's `extra_repr`), e.g. `in_features=1`. */
  extraRepr(): string {
    return "";
  }

  /** The module as torch prints it: `Sequential(\n  (0): Linear(in_features=1, …)\n  …\n)`. */
  toString(): string {
    return formatModule<Module>(this, nameOf, (m) => registryOf(m).modules);
  }

  /** What `console.log(model)` prints in Node: the same text as `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  // ── registration ─────────────────────────────────────────────────────────────

  /** Registers a parameter (or a `null` placeholder, as torch's `None`) under `name`. */
  registerParameter(name: string, param: Parameter | null): void {
    checkName("registerParameter", name, this.hasOther(name, "parameters"));
    if (param !== null && !(param instanceof Parameter)) {
      throw new NNError(
        "INVALID_ARGUMENT",
        "registerParameter",
        `cannot assign ${show(param)} as parameter '${name}' (a Parameter or null expected). Hint: new Parameter(t).`,
      );
    }
    forget(registryOf(this), name, "parameters");
    registryOf(this).parameters.set(name, param);
    Reflect.defineProperty(this, name, {
      value: param,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }

  /**
   * Registers a tensor that is state but not a parameter (BatchNorm's running mean): it moves
   * with `to()`, and is in `stateDict()` unless `persistent` is false.
   */
  registerBuffer(name: string, tensor: Tensor | null, options: RegisterBufferOptions = {}): void {
    checkName("registerBuffer", name, this.hasOther(name, "buffers"));
    if (tensor !== null && !isTensor(tensor)) {
      throw new NNError(
        "INVALID_ARGUMENT",
        "registerBuffer",
        `cannot assign ${show(tensor)} as buffer '${name}' (a Tensor or null expected).`,
      );
    }
    const registry = registryOf(this);
    forget(registry, name, "buffers");
    registry.buffers.set(name, tensor);
    if (options.persistent === false) registry.nonPersistent.add(name);
    Reflect.defineProperty(this, name, {
      value: tensor,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }

  /** Registers a submodule (or a `null` placeholder) under `name` (torch's `add_module`). */
  registerModule(name: string, module: Module | null): void {
    checkName("registerModule", name, this.hasOther(name, "modules"));
    if (module !== null && !isModule(module)) {
      throw new NNError(
        "INVALID_ARGUMENT",
        "registerModule",
        `${show(module)} is not a Module subclass (module '${name}').`,
      );
    }
    forget(registryOf(this), name, "modules");
    registryOf(this).modules.set(name, module);
    Reflect.defineProperty(this, name, {
      value: module,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }

  /** True when `name` is taken by anything but a member of the `kind` being registered. */
  private hasOther(name: unknown, kind: "parameters" | "buffers" | "modules"): boolean {
    return typeof name === "string" && name in this && !registryOf(this)[kind].has(name);
  }

  // ── walks ─────────────────────────────────────────────────────────────────────

  /** This module and every submodule, each once, with dotted names (`""` for this one). */
  namedModules(options: { prefix?: string } = {}): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    const visit = (module: Module, prefix: string): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([prefix, module]);
      for (const [name, child] of registryOf(module).modules) {
        if (child !== null) visit(child, prefix === "" ? name : `${prefix}.${name}`);
      }
    };
    visit(this, options.prefix ?? "");
    return out;
  }

  /** This module and every submodule, each once. */
  modules(): Module[] {
    return this.namedModules().map(([, module]) => module);
  }

  /** The direct submodules with their names, each once. */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [name, child] of registryOf(this).modules) {
      if (child !== null && !seen.has(child)) {
        seen.add(child);
        out.push([name, child]);
      }
    }
    return out;
  }

  /** The direct submodules, each once. */
  children(): Module[] {
    return this.namedChildren().map(([, module]) => module);
  }

  /** Parameters with torch's dotted names (`0.weight`, `fc1.bias`), each parameter once. */
  namedParameters(options: NamedOptions = {}): [string, Parameter][] {
    return this.namedMembers((r) => r.parameters, options) as [string, Parameter][];
  }

  /** The parameters, each once: what an optimizer trains. */
  parameters(options: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(options).map(([, param]) => param);
  }

  /** Buffers (persistent or not) with dotted names, each once. */
  namedBuffers(options: NamedOptions = {}): [string, Tensor][] {
    return this.namedMembers((r) => r.buffers, options);
  }

  /** The buffers, each once. */
  buffers(options: { recurse?: boolean } = {}): Tensor[] {
    return this.namedBuffers(options).map(([, buffer]) => buffer);
  }

  private namedMembers(
    members: (registry: Registry<Module>) => Map<string, Tensor | null>,
    { prefix = "", recurse = true }: NamedOptions,
  ): [string, Tensor][] {
    const modules: [string, Module][] = recurse ? this.namedModules({ prefix }) : [[prefix, this]];
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [modulePrefix, module] of modules) {
      for (const [name, member] of members(registryOf(module))) {
        if (member === null || seen.has(member)) continue;
        seen.add(member);
        out.push([modulePrefix === "" ? name : `${modulePrefix}.${name}`, member]);
      }
    }
    return out;
  }

  // ── modes and bulk changes ────────────────────────────────────────────────────

  /** Sets training mode (`true`, the default) or evaluation mode on this module and every submodule. */
  train(mode = true): this {
    if (typeof mode !== "boolean") {
      throw new NNError(
        "INVALID_ARGUMENT",
        `${nameOf(this)}.train`,
        `training mode is expected to be boolean, but got ${show(mode)}. Hint: train() or eval().`,
      );
    }
    for (const module of this.modules()) module.training = mode;
    return this;
  }

  /** Evaluation mode (`train(false)`): dropout off, batch norm uses its running statistics. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient: `null` by default, zeros with `{ setToNone: false }`. */
  zeroGrad({ setToNone = true }: ModuleZeroGradOptions = {}): void {
    for (const param of this.parameters()) {
      if (param.grad === null) continue;
      if (setToNone) {
        param.grad = null;
      } else {
        if (param.grad.requiresGrad) param.grad = param.grad.detach(); // out of any graph
        param.grad.zero_();
      }
    }
  }

  /** Turns gradient recording on (default) or off for every parameter (freezing a model). */
  requiresGrad_(requiresGrad = true): this {
    for (const param of this.parameters()) param.requiresGrad_(requiresGrad);
    return this;
  }

  /** Calls `fn` on every submodule (children first, depth first) and then on this module. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Casts every floating-point parameter and buffer to `dtype` (float32 or float64); other
   * buffers keep their dtype, as in torch. Parameters become new Parameter objects: build the
   * optimizer after calling `to`.
   */
  to(dtype: DType): this {
    if (dtype !== "float32" && dtype !== "float64") {
      throw new NNError(
        "INVALID_DTYPE",
        `${nameOf(this)}.to`,
        `Module.to only accepts floating point dtypes, but got ${show(dtype)}. Hint: 'float32' or 'float64'.`,
      );
    }
    for (const module of this.modules()) {
      const registry = registryOf(module);
      for (const [name, param] of registry.parameters) {
        if (param === null || param.dtype === dtype) continue;
        const cast = noGrad(() => new Parameter(param.to(dtype), param.requiresGrad));
        if (param.grad !== null) cast.grad = param.grad.to(dtype);
        Reflect.set(module, name, cast);
      }
      for (const [name, buffer] of registry.buffers) {
        if (buffer === null || !isFloating(buffer.dtype) || buffer.dtype === dtype) continue;
        Reflect.set(module, name, buffer.to(dtype));
      }
    }
    return this;
  }

  // ── state dicts ───────────────────────────────────────────────────────────────

  /**
   * Every parameter and persistent buffer by torch's dotted name, in torch's order (each
   * module's parameters, then its buffers, then its submodules'), detached from the graph.
   */
  stateDict(): StateDict {
    return stateDict(stateWalk(this, ""));
  }

  /**
   * Copies `state`'s tensors into this module's parameters and buffers (in place, so an optimizer
   * keeps working). Missing and unexpected keys are an error unless `strict` is false, in which
   * case they are returned; a shape mismatch is always an error. Nothing is copied on an error.
   */
  loadStateDict(state: StateDict, options: LoadStateDictOptions = {}): LoadStateDictResult {
    return loadStateDict(nameOf(this), stateWalk(this, ""), state, options);
  }
}

/**
 * The modules as torch's state_dict and load_state_dict walk them: depth first through every
 * non-null submodule, a shared one under each of its names.
 */
function stateWalk(module: Module, prefix: string): ModuleState[] {
  const { parameters, buffers, nonPersistent, modules } = registryOf(module);
  const locals: [string, Tensor][] = [];
  for (const [name, param] of parameters) if (param !== null) locals.push([name, param]);
  for (const [name, buffer] of buffers) {
    if (buffer !== null && !nonPersistent.has(name)) locals.push([name, buffer]);
  }
  const walk: ModuleState[] = [{ prefix, locals, children: new Set(modules.keys()) }];
  for (const [name, child] of modules) {
    if (child !== null) walk.push(...stateWalk(child, prefix === "" ? name : `${prefix}.${name}`));
  }
  return walk;
}
