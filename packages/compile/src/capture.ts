import type { Storage, Tensor } from "@x/tensor";
import type { AnyOpSpec, Tracer } from "@x/tensor/internal";
import { CompileError } from "./errors";

/** One kernel launch seen while the step ran eagerly. */
export interface Launch {
  readonly spec: AnyOpSpec;
  readonly inputs: readonly Tensor[];
  /** The output (for an in-place launch, the written tensor, `inputs[0]`). */
  readonly output: Tensor;
  readonly attrs: unknown;
  readonly inPlace: boolean;
}

/** Ops whose output shape depends on tensor values: a plan cannot fix their shape. */
const VALUE_SHAPED = new Set(["nonzero"]);

/**
 * Records every kernel launch of one eager run of the step (views run no kernel: their tensors
 * share a launch's storage). What cannot be replayed goes to `refuse`.
 */
export class CaptureTracer implements Tracer {
  readonly launches: Launch[] = [];
  /** Storages written fresh by a launch (the candidates for the memory plan). */
  readonly produced = new Set<Storage>();
  /** Storages a launch wrote (fresh or in place): reading them inside the step is uncapturable. */
  readonly written = new Set<Storage>();

  constructor(private readonly refuse: (error: CompileError) => void) {}

  launch(
    spec: AnyOpSpec,
    inputs: readonly Tensor[],
    output: Tensor,
    attrs: unknown,
    inPlace: boolean,
  ): void {
    if (spec.view === true) return;
    if (VALUE_SHAPED.has(spec.name)) {
      this.refuse(
        new CompileError(
          "UNCAPTURABLE_OP",
          spec.name,
          `the shape of its output depends on tensor values, so a captured plan cannot replay it. Hint: move ${spec.name} out of the compiled function, or pass { fallback: "eager" }.`,
        ),
      );
      return;
    }
    if (inPlace && output.storage !== (inputs[0] as Tensor).storage) {
      this.refuse(
        new CompileError(
          "UNCAPTURABLE_INPLACE",
          spec.name,
          `an in-place write into a tensor that requires grad (or from an operand that overlaps it) cannot be captured. Hint: use the out-of-place op inside the compiled function, or pass { fallback: "eager" }.`,
        ),
      );
      return;
    }
    this.launches.push({ spec, inputs: inputs.slice(), output, attrs, inPlace });
    if (!inPlace) this.produced.add(output.storage);
    this.written.add(output.storage);
  }
}
