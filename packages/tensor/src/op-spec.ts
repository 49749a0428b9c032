import type { DType } from "./dtype";
import type { Tensor } from "./tensor";

/**
 * What a backward rule sees of one recorded op, in PyTorch's derivatives.yaml vocabulary:
 * `attrs`, the op's `result`, its inputs, and which of them need a gradient.
 */
export interface BackwardContext<Attrs> {
  /** The attributes the op ran with. */
  readonly attrs: Attrs;
  /** The op's output (PyTorch's `result`). */
  readonly result: Tensor;
  /** How many inputs the op had. */
  readonly inputCount: number;
  /** Input `i`; read only its shape, dtype and flags (its values may have changed since). */
  input(i: number): Tensor;
  /** Input `i`'s values, checked against in-place modification since the op ran. */
  saved(i: number): Tensor;
  /** True when input `i` needs a gradient (PyTorch's `grad_input_mask`). */
  needsGrad(i: number): boolean;
}

/** Computes one gradient per input from the output's gradient; null where none flows. */
export type BackwardRule<Attrs> = (
  context: BackwardContext<Attrs>,
  grad: Tensor,
) => readonly (Tensor | null)[];

/**
 * How an op's gradient is defined: a rule; `"zero"` for ops whose output is recorded but whose
 * gradient is zero almost everywhere (`sign`, `floor`, …, as in PyTorch); or
 * `"not-differentiable"` for ops whose output never requires grad (comparisons, `argmax`).
 */
export type Gradient<Attrs> = BackwardRule<Attrs> | "zero" | "not-differentiable";

/**
 * The one definition of a primitive op. The op's function validates its arguments, then calls
 * {@link dispatch} with this spec, its inputs and typed attributes; `forward` is the kernel
 * launch, a pure function of inputs and attributes (scalars such as a learning rate arrive in
 * `attrs`, never in a closure), so a tracer can replay it.
 */
export interface OpSpec<Name extends string = string, Attrs = null> {
  /** The op's name: a key of {@link OpAttrs} and of autograd's rule table. */
  readonly name: Name;
  /** Computes the output (a fresh tensor, or for a view op a view of `inputs[0]`). */
  readonly forward: (inputs: readonly Tensor[], attrs: Attrs) => Tensor;
  /**
   * Writes the output into an existing tensor of the output's shape instead of a fresh one: the
   * in-place variant (`add_`, `clamp_`, …). `out` may be strided and may be `inputs[0]` itself.
   */
  readonly into?: (inputs: readonly Tensor[], attrs: Attrs, out: Tensor) => void;
  /** The dtype rule: the output's dtype for these inputs (known before the kernel runs). */
  readonly outputDType?: (inputs: readonly Tensor[], attrs: Attrs) => DType;
  /** The backward rule, or `"zero"` / `"not-differentiable"`. */
  readonly backward: Gradient<Attrs>;
  /**
   * True when the output has the first input's shape whatever the others' (scatter, indexAdd,
   * indexPut): the in-place variant then does not broadcast the other inputs against its target.
   */
  readonly keepsFirstShape?: boolean;
  /** True when the output shares the first input's storage (in-place checks need to know). */
  readonly view?: boolean;
  /** PyTorch's node name when it is not `<Name>Backward0` (e.g. `"SliceBackward0"`). */
  readonly nodeName?: string | ((attrs: Attrs) => string);
}

/** Any op spec, whatever its attributes (what the dispatch seam and autograd handle). */
// biome-ignore lint/suspicious/noExplicitAny: attribute types vary per op; each spec is typed where it is defined
export type AnyOpSpec = OpSpec<string, any>;

/** The attribute type of a spec. */
export type AttrsOf<S> = S extends OpSpec<string, infer A> ? A : never;
