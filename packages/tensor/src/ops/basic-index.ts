import { dispatch } from "../dispatch";
import type { OpSpec } from "../op-spec";
import { Tensor } from "../tensor";
import type { BasicStep } from "./index-items";
import { indexAddInto } from "./indexing";
import { viewOf, viewSpecs } from "./views";

/** Attributes of `slice`: every `step`-th position from `start`, `length` of them, along `dim`. */
export interface SliceAttrs {
  dim: number;
  start: number;
  step: number;
  length: number;
}

/** Shape, strides and storage offset of a view. */
export interface Layout {
  shape: number[];
  strides: number[];
  offset: number;
}

/** Applies basic steps to a layout: the geometry of the view they make (no tensors involved). */
export function applySteps(layout: Layout, steps: readonly BasicStep[]): Layout {
  const shape = layout.shape.slice();
  const strides = layout.strides.slice();
  let offset = layout.offset;
  for (const step of steps) {
    const { dim } = step;
    if (step.kind === "select") {
      offset += step.index * (strides[dim] as number);
      shape.splice(dim, 1);
      strides.splice(dim, 1);
    } else if (step.kind === "slice") {
      offset += step.start * (strides[dim] as number);
      shape[dim] = step.length;
      strides[dim] = (strides[dim] as number) * step.step;
    } else {
      // the stride a contiguous layout would give the new axis, as viewSpecs.unsqueeze does
      const stride = dim < shape.length ? (shape[dim] as number) * (strides[dim] as number) : 1;
      shape.splice(dim, 0, 1);
      strides.splice(dim, 0, stride);
    }
  }
  return { shape, strides, offset };
}

/** The spec of a stepped slice view (`x[::2]`); a step of 1 is `narrow`. */
export const sliceSpec: OpSpec<"slice", SliceAttrs> = {
  name: "slice",
  view: true,
  nodeName: "SliceBackward0",
  forward: (inputs, { dim, start, step, length }) => {
    const x = inputs[0] as Tensor;
    const { shape, strides, offset } = applySteps(
      { shape: x.shape.slice(), strides: x.strides.slice(), offset: x.offset },
      [{ kind: "slice", dim, start, step, length }],
    );
    return viewOf(x, shape, strides, offset);
  },
  backward: (node, grad) => {
    const { dim, start, step, length } = node.attrs;
    const positions = Int32Array.from({ length }, (_, i) => start + i * step);
    const index = Tensor.fromData(positions, [length], "int32");
    return [indexAddInto(node.input(0).shape, dim, index, grad)];
  },
};

function runStep(x: Tensor, step: BasicStep): Tensor {
  if (step.kind === "select") {
    return dispatch(viewSpecs.select, [x], { dim: step.dim, index: step.index, unbind: false });
  }
  if (step.kind === "unsqueeze") return dispatch(viewSpecs.unsqueeze, [x], { dim: step.dim });
  const { dim, start, step: stride, length } = step;
  if (stride === 1) return dispatch(viewSpecs.narrow, [x], { dim, start, length });
  return dispatch(sliceSpec, [x], { dim, start, step: stride, length });
}

/**
 * The view that basic steps make of `x`, one recorded view op per step (so autograd uses the
 * view ops' rules); with no steps, an alias of `x` (PyTorch's `x[...]`).
 */
export function basicView(x: Tensor, steps: readonly BasicStep[]): Tensor {
  if (steps.length === 0) {
    return dispatch(viewSpecs.view, [x], { shape: x.shape, strides: x.strides });
  }
  let view = x;
  for (const step of steps) view = runStep(view, step);
  return view;
}
