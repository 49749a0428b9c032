import { formatShape, Tensor } from "@x/tensor";
import { grad } from "./engine";
import { AutogradError } from "./errors";

/** Tolerances of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
}

/** A function of tensors that `gradcheck` differentiates: one output tensor, or several. */
export type CheckedFunction = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

function outputsOf(fn: CheckedFunction, inputs: Tensor[]): Tensor[] {
  const result = fn(...inputs);
  return result instanceof Tensor ? [result] : [...result];
}

function checkInputs(inputs: readonly Tensor[], api: string): void {
  inputs.forEach((input, i) => {
    if (!(input instanceof Tensor) || input.dtype !== "float64") {
      throw new AutogradError(
        "INVALID_ARGUMENT",
        api,
        `input ${i} must be a float64 tensor, but is ${input instanceof Tensor ? input.dtype : typeof input}. Hint: finite differences need double precision; pass x.double() leaves.`,
      );
    }
    if (!input.requiresGrad) {
      throw new AutogradError(
        "INVALID_ARGUMENT",
        api,
        `input ${i} (shape ${formatShape(input.shape)}) does not require grad. Hint: create it with { requiresGrad: true }.`,
      );
    }
  });
}

/** Jacobian column by central differences: d outputs / d input element `k`. */
function numericalColumn(
  fn: CheckedFunction,
  inputs: Tensor[],
  input: Tensor,
  k: number,
  eps: number,
): Float64Array[] {
  const data = input.storage.data;
  const position = input.offset + positionOf(input, k);
  const original = data[position] as number;
  const evaluate = (value: number): Float64Array[] => {
    data[position] = value;
    // not under noGrad: gradgradcheck's function itself calls grad()
    return outputsOf(fn, inputs).map((o) =>
      Float64Array.from(o.toTypedArray() as ArrayLike<number>),
    );
  };
  const plus = evaluate(original + eps);
  const minus = evaluate(original - eps);
  data[position] = original;
  return plus.map((p, o) =>
    p.map((v, i) => (v - ((minus[o] as Float64Array)[i] as number)) / (2 * eps)),
  );
}

function positionOf(input: Tensor, k: number): number {
  let rest = k;
  let position = 0;
  for (let d = input.ndim - 1; d >= 0; d--) {
    const size = input.shape[d] as number;
    position += (rest % size) * (input.strides[d] as number);
    rest = Math.floor(rest / size);
  }
  return position;
}

/**
 * Compares autograd's gradients with central finite differences (float64 inputs), like
 * `torch.autograd.gradcheck(raise_exception=True)`: returns true, or throws `GRADCHECK_FAILED`
 * naming the output, the input and the worst mismatch.
 */
export function gradcheck(
  fn: CheckedFunction,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): true {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3 } = options;
  const list = [...inputs];
  checkInputs(list, "gradcheck");
  const outputs = outputsOf(fn, list);
  outputs.forEach((output, o) => {
    const n = output.numel();
    const analytical = list.map((input) => new Float64Array(n * input.numel()));
    for (let r = 0; r < n; r++) {
      if (!output.requiresGrad) break;
      const seed = new Float64Array(n);
      seed[r] = 1;
      const gradOutput = Tensor.fromData(seed, output.shape, "float64").to(output.dtype);
      const grads = grad(output, list, {
        gradOutputs: [gradOutput],
        retainGraph: true,
        allowUnused: true,
      });
      grads.forEach((g, j) => {
        if (g !== null)
          (analytical[j] as Float64Array).set(
            Float64Array.from(g.toTypedArray() as ArrayLike<number>),
            r * list[j]!.numel(),
          );
      });
    }
    list.forEach((input, j) => {
      const worst = { error: 0, row: 0, column: 0, numerical: 0, analytic: 0 };
      for (let k = 0; k < input.numel(); k++) {
        const column = numericalColumn(fn, list, input, k, eps)[o] as Float64Array;
        for (let r = 0; r < n; r++) {
          const numerical = column[r] as number;
          const analytic = (analytical[j] as Float64Array)[r * input.numel() + k] as number;
          const excess = Math.abs(numerical - analytic) - (atol + rtol * Math.abs(numerical));
          if (!(excess <= worst.error) || Number.isNaN(excess))
            Object.assign(worst, { error: excess, row: r, column: k, numerical, analytic });
        }
      }
      if (worst.error > 0 || Number.isNaN(worst.error)) {
        throw new AutogradError(
          "GRADCHECK_FAILED",
          "gradcheck",
          `Jacobian mismatch for output ${o} with respect to input ${j}: at output element ${worst.row}, input element ${worst.column}, numerical ${worst.numerical} vs analytical ${worst.analytic} (atol ${atol}, rtol ${rtol}). Hint: check the backward rule of the ops ${fn.name || "fn"} uses.`,
        );
      }
    });
  });
  return true;
}

/** Checks second derivatives: gradcheck of the gradient function, with random `gradOutputs`. */
export function gradgradcheck(
  fn: CheckedFunction,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): true {
  const list = [...inputs];
  checkInputs(list, "gradgradcheck");
  const outputs = outputsOf(fn, list);
  const gradOutputs = outputs.map((o) =>
    Tensor.fromData(
      Float64Array.from({ length: o.numel() }, (_, i) => Math.sin(i + 1)),
      o.shape,
      "float64",
    ).requiresGrad_(true),
  );
  const first = (...all: Tensor[]): Tensor[] => {
    const xs = all.slice(0, list.length);
    const gs = all.slice(list.length);
    const grads = grad(outputsOf(fn, xs), xs, {
      gradOutputs: gs,
      createGraph: true,
      allowUnused: true,
    });
    return grads.map((g, i) => g ?? xs[i]!.mul(0));
  };
  return gradcheck(first, [...list, ...gradOutputs], options);
}
