import { formatShape, Tensor } from "@x/tensor";
import { AutogradError } from "./errors";
import { isGradEnabled, noGrad } from "./grad-mode";
import { graphOnlySpec, Node } from "./node";

/** The `ctx` of a custom {@link Function}: saves tensors for backward, with in-place checks. */
export class FunctionContext {
  private saved: Tensor[] = [];
  private versions: number[] = [];
  /** Which inputs need a gradient (PyTorch's `ctx.needs_input_grad`). */
  needsInputGrad: boolean[] = [];

  /** Keeps tensors for `backward` (PyTorch's `ctx.save_for_backward`). */
  saveForBackward(...tensors: Tensor[]): void {
    this.saved = tensors;
    this.versions = tensors.map((t) => t.storage.version);
  }

  /** The saved tensors; throws `MODIFIED_IN_PLACE` if one was changed in place since. */
  get savedTensors(): Tensor[] {
    this.saved.forEach((t, i) => {
      if (t.storage.version !== this.versions[i]) {
        throw new AutogradError(
          "MODIFIED_IN_PLACE",
          "backward()",
          `saved tensor ${i} (shape ${formatShape(t.shape)}) of a custom Function was modified by an inplace operation: it is at version ${t.storage.version}; expected version ${this.versions[i]}. Hint: clone() it before modifying it.`,
        );
      }
    });
    return this.saved;
  }
}

/** The spec behind custom Function nodes (their backward is the node's own `custom` rule). */
const customSpec = graphOnlySpec("custom", "Function.apply", "custom Function");

type FunctionClass = {
  name: string;
  forward(ctx: FunctionContext, ...args: unknown[]): Tensor;
  backward(ctx: FunctionContext, grad: Tensor): Tensor | null | readonly (Tensor | null)[];
};

/**
 * Base class for custom differentiable operations, shaped like `torch.autograd.Function`:
 * subclass it with static `forward(ctx, ...args)` and `backward(ctx, grad)` (one gradient per
 * argument, null for non-tensors), then call `MyFunction.apply(...args)`.
 */
export class Function {
  /** Computes the output (runs without recording). Override in a subclass. */
  static forward(_ctx: FunctionContext, ..._args: unknown[]): Tensor {
    throw new AutogradError(
      "INVALID_ARGUMENT",
      `${this.name}.forward`,
      `a custom Function must define static forward(ctx, ...args).`,
    );
  }

  /** Computes one gradient per forward argument from the output's gradient. Override in a subclass. */
  static backward(
    _ctx: FunctionContext,
    _grad: Tensor,
  ): Tensor | null | readonly (Tensor | null)[] {
    throw new AutogradError(
      "INVALID_ARGUMENT",
      `${this.name}.backward`,
      `a custom Function must define static backward(ctx, grad).`,
    );
  }

  /** Runs `forward` and, when an input requires grad, records a node that calls `backward`. */
  static apply(...args: unknown[]): Tensor {
    const fn = this as unknown as FunctionClass;
    const ctx = new FunctionContext();
    ctx.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
    const computed = noGrad(() => fn.forward(ctx, ...args));
    if (!(computed instanceof Tensor)) {
      throw new AutogradError(
        "INVALID_ARGUMENT",
        `${fn.name}.forward`,
        `must return a Tensor, but returned ${typeof computed}.`,
      );
    }
    const tracked = isGradEnabled() && ctx.needsInputGrad.some(Boolean);
    if (!tracked) return computed;
    const output = args.includes(computed) ? computed.detach() : computed;
    const positions = args.flatMap((a, i) => (a instanceof Tensor ? [i] : []));
    const inputs = positions.map((i) => args[i] as Tensor);
    const backward = (_node: Node, grad: Tensor): (Tensor | null)[] => {
      const returned = fn.backward(ctx, grad);
      const list = returned instanceof Tensor || returned === null ? [returned] : [...returned];
      if (list.length !== args.length) {
        throw new AutogradError(
          "BAD_GRADIENT",
          `${fn.name}.backward`,
          `returned ${list.length} gradient(s), but forward took ${args.length} argument(s). Hint: return one gradient per forward argument (null for non-tensors).`,
        );
      }
      return positions.map((i) => list[i] ?? null);
    };
    output.requiresGrad = true;
    output.gradFn = new Node(customSpec, inputs, output, null, backward, `${fn.name}Backward`);
    return output;
  }
}
