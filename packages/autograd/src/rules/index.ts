import { zerosLike } from "@x/tensor";
import { type AnyOpSpec, type OpName, opSpecs } from "@x/tensor/internal";
import type { BackwardFunction } from "../node";

/** A rule, or a declaration that the op has no gradient. */
export type Rule = BackwardFunction | "not-differentiable";

/** The rule of ops whose gradient is zero almost everywhere (`sign`, `floor`, …), as in PyTorch. */
const zeroGradient: BackwardFunction = (node) => {
  const grads = [];
  for (let i = 0; i < node.inputCount; i++)
    grads.push(node.needsGrad(i) ? zerosLike(node.input(i)) : null);
  return grads;
};

/** The backward function of one op spec. */
export function ruleOf(spec: AnyOpSpec): Rule {
  return spec.backward === "zero" ? zeroGradient : (spec.backward as Rule);
}

/**
 * The backward rule of every primitive op of `@x/tensor` (this library's derivatives.yaml),
 * read from the op specs: a spec cannot be written without one, so every op has a rule.
 */
export const rules: Readonly<Record<OpName, Rule>> = Object.fromEntries(
  Object.entries(opSpecs).map(([name, spec]) => [name, ruleOf(spec)]),
) as Record<OpName, Rule>;
