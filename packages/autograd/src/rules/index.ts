import type { OpName } from "@x/tensor";
import type { BackwardFunction } from "../node";
import { elementwiseRules } from "./elementwise";
import { matmulRule } from "./matmul";
import { reductionRules } from "./reductions";
import { shapeRules } from "./shape";

/** A rule, or a declaration that the op has no gradient. */
export type Rule = BackwardFunction | "not-differentiable";

/**
 * The backward rule of every primitive op of `@x/tensor` (this library's derivatives.yaml).
 * The `Record<OpName, Rule>` type makes a missing op a compile error.
 */
export const rules: Readonly<Record<OpName, Rule>> = {
  ...elementwiseRules,
  ...reductionRules,
  ...shapeRules,
  matmul: matmulRule,
};
