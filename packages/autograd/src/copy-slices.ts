import type { Tensor } from "@x/tensor";
import {
  type AsStridedAttrs,
  asStrided,
  layoutIn,
  type ViewMeta,
  zerosLaidOutLike,
} from "@x/tensor/internal";
import { fitToInput } from "./engine";
import { graphOnlySpec, Node, refreshView } from "./node";
import { ruleOf } from "./rules";

const copySlicesSpec = graphOnlySpec("copySlices", "backward()", "CopySlices");

/** A second handle on `base`'s storage and layout at its current place in the graph. */
function aliasOf(base: Tensor): Tensor {
  const alias = base.detach();
  alias.requiresGrad = base.requiresGrad;
  alias.gradFn = base.gradFn;
  return alias;
}

/**
 * PyTorch's `CopySlices`: the base's node after an in-place op `fn` wrote into one of its views.
 * Its inputs are the base before the write, then `fn`'s other inputs. Backward takes the base's
 * gradient, runs `fn`'s rule on the view's part of it, puts the gradient for the view's old value
 * back into that part (for the base's old value), and passes `fn`'s other gradients on.
 */
class CopySlices extends Node {
  constructor(
    oldBase: Tensor,
    base: Tensor,
    /** Where the view sits in the base. */
    readonly layout: AsStridedAttrs,
    /** The in-place op's node (inputs: the view's old value, then the op's other operands). */
    readonly fn: Node,
  ) {
    const inputs = [oldBase, ...(fn.inputs as Tensor[]).slice(1)];
    const backward = (node: Node, grad: Tensor) => (node as CopySlices).run(grad);
    super(copySlicesSpec, inputs, base, layout, backward, "CopySlices");
  }

  private run(grad: Tensor): (Tensor | null)[] {
    const fn = this.fn;
    const result = zerosLaidOutLike(this.input(0));
    result.copy_(grad);
    const slice = asStrided(result, this.layout);
    const rule = fn.custom ?? ruleOf(fn.spec);
    const grads = rule === "not-differentiable" ? [] : rule(fn, slice.clone());
    const viewGrad = grads[0];
    if (viewGrad === null || viewGrad === undefined) slice.zero_();
    else slice.copy_(fitToInput(fn, 0, fn.input(0), viewGrad));
    const out: (Tensor | null)[] = [result];
    for (let i = 1; i < fn.inputCount; i++) {
      const g = grads[i];
      out.push(g === null || g === undefined ? null : fitToInput(fn, i, fn.input(i), g));
    }
    return out;
  }

  override release(): void {
    super.release();
    this.fn.release();
  }
}

/**
 * Records that the in-place op whose node is `fn` wrote into `view` (PyTorch's `CopySlices`):
 * the base's `gradFn` becomes a {@link CopySlices} node, and the view's is derived from the
 * base (`AsStridedBackward0`), so both the base and the view carry the write into backward.
 */
export function recordCopySlices(fn: Node, view: Tensor, meta: ViewMeta): void {
  const base = meta.base;
  const oldBase = aliasOf(base);
  const previousBaseNode = base.gradFn as Node | null;
  if (previousBaseNode !== null) previousBaseNode.owner = oldBase;
  const previousViewNode = fn.inputs?.[0]?.gradFn as Node | null | undefined;
  if (previousViewNode) previousViewNode.owner = fn.inputs?.[0] as Tensor;
  const node = new CopySlices(oldBase, base, layoutIn(view, base), fn);
  base.gradFn = node;
  base.requiresGrad = true;
  refreshView(view);
}
