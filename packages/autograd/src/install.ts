import { formatShape, isFloating, type Tensor } from "@x/tensor";
import { isGradEnabled, setAutogradHooks } from "@x/tensor/internal";
import { backward } from "./engine";
import { AutogradError } from "./errors";
import { Node } from "./node";

/** Installs gradient recording into @x/tensor: the package's only side effect. */
export function install(): void {
  setAutogradHooks({
    record(spec, inputs, output, attrs) {
      // integer and bool results never require grad (PyTorch's rule); comparisons have no rule
      if (spec.backward === "not-differentiable" || !isFloating(output.dtype)) return;
      output.requiresGrad = true;
      output.gradFn = new Node(spec, inputs, output, attrs);
    },
    checkInPlace(op, target) {
      if (!target.requiresGrad || !isGradEnabled()) return;
      const node = target.gradFn as Node | null;
      if (node === null) {
        throw new AutogradError(
          "INPLACE_ON_LEAF",
          op,
          `a leaf tensor that requires grad (shape ${formatShape(target.shape)}) is being used in an in-place operation. Hint: update parameters inside noGrad(() => { ... }), as the book does with torch.no_grad(), or use an optimizer.`,
        );
      }
      if (node.spec.view === true) {
        throw new AutogradError(
          "INPLACE_ON_VIEW",
          op,
          `the tensor (shape ${formatShape(target.shape)}) is a view (${node.name}) of a tensor that requires grad, and in-place ops on such views are not supported. Hint: clone() the view first, or do the update inside noGrad(() => { ... }).`,
        );
      }
    },
    rebase(result: Tensor, target: Tensor) {
      const node = result.gradFn as Node;
      const previous = node.inputs?.[0]?.gradFn as Node | null | undefined;
      if (previous) previous.owner = node.inputs?.[0] as Tensor;
      node.owner = target;
      target.gradFn = node;
      target.requiresGrad = true;
    },
    backward,
  });
}

install();
