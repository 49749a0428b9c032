import { formatShape, type OpName, recorder, setAutogradHooks, type Tensor } from "@x/tensor";
import { backward } from "./engine";
import { AutogradError } from "./errors";
import { Node } from "./node";
import { rules } from "./rules";

const viewOps: ReadonlySet<OpName> = new Set([
  "view",
  "transpose",
  "permute",
  "expand",
  "narrow",
  "select",
  "unsqueeze",
  "squeeze",
]);

/** Installs gradient recording into @x/tensor: the package's only side effect. */
export function install(): void {
  setAutogradHooks({
    record(op, inputs, output, attrs) {
      if (rules[op] === "not-differentiable") return;
      output.requiresGrad = true;
      output.gradFn = new Node(op, inputs, output, attrs);
    },
    checkInPlace(op, target) {
      if (!target.requiresGrad || !recorder.gradEnabled) return;
      const node = target.gradFn as Node | null;
      if (node === null) {
        throw new AutogradError(
          "INPLACE_ON_LEAF",
          `${op}: a leaf tensor that requires grad (shape ${formatShape(target.shape)}) is being used in an in-place operation. Hint: update parameters inside noGrad(() => { ... }), as the book does with torch.no_grad(), or use an optimizer.`,
        );
      }
      if (viewOps.has(node.op)) {
        throw new AutogradError(
          "INPLACE_ON_VIEW",
          `${op}: the tensor (shape ${formatShape(target.shape)}) is a view (${node.name}) of a tensor that requires grad, and in-place ops on such views are not supported. Hint: clone() the view first, or do the update inside noGrad(() => { ... }).`,
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
