import { Tensor } from "@x/tensor";
import { NNError, show } from "./errors";

/**
 * A tensor that is a module's learnable parameter (torch.nn.Parameter): it shares `data`'s
 * storage, is a leaf, and requires grad unless told otherwise. Assigning one to a module's field
 * registers it with the module.
 *
 * @example
 * class Scale extends Module {
 *   w = new Parameter(ones(3));
 *   forward(x: Tensor) { return x.mul(this.w); }
 * }
 */
export class Parameter extends Tensor {
  /** Wraps `data` (not copied: the parameter is a view of the same storage, as torch's). */
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) {
      throw new NNError(
        "INVALID_ARGUMENT",
        "Parameter",
        `data must be a Tensor, but got ${show(data)}. Hint: new Parameter(zeros(3, 2)).`,
      );
    }
    super(data.storage, data.shape, data.strides, data.offset, data.dtype);
    if (requiresGrad) this.requiresGrad_(true);
  }

  /** `Parameter containing:` and the tensor, as torch prints a parameter. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }

  /** What `console.log(p)` prints in Node: the same text as `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
