import { formatShape, type GradFn, type Tensor } from "@x/tensor";
import { type AnyOpSpec, asStridedSpec, type BackwardContext, layoutIn } from "@x/tensor/internal";
import { AutogradError } from "./errors";

/** Anomaly mode: nodes remember where they were created, and backward checks for NaN/inf. */
export const anomaly = { enabled: false };

/**
 * Where an input's gradient goes (PyTorch's edge): the node that produced the input, the input
 * itself when it is a leaf that requires grad, or null. Fixed when the op is recorded, so a later
 * in-place op that gives the input a new `gradFn` does not change what this op read.
 */
export type Edge = Node | Tensor | null;

/**
 * Derives a view's `gradFn` again from its base when the base was written in place by a recorded
 * op since (PyTorch regenerates it as `AsStridedBackward0`); a no-op for other tensors.
 */
export function refreshView(tensor: Tensor): void {
  const meta = tensor.viewMeta;
  if (meta === null || meta.base.gradFn === meta.baseGradFn) return;
  const base = meta.base;
  meta.baseGradFn = base.gradFn;
  tensor.gradFn = new Node(asStridedSpec, [base], tensor, layoutIn(tensor, base));
  tensor.requiresGrad = true;
}

/** The edge to `input`'s gradient, as of now. */
export function edgeOf(input: Tensor): Edge {
  refreshView(input);
  if (!input.requiresGrad) return null;
  return (input.gradFn as Node | null) ?? input;
}

/**
 * The spec of a node that exists only in the graph (custom Functions, `CopySlices`): its
 * backward is the node's own rule, and there is no kernel to replay.
 */
export function graphOnlySpec(name: string, op: string, what: string): AnyOpSpec {
  return {
    name,
    forward: () => {
      throw new AutogradError("INVALID_ARGUMENT", op, `${what} nodes are not replayable.`);
    },
    backward: "not-differentiable",
  };
}

/** Computes input gradients from the output gradient; null where no gradient flows. */
export type BackwardFunction = (node: Node, grad: Tensor) => readonly (Tensor | null)[];

/**
 * One recorded op in the graph (PyTorch's `grad_fn`). It keeps the op's inputs, the storage
 * version of each at record time, and its result; `release()` frees them after backward.
 */
export class Node implements GradFn, BackwardContext<unknown> {
  /** Tensors this op read; null once released. */
  inputs: readonly Tensor[] | null;
  /** Where each input's gradient goes, fixed at record time; null once released. */
  edges: Edge[] | null;
  /** Storage version of each input when recorded. */
  private readonly versions: number[];
  /** The tensor whose `gradFn` this is (retainGrad, hooks); an in-place op may rebase it. */
  owner: Tensor;
  /** Storage version of the result when recorded. */
  private readonly outputVersion: number;
  /** Where the op was called, in anomaly mode. */
  readonly createdAt: string | null;

  constructor(
    /** The op's spec: its name, backward rule and flags. */
    readonly spec: AnyOpSpec,
    inputs: readonly Tensor[],
    /** The op's result; rules read it through `result`, which checks its version. */
    private readonly output: Tensor,
    /** The op's attributes. */
    readonly attrs: unknown,
    /** Replaces the table rule (custom `Function`s). */
    readonly custom: BackwardFunction | null = null,
    private readonly customName?: string,
  ) {
    this.inputs = inputs;
    this.owner = output;
    this.outputVersion = output.storage.version;
    this.versions = new Array<number>(inputs.length);
    this.edges = new Array<Edge>(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i] as Tensor;
      this.edges[i] = edgeOf(input);
      this.versions[i] = input.storage.version;
    }
    this.createdAt = anomaly.enabled ? (new Error().stack ?? null) : null;
  }

  /** The op's name (a key of the rule table). */
  get op(): string {
    return this.spec.name;
  }

  /** PyTorch-style name, e.g. `MulBackward0`. */
  get name(): string {
    if (this.customName !== undefined) return this.customName;
    const { nodeName, name } = this.spec;
    if (typeof nodeName === "function") return nodeName(this.attrs);
    return nodeName ?? `${name[0]?.toUpperCase()}${name.slice(1)}Backward0`;
  }

  /** How many inputs the op had. */
  get inputCount(): number {
    return this.live().length;
  }

  /** Input `i` (graph-live; only its shape/dtype may be read freely). */
  input(i: number): Tensor {
    return this.live()[i] as Tensor;
  }

  /** Input `i`'s values, checked against in-place modification since it was recorded. */
  saved(i: number): Tensor {
    const input = this.input(i);
    this.checkVersion(input, this.versions[i] as number, `input ${i}`);
    return input;
  }

  /** The op's result (PyTorch's `result`, read by rules such as exp's), checked like `saved`. */
  get result(): Tensor {
    this.checkVersion(this.output, this.outputVersion, "the output");
    return this.output;
  }

  private checkVersion(tensor: Tensor, expected: number, what: string): void {
    if (tensor.storage.version === expected) return;
    throw new AutogradError(
      "MODIFIED_IN_PLACE",
      "backward()",
      `one of the variables needed for gradient computation has been modified by an inplace operation: ${what} of ${this.name} (shape ${formatShape(tensor.shape)}, ${tensor.dtype}) is at version ${tensor.storage.version}; expected version ${expected} instead. Hint: use the out-of-place op (e.g. add instead of add_), or clone() the tensor before modifying it.`,
    );
  }

  /** True when input `i` needs a gradient. */
  needsGrad(i: number): boolean {
    this.live();
    return (this.edges as Edge[])[i] !== null;
  }

  private live(): readonly Tensor[] {
    if (this.inputs === null) {
      throw new AutogradError(
        "BACKWARD_TWICE",
        "backward()",
        `trying to backward through the graph a second time (at ${this.name}, output shape ${formatShape(this.output.shape)}). Saved intermediate values of the graph are freed after backward(). Hint: pass { retainGraph: true } to the first backward() if you need to backward through the graph again.`,
      );
    }
    return this.inputs;
  }

  /** Frees the saved tensors; a later backward through this node throws `BACKWARD_TWICE`. */
  release(): void {
    this.inputs = null;
    this.edges = null;
  }

  /** Throws `BACKWARD_TWICE` if released. */
  assertLive(): void {
    this.live();
  }
}
