import {
  gather,
  indexAdd,
  indexSelect,
  scatterAdd,
  selectBackward,
  sumTo,
  Tensor,
} from "@x/tensor";
import type { Node } from "../node";

/** The int32 index tensor `[start, start + 1, …, start + length - 1]`. */
function positions(start: number, length: number): Tensor {
  const data = new Int32Array(length);
  for (let i = 0; i < length; i++) data[i] = start + i;
  return Tensor.fromData(data, [length], "int32");
}

/** Backward rules of views, copies and indexing. */
export const shapeRules = {
  view: (node: Node, grad: Tensor) => [grad.reshape(node.input(0).shape as number[])],
  transpose: (node: Node, grad: Tensor) => {
    const { dim0, dim1 } = node.attrsOf<"transpose">();
    return [grad.transpose(dim0, dim1)];
  },
  permute: (node: Node, grad: Tensor) => {
    const { dims } = node.attrsOf<"permute">();
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => {
      inverse[d] = i;
    });
    return [grad.permute(inverse)];
  },
  expand: (node: Node, grad: Tensor) => [sumTo(grad, node.input(0).shape)],
  selectBackward: (node: Node, grad: Tensor) => {
    const { dim, index } = node.attrsOf<"selectBackward">();
    return [grad.select(dim, index)];
  },
  narrow: (node: Node, grad: Tensor) => {
    const { dim, start, length } = node.attrsOf<"narrow">();
    return [indexAdd(node.input(0).shape, dim, positions(start, length), grad)];
  },
  select: (node: Node, grad: Tensor) => {
    const { dim, index } = node.attrsOf<"select">();
    return [selectBackward(grad, node.input(0).shape, dim, index)];
  },
  unsqueeze: (node: Node, grad: Tensor) => [grad.squeeze(node.attrsOf<"unsqueeze">().dim)],
  squeeze: (node: Node, grad: Tensor) => [grad.reshape(node.input(0).shape as number[])],
  clone: (_node: Node, grad: Tensor) => [grad],
  to: (node: Node, grad: Tensor) => [grad.to(node.attrsOf<"to">().from)],
  copy: (node: Node, grad: Tensor) => [
    node.needsGrad(0) ? grad.mul(0) : null,
    node.needsGrad(1) ? grad.to(node.input(1).dtype) : null,
  ],
  indexSelect: (node: Node, grad: Tensor) => {
    const { dim, index } = node.attrsOf<"indexSelect">();
    return [indexAdd(node.input(0).shape, dim, index, grad)];
  },
  indexAdd: (node: Node, grad: Tensor) => {
    const { dim, index } = node.attrsOf<"indexAdd">();
    return [indexSelect(grad, dim, index)];
  },
  gather: (node: Node, grad: Tensor) => {
    const { dim, index } = node.attrsOf<"gather">();
    return [scatterAdd(node.input(0).shape, dim, index, grad)];
  },
  scatterAdd: (node: Node, grad: Tensor) => {
    const { dim, index } = node.attrsOf<"scatterAdd">();
    return [gather(grad, dim, index)];
  },
  cat: (node: Node, grad: Tensor) => {
    const { dim } = node.attrsOf<"cat">();
    let start = 0;
    return (node.inputs ?? []).map((input) => {
      const length = input.shape[dim] as number;
      const piece = input.requiresGrad ? grad.narrow(dim, start, length) : null;
      start += length;
      return piece;
    });
  },
} as const;
