import type { Tensor } from "@x/tensor";
import { NNError, show } from "../errors";
import { childModules, keepName, Module } from "../module";

function checkModule(op: string, name: string, value: unknown): Module {
  if (!(value instanceof Module)) {
    throw new NNError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be a Module, but got ${show(value)}. Hint: e.g. new Linear(1, 13), new Tanh().`,
    );
  }
  return value;
}

/** The module at position `index` (negative counts from the end) of a container. */
function moduleAt(container: Module, index: number, op: string): Module {
  const modules = [...childModules(container).values()];
  const position = Number.isSafeInteger(index) && index < 0 ? index + modules.length : index;
  const module = Number.isSafeInteger(position) ? modules[position] : undefined;
  if (module === undefined || module === null) {
    throw new NNError(
      "INDEX_OUT_OF_RANGE",
      op,
      `index ${show(index)} is out of range for ${modules.length} module(s). Hint: use 0 … ${modules.length - 1}, or -1 for the last.`,
    );
  }
  return module;
}

function* modulesOf(container: Module): Generator<Module> {
  for (const module of childModules(container).values()) if (module !== null) yield module;
}

function isNamedModules(args: readonly unknown[]): args is [Record<string, Module>] {
  const [first] = args;
  return (
    args.length === 1 &&
    typeof first === "object" &&
    first !== null &&
    !(first instanceof Module) &&
    Object.getPrototypeOf(first) === Object.prototype
  );
}

/**
 * Modules applied one after another (torch.nn.Sequential): positional modules are named `0`,
 * `1`, …; an object of named modules (the book's `OrderedDict`) keeps its names and order.
 *
 * @example
 * const model = new Sequential(new Linear(1, 13), new Tanh(), new Linear(13, 1));
 * const named = new Sequential({ hidden_linear: new Linear(1, 8), hidden_activation: new Tanh(),
 *                                output_linear: new Linear(8, 1) });
 */
export class Sequential extends Module implements Iterable<Module> {
  static {
    keepName(this, "Sequential");
  }

  /** Positional modules, named `0`, `1`, …. */
  constructor(...modules: Module[]);
  /** Named modules, in the object's key order. */
  constructor(modules: Record<string, Module>);
  constructor(...args: Module[] | [Record<string, Module>]) {
    super();
    const entries: [string, unknown][] = isNamedModules(args)
      ? Object.entries(args[0])
      : args.map((module, i) => [String(i), module]);
    for (const [name, module] of entries) {
      this.registerModule(name, checkModule("Sequential", `module '${name}'`, module));
    }
  }

  /** Feeds `input` through every module in order. */
  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const module of this) x = module.forward(x);
    return x as Tensor;
  }

  /** The module at `index` (negative counts from the end), as torch's `seq[i]`. */
  at(index: number): Module {
    return moduleAt(this, index, "Sequential.at");
  }

  /** The number of modules, as torch's `len(seq)`. */
  get length(): number {
    return childModules(this).size;
  }

  /** Appends a module (named by its position); returns this. */
  append(module: Module): this {
    this.registerModule(String(this.length), checkModule("Sequential.append", "module", module));
    return this;
  }

  /** The modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return modulesOf(this);
  }
}

/** A list of submodules, registered as `0`, `1`, … (torch.nn.ModuleList); it has no forward. */
export class ModuleList extends Module implements Iterable<Module> {
  static {
    keepName(this, "ModuleList");
  }

  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    return moduleAt(this, index, "ModuleList.at");
  }

  /** The number of modules. */
  get length(): number {
    return childModules(this).size;
  }

  /** Appends a module; returns this. */
  append(module: Module): this {
    this.registerModule(String(this.length), checkModule("ModuleList.append", "module", module));
    return this;
  }

  /** Appends every module of `modules`; returns this. */
  extend(modules: Iterable<Module>): this {
    if (typeof modules !== "object" || modules === null || !(Symbol.iterator in modules)) {
      throw new NNError(
        "INVALID_ARGUMENT",
        "ModuleList.extend",
        `modules must be an iterable of Modules, but got ${show(modules)}. Hint: pass an array.`,
      );
    }
    for (const module of modules) this.append(module);
    return this;
  }

  /** The modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return modulesOf(this);
  }
}

/** Submodules by name, in insertion order (torch.nn.ModuleDict); it has no forward. */
export class ModuleDict extends Module implements Iterable<[string, Module]> {
  static {
    keepName(this, "ModuleDict");
  }

  constructor(modules: Record<string, Module> = {}) {
    super();
    if (typeof modules !== "object" || modules === null || Array.isArray(modules)) {
      throw new NNError(
        "INVALID_ARGUMENT",
        "ModuleDict",
        `modules must be an object of name → Module, but got ${show(modules)}.`,
      );
    }
    for (const [name, module] of Object.entries(modules)) this.set(name, module);
  }

  /** The module named `key`, or undefined. */
  get(key: string): Module | undefined {
    return childModules(this).get(key) ?? undefined;
  }

  /** Adds or replaces the module named `key`; returns this. */
  set(key: string, module: Module): this {
    const value = checkModule("ModuleDict.set", `module '${key}'`, module);
    if (childModules(this).has(key)) Reflect.set(this, key, value);
    else this.registerModule(key, value);
    return this;
  }

  /** Whether a module is named `key`. */
  has(key: string): boolean {
    return childModules(this).has(key);
  }

  /** Removes the module named `key`; returns whether there was one (torch's `pop`). */
  delete(key: string): boolean {
    return this.has(key) && Reflect.deleteProperty(this, key);
  }

  /** The number of modules. */
  get size(): number {
    return childModules(this).size;
  }

  /** The names, in order. */
  keys(): string[] {
    return [...childModules(this).keys()];
  }

  /** The modules, in order. */
  values(): Module[] {
    return [...modulesOf(this)];
  }

  /** `[name, module]` pairs, in order (torch's `items()`). */
  entries(): [string, Module][] {
    return this.keys().map((key) => [key, this.get(key) as Module]);
  }

  /** The `[name, module]` pairs in order. */
  [Symbol.iterator](): Iterator<[string, Module]> {
    return this.entries()[Symbol.iterator]();
  }
}
