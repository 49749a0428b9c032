import { reluBackward, type Tensor, where } from "@x/tensor";
import type { Node } from "../node";

/** Gradient for `maximum`/`minimum`: ties split the gradient evenly, as in PyTorch. */
function extremum(node: Node, grad: Tensor, wins: "gt" | "lt"): (Tensor | null)[] {
  const a = node.saved(0);
  const b = node.saved(1);
  const shared = where(a.eq(b), grad.div(2), grad);
  return [
    node.needsGrad(0) ? where(a[wins](b), grad, where(a.eq(b), shared, 0)) : null,
    node.needsGrad(1) ? where(b[wins](a), grad, where(a.eq(b), shared, 0)) : null,
  ];
}

/** Gradient of `a ** b` (PyTorch's pow_backward_self / pow_backward_exponent). */
function pow(node: Node, grad: Tensor): (Tensor | null)[] {
  const base = node.saved(0);
  const exponent = node.saved(1);
  if (exponent.ndim === 0 && !exponent.requiresGrad) {
    // a constant exponent (e.g. `x.pow(2)`): grad · e · x^(e-1), without the masking ops
    const e = exponent.item() as number;
    return [e === 0 ? grad.mul(0) : grad.mul(e === 2 ? base.mul(2) : base.pow(e - 1).mul(e)), null];
  }
  return [
    node.needsGrad(0)
      ? where(exponent.eq(0), 0, grad.mul(exponent.mul(base.pow(exponent.sub(1)))))
      : null,
    node.needsGrad(1)
      ? where(base.eq(0).mul(exponent.ge(0)), 0, grad.mul(node.result.mul(base.log())))
      : null,
  ];
}

/** Backward rules of the elementwise ops. */
export const elementwiseRules = {
  add: (_node: Node, grad: Tensor) => [grad, grad],
  sub: (node: Node, grad: Tensor) => [grad, node.needsGrad(1) ? grad.neg() : null],
  addScaled: (node: Node, grad: Tensor) => [
    grad,
    node.needsGrad(1) ? grad.mul(node.attrsOf<"addScaled">().alpha) : null,
  ],
  addcmul: (node: Node, grad: Tensor) => {
    const { value } = node.attrsOf<"addcmul">();
    return [
      grad,
      node.needsGrad(1) ? grad.mul(node.saved(2)).mul(value) : null,
      node.needsGrad(2) ? grad.mul(node.saved(1)).mul(value) : null,
    ];
  },
  mul: (node: Node, grad: Tensor) => [
    node.needsGrad(0) ? grad.mul(node.saved(1)) : null,
    node.needsGrad(1) ? grad.mul(node.saved(0)) : null,
  ],
  div: (node: Node, grad: Tensor) => {
    const b = node.saved(1);
    return [
      node.needsGrad(0) ? grad.div(b) : null,
      node.needsGrad(1) ? grad.neg().mul(node.saved(0)).div(b.mul(b)) : null,
    ];
  },
  pow,
  maximum: (node: Node, grad: Tensor) => extremum(node, grad, "gt"),
  minimum: (node: Node, grad: Tensor) => extremum(node, grad, "lt"),
  neg: (_node: Node, grad: Tensor) => [grad.neg()],
  abs: (node: Node, grad: Tensor) => [grad.mul(node.saved(0).sign())],
  exp: (node: Node, grad: Tensor) => [grad.mul(node.result)],
  log: (node: Node, grad: Tensor) => [grad.div(node.saved(0))],
  sqrt: (node: Node, grad: Tensor) => [grad.div(node.result.mul(2))],
  sin: (node: Node, grad: Tensor) => [grad.mul(node.saved(0).cos())],
  cos: (node: Node, grad: Tensor) => [grad.mul(node.saved(0).sin().neg())],
  tanh: (node: Node, grad: Tensor) => [grad.mul(node.result.mul(node.result).neg().add(1))],
  sigmoid: (node: Node, grad: Tensor) => [grad.mul(node.result.mul(node.result.neg().add(1)))],
  relu: (node: Node, grad: Tensor) => [reluBackward(grad, node.result)],
  reluBackward: (node: Node, grad: Tensor) => [
    node.needsGrad(0) ? reluBackward(grad, node.saved(1)) : null,
    null,
  ],
  clamp: (node: Node, grad: Tensor) => {
    const { min, max } = node.attrsOf<"clamp">();
    const x = node.saved(0);
    const low = min === null ? null : x.ge(min);
    const high = max === null ? null : x.le(max);
    const inside = low === null ? (high as Tensor) : high === null ? low : low.mul(high);
    return [where(inside, grad, 0)];
  },
  where: (node: Node, grad: Tensor) => {
    const { condition } = node.attrsOf<"where">();
    return [
      node.needsGrad(0) ? where(condition, grad, 0) : null,
      node.needsGrad(1) ? where(condition, 0, grad) : null,
    ];
  },
  eq: "not-differentiable",
  ne: "not-differentiable",
  lt: "not-differentiable",
  le: "not-differentiable",
  gt: "not-differentiable",
  ge: "not-differentiable",
  sign: "not-differentiable",
} as const;
