import { formatShape, isFloating, type Tensor } from "@x/tensor";
import { isGradEnabled, setAutogradHooks } from "@x/tensor/internal";
import { recordCopySlices } from "./copy-slices";
import { backward } from "./engine";
import { AutogradError } from "./errors";
import { Node, refreshView } from "./node";

const updateHint =
  "Hint: update parameters inside noGrad(() => { ... }), as the book does with torch.no_grad(), or use an optimizer.";

/** Refuses recorded in-place writes into views that PyTorch refuses them for. */
function checkView(op: string, target: Tensor, others: readonly Tensor[]): void {
  const meta = target.viewMeta;
  if (meta === null) return;
  const base = meta.base;
  if (!target.requiresGrad && !base.requiresGrad && !others.some((o) => o.requiresGrad)) return;
  if (base.requiresGrad && base.gradFn === null) {
    throw new AutogradError(
      "INPLACE_ON_LEAF",
      op,
      `a view (shape ${formatShape(target.shape)}) of a leaf tensor that requires grad (shape ${formatShape(base.shape)}) is being used in an in-place operation. ${updateHint}`,
    );
  }
  if (meta.multiOutput !== null) {
    throw new AutogradError(
      "INPLACE_ON_VIEW",
      op,
      `the tensor (shape ${formatShape(target.shape)}) is an output of ${meta.multiOutput}, which returns several views of one tensor; such views must not be modified in place. Hint: use the out-of-place op, or clone() the view first.`,
    );
  }
}

/** Installs gradient recording into @x/tensor: the package's only side effect. */
export function install(): void {
  setAutogradHooks({
    record(spec, inputs, output, attrs) {
      // integer and bool results never require grad (PyTorch's rule); comparisons have no rule
      if (spec.backward === "not-differentiable" || !isFloating(output.dtype)) return;
      output.requiresGrad = true;
      output.gradFn = new Node(spec, inputs, output, attrs);
    },
    checkInPlace(op, target, others) {
      refreshView(target);
      checkView(op, target, others);
      if (!target.requiresGrad || !isGradEnabled() || target.viewMeta !== null) return;
      if (target.gradFn === null) {
        throw new AutogradError(
          "INPLACE_ON_LEAF",
          op,
          `a leaf tensor that requires grad (shape ${formatShape(target.shape)}) is being used in an in-place operation. ${updateHint}`,
        );
      }
    },
    rebase(result: Tensor, target: Tensor) {
      const node = result.gradFn as Node | null;
      if (node === null) return; // an integer or bool target: nothing to record
      const meta = target.viewMeta;
      if (meta !== null) {
        recordCopySlices(node, target, meta);
        return;
      }
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
