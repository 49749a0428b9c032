import { formatShape, type GradFn, type OpAttrs, type OpName, type Tensor } from "@x/tensor";
import { AutogradError } from "./errors";

const names: Partial<Record<OpName, string>> = {
  narrow: "SliceBackward0",
  to: "ToCopyBackward0",
  copy: "CopyBackwards",
  maxDim: "MaxBackward0",
  amax: "MaxBackward1",
  minDim: "MinBackward0",
  amin: "MinBackward1",
  matmul: "MmBackward0",
  clamp: "ClampBackward1",
};

/** Anomaly mode: nodes remember where they were created, and backward checks for NaN/inf. */
export const anomaly = { enabled: false };

/** Computes input gradients from the output gradient; null where no gradient flows. */
export type BackwardFunction = (node: Node, grad: Tensor) => readonly (Tensor | null)[];

/**
 * One recorded op in the graph (PyTorch's `grad_fn`). It keeps the op's inputs, the storage
 * version of each at record time, and its result; `release()` frees them after backward.
 */
export class Node implements GradFn {
  /** Tensors this op read; null once released. */
  inputs: readonly Tensor[] | null;
  /** Storage version of each input when recorded. */
  private readonly versions: number[];
  /** The tensor whose `gradFn` this is (retainGrad, hooks); an in-place op may rebase it. */
  owner: Tensor;
  /** Where the op was called, in anomaly mode. */
  readonly createdAt: string | null;

  constructor(
    /** The op (a key of the rule table). */
    readonly op: OpName,
    inputs: readonly Tensor[],
    /** The op's result (PyTorch's `result`), used by rules such as exp's. */
    readonly result: Tensor,
    /** The op's attributes. */
    readonly attrs: unknown,
    /** Replaces the table rule (custom `Function`s). */
    readonly custom: BackwardFunction | null = null,
    private readonly customName?: string,
  ) {
    this.inputs = inputs;
    this.owner = result;
    this.versions = new Array<number>(inputs.length);
    for (let i = 0; i < inputs.length; i++)
      this.versions[i] = (inputs[i] as Tensor).storage.version;
    this.createdAt = anomaly.enabled ? (new Error().stack ?? null) : null;
  }

  /** PyTorch-style name, e.g. `MulBackward0`. */
  get name(): string {
    if (this.customName !== undefined) return this.customName;
    if (this.op === "select" && (this.attrs as { unbind?: boolean }).unbind)
      return "UnbindBackward0";
    return names[this.op] ?? `${this.op[0]?.toUpperCase()}${this.op.slice(1)}Backward0`;
  }

  /** The op's attributes, typed for rule `K`. */
  attrsOf<K extends OpName>(): OpAttrs[K] {
    return this.attrs as OpAttrs[K];
  }

  /** Input `i` (graph-live; only its shape/dtype may be read freely). */
  input(i: number): Tensor {
    return this.live()[i] as Tensor;
  }

  /** Input `i`'s values, checked against in-place modification since it was recorded. */
  saved(i: number): Tensor {
    const input = this.input(i);
    const expected = this.versions[i] as number;
    if (input.storage.version !== expected) {
      throw new AutogradError(
        "MODIFIED_IN_PLACE",
        `backward(): one of the variables needed for gradient computation has been modified by an inplace operation: input ${i} of ${this.name} (shape ${formatShape(input.shape)}, ${input.dtype}) is at version ${input.storage.version}; expected version ${expected} instead. Hint: use the out-of-place op (e.g. add instead of add_), or clone() the tensor before modifying it.`,
      );
    }
    return input;
  }

  /** True when input `i` needs a gradient. */
  needsGrad(i: number): boolean {
    return this.input(i).requiresGrad;
  }

  private live(): readonly Tensor[] {
    if (this.inputs === null) {
      throw new AutogradError(
        "BACKWARD_TWICE",
        `backward(): trying to backward through the graph a second time (at ${this.name}, output shape ${formatShape(this.result.shape)}). Saved intermediate values of the graph are freed after backward(). Hint: pass { retainGraph: true } to the first backward() if you need to backward through the graph again.`,
      );
    }
    return this.inputs;
  }

  /** Frees the saved tensors; a later backward through this node throws `BACKWARD_TWICE`. */
  release(): void {
    this.inputs = null;
  }

  /** Throws `BACKWARD_TWICE` if released. */
  assertLive(): void {
    this.live();
  }
}
