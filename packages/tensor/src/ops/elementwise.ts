import { allocate, type DType } from "../dtype";
import { type RowKernel, runElementwise } from "../kernels/elementwise";
import type { Gradient, OpSpec } from "../op-spec";
import { broadcastShapes, numelOf, type Shape } from "../shape";
import { Storage } from "../storage";
import { Tensor } from "../tensor";

/** The shape and strides of every 0-d tensor made here (never mutated: shapes are read-only). */
const NO_DIMS: readonly number[] = [];

/** A 0-d tensor holding `value` in `dtype` (how a JS number enters an op). */
export function scalarTensor(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value; // rounds to the dtype, as PyTorch rounds a Python scalar
  return new Tensor(new Storage(data), NO_DIMS, NO_DIMS, 0, dtype, true);
}

/** One scalar parameter of a kernel, from the attributes and the inputs. */
export type Param<Attrs> = (attrs: Attrs, inputs: readonly Tensor[]) => number;

/** How an elementwise op picks its kernel and output dtype from its inputs' dtypes. */
export interface ElementwiseRule<Attrs> {
  /** The dtype the result is stored in. */
  readonly output: (inputs: readonly Tensor[], attrs: Attrs) => DType;
  /** The kernel code for this computation (e.g. integer `mul` picks an exact integer kernel). */
  readonly code: (inputs: readonly Tensor[], attrs: Attrs, output: DType) => number;
  /** The kernel's scalar parameters (clamp's bounds, alpha, …), one function each. */
  readonly params?: readonly [Param<Attrs>, Param<Attrs>?];
}

/** What defines an elementwise op: its spec fields plus its kernel and dtype rule. */
export interface ElementwiseDefinition<Name extends string, Attrs> extends ElementwiseRule<Attrs> {
  readonly name: Name;
  readonly kernel: RowKernel;
  readonly backward: Gradient<Attrs>;
  readonly nodeName?: string | ((attrs: Attrs) => string);
}

function broadcastAll(inputs: readonly Tensor[], op: string): Shape {
  let shape = (inputs[0] as Tensor).shape;
  for (let i = 1; i < inputs.length; i++)
    shape = broadcastShapes(shape, (inputs[i] as Tensor).shape, op);
  return shape;
}

/** A fresh output of `shape` and `dtype`, sharing `first`'s strides when it has that shape. */
export function outputLike(first: Tensor, shape: Shape, dtype: DType): Tensor {
  const strides = shape === first.shape && first.contiguousLayout ? first.strides : undefined;
  return Tensor.fromData(allocate(dtype, numelOf(shape)), shape, dtype, strides);
}

/**
 * Builds the spec of an elementwise op: broadcasting is its shape rule, `output` its dtype
 * rule, and `into` (the in-place variant) runs the same kernel into an existing tensor.
 */
export function elementwiseOp<const Name extends string, Attrs = null>(
  definition: ElementwiseDefinition<Name, Attrs>,
): OpSpec<Name, Attrs> {
  const { name, kernel, code, output, params } = definition;
  const [param0, param1] = params ?? [];
  const into = (inputs: readonly Tensor[], attrs: Attrs, out: Tensor): void => {
    const p0 = param0 === undefined ? 0 : param0(attrs, inputs);
    const p1 = param1 === undefined ? 0 : param1(attrs, inputs);
    runElementwise(kernel, code(inputs, attrs, out.dtype), out, inputs, p0, p1);
  };
  return {
    name,
    backward: definition.backward,
    nodeName: definition.nodeName,
    outputDType: output,
    forward(inputs, attrs) {
      const first = inputs[0] as Tensor;
      const shape = inputs.length === 1 ? first.shape : broadcastAll(inputs, name);
      const dtype = output(inputs, attrs);
      const out = outputLike(first, shape, dtype);
      if (params === undefined)
        runElementwise(kernel, code(inputs, attrs, dtype), out, inputs, 0, 0);
      else into(inputs, attrs, out);
      return out;
    },
    into,
  };
}
