import type { Tensor } from "@x/tensor";
import type { Node } from "../node";

/**
 * Gradient of `matmul` for every operand rank: vectors are promoted to matrices, the matrix
 * rule `dA = G·Bᵀ`, `dB = Aᵀ·G` applied, and the promotion undone. Broadcast batch dims are
 * summed away by the engine.
 */
export function matmulRule(node: Node, grad: Tensor): (Tensor | null)[] {
  const a = node.saved(0);
  const b = node.saved(1);
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  let g2 = grad;
  if (a.ndim === 1) g2 = g2.unsqueeze(b.ndim === 1 ? 0 : -2);
  if (b.ndim === 1) g2 = g2.unsqueeze(-1);
  const gradA = node.needsGrad(0) ? g2.matmul(b2.transpose(-1, -2)) : null;
  const gradB = node.needsGrad(1) ? a2.transpose(-1, -2).matmul(g2) : null;
  return [
    gradA === null ? null : a.ndim === 1 ? gradA.squeeze(-2) : gradA,
    gradB === null ? null : b.ndim === 1 ? gradB.squeeze(-1) : gradB,
  ];
}
