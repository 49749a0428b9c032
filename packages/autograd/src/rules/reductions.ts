import { reducedShape, scatterAdd, type Tensor, where } from "@x/tensor";
import type { Node } from "../node";

type ReducedAttrs = { dims: readonly number[]; keepdim: boolean };

/** Brings a reduced gradient back to the input's shape (re-inserting dims, then expanding). */
export function expandReduced(
  grad: Tensor,
  input: Tensor,
  { dims, keepdim }: ReducedAttrs,
): Tensor {
  const kept = keepdim ? grad : grad.reshape(reducedShape(input.shape, dims, true));
  return kept.expand(input.shape as number[]);
}

function count(input: Tensor, dims: readonly number[]): number {
  return dims.reduce((n, d) => n * (input.shape[d] as number), 1);
}

/** max/min over dims: the gradient is shared evenly among tied extremes (PyTorch's amax rule). */
function evenlyShared(node: Node, grad: Tensor): Tensor[] {
  const attrs = node.attrs as ReducedAttrs;
  const x = node.saved(0);
  const mask = x.eq(expandReduced(node.result, x, attrs)).to(x.dtype);
  const ties = expandReduced(mask.sum(attrs.dims as number[], true), x, {
    dims: attrs.dims,
    keepdim: true,
  });
  return [expandReduced(grad, x, attrs).mul(mask).div(ties)];
}

/** max/min along one dim: the gradient goes to the returned index only. */
function selected(node: Node, grad: Tensor): Tensor[] {
  const { dim, keepdim, indices } = node.attrs as {
    dim: number;
    keepdim: boolean;
    indices: Tensor;
  };
  const x = node.input(0);
  if (x.ndim === 0) return [grad];
  const index = keepdim ? indices : indices.unsqueeze(dim);
  return [scatterAdd(x.shape, dim, index, keepdim ? grad : grad.unsqueeze(dim))];
}

/** Product: `prod / x`, with the zero cases handled exactly (one zero gets the others' product). */
function prod(node: Node, grad: Tensor): Tensor[] {
  const attrs = node.attrsOf<"prod">();
  const x = node.saved(0);
  const isZero = x.eq(0);
  const others = where(isZero, 1, x).prod(attrs.dims as number[], true);
  const zeros = isZero.to(x.dtype).sum(attrs.dims as number[], true);
  const atZero = where(
    expandReduced(zeros, x, { dims: attrs.dims, keepdim: true }).eq(1),
    expandReduced(others, x, { dims: attrs.dims, keepdim: true }),
    0,
  );
  const elsewhere = expandReduced(node.result, x, attrs).div(where(isZero, 1, x));
  return [expandReduced(grad, x, attrs).mul(where(isZero, atZero, elsewhere))];
}

/** Backward rules of the reductions. */
export const reductionRules = {
  sum: (node: Node, grad: Tensor) => [expandReduced(grad, node.input(0), node.attrsOf<"sum">())],
  mean: (node: Node, grad: Tensor) => {
    const attrs = node.attrsOf<"mean">();
    const x = node.input(0);
    return [expandReduced(grad.div(count(x, attrs.dims)), x, attrs)];
  },
  prod,
  var: (node: Node, grad: Tensor) => {
    const attrs = node.attrsOf<"var">();
    const x = node.saved(0);
    const centered = x.sub(x.mean(attrs.dims as number[], true));
    const scale = 2 / Math.max(0, count(x, attrs.dims) - attrs.correction);
    return [expandReduced(grad, x, attrs).mul(centered).mul(scale)];
  },
  amax: evenlyShared,
  amin: evenlyShared,
  maxDim: selected,
  minDim: selected,
  argmax: "not-differentiable",
  argmin: "not-differentiable",
} as const;
