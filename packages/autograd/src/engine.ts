import {
  type BackwardOptions,
  formatShape,
  onesLike,
  sameShape,
  sumTo,
  Tensor,
  tensor,
} from "@x/tensor";
import { isGradEnabled, setGradMode } from "@x/tensor/internal";
import { AutogradError } from "./errors";
import { anomaly, Node } from "./node";
import { ruleOf } from "./rules";
import { accumulationWarning } from "./warnings";

/** What a backward pass should do with the gradients that reach graph inputs. */
interface PassOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** For `grad()`: collect the gradients of these tensors instead of accumulating into `.grad`. */
  capture: Map<Tensor, Tensor | null> | null;
}

/** Topological bookkeeping: how many consumers inside the graph each node waits for. */
let passes = 0;

function countConsumers(roots: readonly Node[]): void {
  const pass = ++passes; // nodes stamped with this pass were seen (cheaper than a Set)
  const stack = roots.slice();
  for (const root of roots) {
    root.waiting = 0;
    root.seenInPass = pass;
  }
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    node.assertLive();
    for (const input of node.inputs as Tensor[]) {
      const next = input.gradFn as Node | null;
      if (next === null || !input.requiresGrad) continue;
      if (next.seenInPass !== pass) {
        next.seenInPass = pass;
        next.waiting = 0;
        stack.push(next);
      }
      next.waiting++;
    }
  }
}

function addInto(previous: Tensor | null, grad: Tensor): Tensor {
  return previous === null ? grad : previous.add(grad);
}

/** Checks a rule's gradient against the input, undoing broadcasting and dtype promotion. */
function fitToInput(node: Node, index: number, input: Tensor, grad: Tensor): Tensor {
  let fitted = grad;
  if (!sameShape(grad.shape, input.shape)) {
    const lead = grad.ndim - input.ndim;
    const expandable =
      lead >= 0 && input.shape.every((size, d) => size === 1 || size === grad.shape[d + lead]);
    if (!expandable) {
      throw new AutogradError(
        "BAD_GRADIENT",
        `${node.name} returned a gradient of shape ${formatShape(grad.shape)} for input ${index}, which has shape ${formatShape(input.shape)}. Hint: a backward rule must return one gradient per input, shaped like that input.`,
      );
    }
    fitted = sumTo(grad, input.shape);
  }
  return fitted.dtype === input.dtype ? fitted : fitted.to(input.dtype);
}

function checkAnomaly(node: Node, grads: readonly (Tensor | null)[]): void {
  grads.forEach((grad, index) => {
    if (grad === null) return;
    const values = grad.toTypedArray();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i] as number)) {
        throw new AutogradError(
          "ANOMALY",
          `anomaly: function '${node.name}' returned ${Number.isNaN(values[i] as number) ? "nan" : "inf"} values in its ${index}th output (gradient of shape ${formatShape(grad.shape)}). The op was created at:\n${node.createdAt ?? "(unknown: enable detectAnomaly before the forward pass)"}`,
        );
      }
    }
  });
}

function runHooks(tensor: Tensor, grad: Tensor): Tensor {
  let current = grad;
  for (const hook of tensor.gradHooks ?? []) current = hook(current) ?? current;
  return current;
}

function storeGrad(tensor: Tensor, grad: Tensor, options: PassOptions): void {
  if (options.createGraph) {
    tensor.grad = tensor.grad === null ? grad : tensor.grad.add(grad);
    return;
  }
  accumulationWarning(tensor);
  if (tensor.grad === null) tensor.grad = grad.detach().clone();
  else tensor.grad.add_(grad);
}

/** Delivers the finished gradient of a graph input (leaf or captured tensor). */
function deliver(tensor: Tensor, grad: Tensor, options: PassOptions): void {
  const final = runHooks(tensor, grad);
  if (options.capture?.has(tensor))
    options.capture.set(tensor, addInto(options.capture.get(tensor) ?? null, final));
  else if (options.capture === null && (tensor.gradFn === null || tensor.retainsGrad))
    storeGrad(tensor, final, options);
}

/** Runs one backward pass from `roots` seeded with `seeds`. */
function runPass(roots: readonly Tensor[], seeds: readonly Tensor[], options: PassOptions): void {
  const rootNodes = roots.map((r) => r.gradFn as Node | null).filter((n): n is Node => n !== null);
  countConsumers(rootNodes);
  const ready: Node[] = [];
  const leaves = new Map<Tensor, Tensor>();
  roots.forEach((root, i) => {
    const node = root.gradFn as Node | null;
    const seed = seeds[i] as Tensor;
    if (node === null) leaves.set(root, addInto(leaves.get(root) ?? null, seed));
    else {
      node.pending = addInto(node.pending, seed);
      if (node.waiting === 0 && !ready.includes(node)) ready.push(node);
    }
  });
  // An input that gets no gradient still counts as delivered, so its node can run.
  const skip = (input: Tensor): void => {
    const next = input.gradFn as Node | null;
    if (next !== null && input.requiresGrad && --next.waiting === 0) ready.push(next);
  };
  while (ready.length > 0) {
    const node = ready.pop() as Node;
    const pendingGrad = node.pending;
    node.pending = null;
    if (pendingGrad === null) {
      for (const input of node.inputs as Tensor[]) skip(input);
      continue;
    }
    let grad = pendingGrad;
    const owner = node.owner;
    if (owner.gradHooks !== null || owner.retainsGrad || options.capture?.has(owner)) {
      grad = runHooks(owner, grad);
      if (options.capture?.has(owner))
        options.capture.set(owner, addInto(options.capture.get(owner) ?? null, grad));
      else if (owner.retainsGrad && options.capture === null) storeGrad(owner, grad, options);
    }
    const rule = node.custom ?? ruleOf(node.spec);
    const grads = rule === "not-differentiable" ? [] : rule(node, grad);
    if (anomaly.enabled) checkAnomaly(node, grads);
    const inputs = node.inputs as Tensor[];
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i] as Tensor;
      const inputGrad = grads[i];
      if (!input.requiresGrad) continue;
      if (inputGrad === null || inputGrad === undefined) {
        skip(input);
        continue;
      }
      const fitted = fitToInput(node, i, input, inputGrad);
      const next = input.gradFn as Node | null;
      if (next === null) leaves.set(input, addInto(leaves.get(input) ?? null, fitted));
      else {
        next.pending = addInto(next.pending, fitted);
        if (--next.waiting === 0) ready.push(next);
      }
    }
    if (!options.retainGraph) node.release();
  }
  for (const [leaf, grad] of leaves) deliver(leaf, grad, options);
}

function seedFor(root: Tensor, gradient: Tensor | number | undefined, api: string): Tensor {
  if (gradient === undefined) {
    if (root.numel() !== 1) {
      throw new AutogradError(
        "NON_SCALAR_BACKWARD",
        `${api}: grad can be implicitly created only for scalar outputs, but the output has shape ${formatShape(root.shape)}. Hint: reduce it first (e.g. loss.mean() or .sum()), or pass the gradient: backward(gradient).`,
      );
    }
    return onesLike(root);
  }
  const seed = typeof gradient === "number" ? tensor(gradient, { dtype: root.dtype }) : gradient;
  if (!(seed instanceof Tensor) || !sameShape(seed.shape, root.shape)) {
    throw new AutogradError(
      "BAD_GRADIENT",
      `${api}: the gradient has shape ${seed instanceof Tensor ? formatShape(seed.shape) : typeof seed} but the output has shape ${formatShape(root.shape)}. Hint: pass a gradient with the output's shape.`,
    );
  }
  return seed;
}

function requireGraph(root: Tensor, api: string, index = 0): void {
  if (root.requiresGrad) return;
  const why = !isGradEnabled()
    ? "it was computed while grad mode is off (inside noGrad or setGradEnabled(false))"
    : "none of the tensors it was computed from requires grad (create the parameters with { requiresGrad: true })";
  throw new AutogradError(
    "NO_GRAD_FN",
    `${api}: element ${index} of tensors does not require grad and does not have a gradFn (shape ${formatShape(root.shape)}): ${why}. Hint: check that the loss is computed outside noGrad from tensors created with { requiresGrad: true }.`,
  );
}

/** `tensor.backward()`: accumulates gradients into the graph leaves' `.grad`. */
export function backward(root: Tensor, options: BackwardOptions): void {
  requireGraph(root, "backward()");
  const seed = seedFor(root, options.gradient, "backward()");
  const createGraph = options.createGraph ?? false;
  const pass = { retainGraph: options.retainGraph ?? createGraph, createGraph, capture: null };
  withMode(createGraph, () => runPass([root], [seed], pass));
}

function withMode(enabled: boolean, run: () => void): void {
  const previous = isGradEnabled();
  setGradMode(enabled);
  try {
    run();
  } finally {
    setGradMode(previous);
  }
}

/** Options of {@link grad}. */
export interface GradOptions {
  /** Gradients of the outputs (needed for non-scalar outputs). */
  gradOutputs?: readonly (Tensor | number)[] | Tensor | undefined;
  /** Keep the graph for another pass (defaults to `createGraph`). */
  retainGraph?: boolean | undefined;
  /** Record the backward pass so the result can be differentiated again. */
  createGraph?: boolean | undefined;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean | undefined;
}

/** Gradients of `outputs` with respect to `inputs`, like `torch.autograd.grad` (`.grad` untouched). */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  const given = options.gradOutputs instanceof Tensor ? [options.gradOutputs] : options.gradOutputs;
  outs.forEach((out, i) => {
    requireGraph(out, "grad()", i);
  });
  ins.forEach((input, i) => {
    if (!input.requiresGrad) {
      throw new AutogradError(
        "INVALID_ARGUMENT",
        `grad(): input ${i} (shape ${formatShape(input.shape)}) does not require grad. Hint: create it with { requiresGrad: true }.`,
      );
    }
  });
  const seeds = outs.map((out, i) => seedFor(out, given?.[i], "grad()"));
  const createGraph = options.createGraph ?? false;
  const capture = new Map<Tensor, Tensor | null>(ins.map((t) => [t, null]));
  withMode(createGraph, () =>
    runPass(outs, seeds, { retainGraph: options.retainGraph ?? createGraph, createGraph, capture }),
  );
  return ins.map((input, i) => {
    const result = capture.get(input) ?? null;
    if (result === null && !options.allowUnused) {
      throw new AutogradError(
        "UNUSED_INPUT",
        `grad(): one of the differentiated tensors (input ${i}, shape ${formatShape(input.shape)}) appears to not have been used in the graph. Hint: pass { allowUnused: true } to get null for it.`,
      );
    }
    return result === null || createGraph ? result : result.detach();
  });
}

export { Node };
