import {
  type BackwardOptions,
  formatShape,
  onesLike,
  sameShape,
  sumTo,
  Tensor,
  tensor,
} from "@x/tensor";
import { isGradEnabled } from "@x/tensor/internal";
import { AutogradError } from "./errors";
import { withGradMode } from "./grad-mode";
import { anomaly, type Edge, Node, refreshView } from "./node";
import { ruleOf } from "./rules";
import { accumulationWarning } from "./warnings";

/** What a backward pass should do with the gradients that reach graph inputs. */
interface PassOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** For `grad()`: collect the gradients of these tensors instead of accumulating into `.grad`. */
  capture: Map<Tensor, Tensor | null> | null;
}

function addInto(previous: Tensor | null, grad: Tensor): Tensor {
  return previous === null ? grad : previous.add(grad);
}

/** Checks a rule's gradient against the input, undoing broadcasting and dtype promotion. */
export function fitToInput(node: Node, index: number, input: Tensor, grad: Tensor): Tensor {
  let fitted = grad;
  if (!sameShape(grad.shape, input.shape)) {
    const lead = grad.ndim - input.ndim;
    const expandable =
      lead >= 0 && input.shape.every((size, d) => size === 1 || size === grad.shape[d + lead]);
    if (!expandable) {
      throw new AutogradError(
        "BAD_GRADIENT",
        "backward()",
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
          "anomaly",
          `function '${node.name}' returned ${Number.isNaN(values[i] as number) ? "nan" : "inf"} values in its ${index}th output (gradient of shape ${formatShape(grad.shape)}). The op was created at:\n${node.createdAt ?? "(unknown: enable detectAnomaly before the forward pass)"}`,
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

/**
 * Delivers the finished gradient of a tensor, a leaf or a node's result: runs its hooks, then
 * adds the result to `grad()`'s capture, or to `.grad` (leaves, and tensors that called
 * `retainGrad()`). Returns the gradient after the hooks, which a node passes on.
 */
function deliver(tensor: Tensor, grad: Tensor, options: PassOptions): Tensor {
  const final = runHooks(tensor, grad);
  const capture = options.capture;
  if (capture !== null) {
    if (capture.has(tensor)) capture.set(tensor, addInto(capture.get(tensor) ?? null, final));
  } else if (tensor.gradFn === null || tensor.retainsGrad) storeGrad(tensor, final, options);
  return final;
}

/**
 * One node's (or one leaf's) state within one backward pass. It belongs to the pass, not to the
 * node: a hook may start another pass over the same nodes while this one is under way (PyTorch's
 * reentrant backward), and each pass needs its own counts and sums.
 */
interface Slot {
  /** The node, or null for a leaf. */
  readonly node: Node | null;
  /** The leaf tensor, or null for a node. */
  readonly leaf: Tensor | null;
  /** Gradient summed from the consumers that have run so far. */
  pending: Tensor | null;
  /** Consumers inside the pass's graph that have not run yet. */
  waiting: number;
  /** Where this node's input slots start in the pass's `edges`. */
  first: number;
  /** How many inputs this node has. */
  count: number;
}

/**
 * The state of one backward pass (PyTorch's `GraphTask`): the graph found from the roots, the
 * gradients on their way, and the ready queue. Nothing is written to the nodes, so a pass that
 * a hook starts cannot disturb the pass that called the hook, and an error thrown halfway leaves
 * nothing behind for the next pass.
 */
class GraphTask {
  /** The slot of each node, and of each leaf (by tensor), the pass reaches. */
  private readonly slots = new Map<Node | Tensor, Slot>();
  /**
   * Every node's input slots (null where the input needs no gradient), `count` of them from
   * `first`. Only discovery looks slots up, and it runs no user code, so no other pass can start
   * in between. The run follows these instead, so it walks the graph it counted even if a hook
   * changes `gradFn`s meanwhile.
   */
  private readonly edges: (Slot | null)[] = [];
  /** Discovery's stack, then the ready queue. */
  private readonly ready: Slot[] = [];
  /** Leaves in the order their first gradient arrived, which is the order of delivery. */
  private readonly leaves: Slot[] = [];

  constructor(private readonly options: PassOptions) {}

  /** Runs the pass from `roots`, seeded with `seeds`. */
  run(roots: readonly Tensor[], seeds: readonly Tensor[]): void {
    this.discover(roots);
    const ready = this.ready;
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i] as Tensor;
      const key = (root.gradFn as Node | null) ?? root;
      const slot = this.slots.get(key) ?? this.add(null, root);
      this.receive(slot, seeds[i] as Tensor);
      if (slot.node !== null && slot.waiting === 0 && !ready.includes(slot)) ready.push(slot);
    }
    while (ready.length > 0) {
      const slot = ready.pop() as Slot;
      const grad = slot.pending;
      slot.pending = null;
      if (grad !== null) this.runNode(slot, grad);
      else {
        // An input that gets no gradient still counts as delivered, so its node can run.
        const end = slot.first + slot.count;
        for (let e = slot.first; e < end; e++) this.arrived(this.edges[e] as Slot | null);
      }
    }
    for (const leaf of this.leaves)
      deliver(leaf.leaf as Tensor, leaf.pending as Tensor, this.options);
  }

  /** Counts, for every node reachable from the roots, its consumers inside the graph. */
  private discover(roots: readonly Tensor[]): void {
    const { edges, ready: stack } = this;
    for (const root of roots) {
      const node = root.gradFn as Node | null;
      if (node !== null && this.slots.get(node) === undefined) stack.push(this.add(node, null));
    }
    while (stack.length > 0) {
      const slot = stack.pop() as Slot;
      const node = slot.node as Node;
      node.assertLive();
      const nodeEdges = node.edges as Edge[];
      slot.first = edges.length;
      slot.count = nodeEdges.length;
      for (let i = 0; i < nodeEdges.length; i++) {
        const edge = nodeEdges[i] as Edge;
        if (edge === null) {
          edges.push(null);
          continue;
        }
        const next = edge instanceof Tensor ? null : edge;
        let target = this.slots.get(edge);
        if (target === undefined) {
          target = this.add(next, next === null ? (edge as Tensor) : null);
          if (next !== null) stack.push(target);
        }
        if (next !== null) target.waiting++;
        edges.push(target);
      }
    }
  }

  /** Gives a node, or a leaf (`node` null), its slot in this pass. */
  private add(node: Node | null, leaf: Tensor | null): Slot {
    const slot: Slot = { node, leaf, pending: null, waiting: 0, first: 0, count: 0 };
    this.slots.set(node ?? (leaf as Tensor), slot);
    return slot;
  }

  private receive(slot: Slot, grad: Tensor): void {
    if (slot.pending !== null) slot.pending = slot.pending.add(grad);
    else {
      slot.pending = grad;
      if (slot.node === null) this.leaves.push(slot);
    }
  }

  /** One consumer of `slot` has run, with or without a gradient for it. */
  private arrived(slot: Slot | null): void {
    if (slot !== null && slot.node !== null && --slot.waiting === 0) this.ready.push(slot);
  }

  /** Runs a node's hooks and backward rule, and passes the gradients on to its inputs. */
  private runNode(slot: Slot, pending: Tensor): void {
    const node = slot.node as Node;
    const owner = node.owner;
    // the result sees its gradient when it has hooks, called retainGrad() or is grad()'s input
    const seen = owner.gradHooks !== null || owner.retainsGrad || this.options.capture?.has(owner);
    const grad = seen ? deliver(owner, pending, this.options) : pending;
    node.assertLive(); // a pass started by a hook may have freed it
    const rule = node.custom ?? ruleOf(node.spec);
    const grads = rule === "not-differentiable" ? [] : rule(node, grad);
    if (anomaly.enabled) checkAnomaly(node, grads);
    const inputs = node.inputs as Tensor[];
    for (let i = 0; i < slot.count; i++) {
      const target = this.edges[slot.first + i] as Slot | null;
      if (target === null) continue;
      const inputGrad = grads[i];
      if (inputGrad !== null && inputGrad !== undefined)
        this.receive(target, fitToInput(node, i, inputs[i] as Tensor, inputGrad));
      this.arrived(target);
    }
    if (!this.options.retainGraph) node.release();
  }
}

function seedFor(root: Tensor, gradient: Tensor | number | undefined, api: string): Tensor {
  if (gradient === undefined) {
    if (root.numel() !== 1) {
      throw new AutogradError(
        "NON_SCALAR_BACKWARD",
        api,
        `grad can be implicitly created only for scalar outputs, but the output has shape ${formatShape(root.shape)}. Hint: reduce it first (e.g. loss.mean() or .sum()), or pass the gradient: backward(gradient).`,
      );
    }
    return onesLike(root);
  }
  const seed = typeof gradient === "number" ? tensor(gradient, { dtype: root.dtype }) : gradient;
  if (!(seed instanceof Tensor) || !sameShape(seed.shape, root.shape)) {
    throw new AutogradError(
      "BAD_GRADIENT",
      api,
      `the gradient has shape ${seed instanceof Tensor ? formatShape(seed.shape) : typeof seed} but the output has shape ${formatShape(root.shape)}. Hint: pass a gradient with the output's shape.`,
    );
  }
  return seed;
}

function requireGraph(root: Tensor, api: string, index = 0): void {
  refreshView(root);
  if (root.requiresGrad) return;
  const why = !isGradEnabled()
    ? "it was computed while grad mode is off (inside noGrad or setGradEnabled(false))"
    : "none of the tensors it was computed from requires grad (create the parameters with { requiresGrad: true })";
  throw new AutogradError(
    "NO_GRAD_FN",
    api,
    `element ${index} of tensors does not require grad and does not have a gradFn (shape ${formatShape(root.shape)}): ${why}. Hint: check that the loss is computed outside noGrad from tensors created with { requiresGrad: true }.`,
  );
}

/** `tensor.backward()`: accumulates gradients into the graph leaves' `.grad`. */
export function backward(root: Tensor, options: BackwardOptions): void {
  requireGraph(root, "backward()");
  const seed = seedFor(root, options.gradient, "backward()");
  const createGraph = options.createGraph ?? false;
  const pass = { retainGraph: options.retainGraph ?? createGraph, createGraph, capture: null };
  withGradMode(createGraph, "backward()", () => new GraphTask(pass).run([root], [seed]));
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
        "grad",
        `input ${i} (shape ${formatShape(input.shape)}) does not require grad. Hint: create it with { requiresGrad: true }.`,
      );
    }
  });
  const seeds = outs.map((out, i) => seedFor(out, given?.[i], "grad()"));
  const createGraph = options.createGraph ?? false;
  const capture = new Map<Tensor, Tensor | null>(ins.map((t) => [t, null]));
  withGradMode(createGraph, "grad()", () =>
    new GraphTask({ retainGraph: options.retainGraph ?? createGraph, createGraph, capture }).run(
      outs,
      seeds,
    ),
  );
  return ins.map((input, i) => {
    const result = capture.get(input) ?? null;
    if (result === null && !options.allowUnused) {
      throw new AutogradError(
        "UNUSED_INPUT",
        "grad",
        `one of the differentiated tensors (input ${i}, shape ${formatShape(input.shape)}) appears to not have been used in the graph. Hint: pass { allowUnused: true } to get null for it.`,
      );
    }
    return result === null || createGraph ? result : result.detach();
  });
}

export { Node };
