import { dispatch, isTracing, isTracked } from "../dispatch";
import { allocate, type TypedArray } from "../dtype";
import {
  averagePool,
  averagePoolAdjoint,
  maxPoolIndices,
  maxPoolScatter,
  type PoolPlan,
  type Windows,
} from "../kernels/pool";
import { maxPool2GradSimd, maxPool2Simd } from "../kernels/wasm/conv-simd";
import type { OpSpec } from "../op-spec";
import { numelOf, type Shape } from "../shape";
import { Tensor } from "../tensor";
import { copyContiguous } from "./unary";

/** Windows of a pooling op with a kernel (one entry per spatial dim, 1 or 2 of them). */
export interface WindowAttrs {
  kernel: readonly number[];
  stride: readonly number[];
  padding: readonly number[];
  /** Max pooling's tap spacing; averages use 1. */
  dilation: readonly number[];
  ceilMode: boolean;
}

/** Attributes of the average pools: fixed windows (`avgPool*d`) or `adaptive` output sizes. */
export type AvgPoolAttrs =
  | (WindowAttrs & { adaptive: false; countIncludePad: boolean; divisorOverride: number | null })
  | { adaptive: true; outputSize: readonly number[] };

/** torch's `pooling_output_shape`: windows that fit, one more with `ceilMode` if it starts inside. */
export function pooledSize(
  size: number,
  kernel: number,
  stride: number,
  padding: number,
  dilation: number,
  ceilMode: boolean,
): number {
  const span = size + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
  let out = Math.floor(span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + padding) out--;
  return out;
}

interface Axis {
  windows: Windows;
  /** Each window's size before clipping to the input (what `countIncludePad` divides by). */
  padded: Int32Array;
}

function fixedAxis(size: number, attrs: WindowAttrs, d: number, clipToPadding: boolean): Axis {
  const kernel = attrs.kernel[d] as number;
  const stride = attrs.stride[d] as number;
  const padding = attrs.padding[d] as number;
  const dilation = attrs.dilation[d] as number;
  const count = pooledSize(size, kernel, stride, padding, dilation, attrs.ceilMode);
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  const padded = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let first = i * stride - padding;
    const last = first + (kernel - 1) * dilation + 1;
    padded[i] = Math.min(last, size + padding) - first;
    end[i] = Math.min(clipToPadding ? Math.min(last, size + padding) : last, size);
    if (clipToPadding) first = Math.max(first, 0);
    else while (first < 0) first += dilation;
    start[i] = first;
  }
  return { windows: { start, end, step: dilation }, padded };
}

function adaptiveAxis(size: number, count: number): Axis {
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    start[i] = Math.floor((i * size) / count);
    end[i] = Math.ceil(((i + 1) * size) / count);
  }
  return { windows: { start, end, step: 1 }, padded: new Int32Array(count) };
}

/** `[height, width]` of the last one or two dims (a 1-d signal is one row). */
const planeOf = (shape: Shape, spatial: number): [number, number] =>
  spatial === 2 ? [shape.at(-2) as number, shape.at(-1) as number] : [1, shape.at(-1) as number];

/** 1-d attributes as 2-d ones with a single row. */
const rowFirst = (values: readonly number[], one: number) =>
  values.length === 2 ? values : [one, values[0] as number];

function fixedPlan(shape: Shape, attrs: WindowAttrs, averaging: AvgPoolAttrs | null): PoolPlan {
  const spatial = attrs.kernel.length;
  const [height, width] = planeOf(shape, spatial);
  const planar: WindowAttrs = {
    kernel: rowFirst(attrs.kernel, 1),
    stride: rowFirst(attrs.stride, 1),
    padding: rowFirst(attrs.padding, 0),
    dilation: rowFirst(attrs.dilation, 1),
    ceilMode: attrs.ceilMode,
  };
  const clip = averaging !== null;
  const rows = fixedAxis(height, planar, 0, clip);
  const cols = fixedAxis(width, planar, 1, clip);
  const divisor = new Float64Array(rows.padded.length * cols.padded.length);
  if (averaging !== null && !averaging.adaptive) {
    rows.padded.forEach((ph, i) => {
      cols.padded.forEach((pw, j) => {
        const inside =
          ((rows.windows.end[i] as number) - (rows.windows.start[i] as number)) *
          ((cols.windows.end[j] as number) - (cols.windows.start[j] as number));
        const chosen = averaging.divisorOverride ?? (averaging.countIncludePad ? ph * pw : inside);
        divisor[i * cols.padded.length + j] = inside <= 0 ? 1 : chosen; // an empty window is 0
      });
    });
  }
  return { rows: rows.windows, cols: cols.windows, height, width, divisor };
}

function adaptivePlan(shape: Shape, outputSize: readonly number[]): PoolPlan {
  const [height, width] = planeOf(shape, outputSize.length);
  const [outH, outW] = rowFirst(outputSize, 1) as [number, number];
  const rows = adaptiveAxis(height, outH).windows;
  const cols = adaptiveAxis(width, outW).windows;
  const divisor = new Float64Array(outH * outW);
  for (let i = 0; i < outH; i++)
    for (let j = 0; j < outW; j++)
      divisor[i * outW + j] =
        ((rows.end[i] as number) - (rows.start[i] as number)) *
        ((cols.end[j] as number) - (cols.start[j] as number));
  return { rows, cols, height, width, divisor };
}

function averagePlan(shape: Shape, attrs: AvgPoolAttrs): PoolPlan {
  return attrs.adaptive ? adaptivePlan(shape, attrs.outputSize) : fixedPlan(shape, attrs, attrs);
}

/** The shape of a pooled output: the input's leading dims, then the plan's grid. */
function pooledShape(shape: Shape, spatial: number, plan: PoolPlan): number[] {
  const grid = [plan.rows.start.length, plan.cols.start.length].slice(2 - spatial);
  return [...shape.slice(0, shape.length - spatial), ...grid];
}

const spatialOf = (attrs: AvgPoolAttrs) =>
  attrs.adaptive ? attrs.outputSize.length : attrs.kernel.length;

const contiguousOf = (x: Tensor) => (x.contiguousLayout ? x : copyContiguous(x, x.dtype));

/** True for 2 × 2 windows 2 apart without padding, 4 outputs a row or more: the SIMD kernel's case. */
function halvingWindows(attrs: WindowAttrs, plan: PoolPlan): boolean {
  const twos = (values: readonly number[], two: number) =>
    values.length === 2 && values[0] === two && values[1] === two;
  const outW = plan.cols.start.length;
  return (
    twos(attrs.kernel, 2) &&
    twos(attrs.stride, 2) &&
    twos(attrs.padding, 0) &&
    twos(attrs.dilation, 1) &&
    plan.rows.start.length === plan.height >> 1 &&
    outW === plan.width >> 1 &&
    outW % 4 === 0 &&
    outW > 0
  );
}

/** Each window's maximum position (flat within its plane, int32) and, if asked, its value. */
function maxima(x: Tensor, attrs: WindowAttrs, withValues: boolean) {
  const plan = fixedPlan(x.shape, attrs, null);
  const shape = pooledShape(x.shape, attrs.kernel.length, plan);
  const indices = new Int32Array(numelOf(shape));
  const values = withValues ? allocate(x.dtype, indices.length) : null;
  const source = contiguousOf(x);
  const planes = numelOf(x.shape) / (plan.height * plan.width) || 0;
  const data = source.storage.data;
  if (
    !(
      values instanceof Float32Array &&
      data instanceof Float32Array &&
      halvingWindows(attrs, plan) &&
      maxPool2Simd(data, source.offset, planes, plan.height, plan.width, indices, values)
    )
  )
    maxPoolIndices(data, source.offset, planes, plan, indices, values);
  return { shape, indices, values };
}

/** The input positions (flat within each plane) max pooling picks: int32, the output's shape. */
export function maxPoolArgmax(x: Tensor, attrs: WindowAttrs): Tensor {
  const { indices, shape } = maxima(x, attrs, false);
  return Tensor.fromData(indices, shape, "int32");
}

/**
 * The input positions max pooling picks, as an op (so a tracer sees the launch): `returnIndices`'
 * indices, and the gradient's when the forward's were not kept.
 */
export const maxPoolIndicesSpec: OpSpec<"maxPoolIndices", WindowAttrs> = {
  name: "maxPoolIndices",
  forward: ([x], attrs) => maxPoolArgmax(x as Tensor, attrs),
  outputDType: () => "int32",
  backward: "not-differentiable",
};

/**
 * The positions a recorded max pool picked, kept for its backward (as torch's node keeps its
 * indices), keyed by the pooled input; the backward takes them out (or computes them again).
 * Not while a tracer watches: the forward's kernel may not have run when the backward is built
 * (a compiled replay), so the positions come from a launch the tracer sees.
 */
const pickedPositions = new WeakMap<Tensor, { attrs: WindowAttrs; indices: Tensor }>();

/** Each window's maximum, as torch's `max_pool1d/2d` (NaN wins; ties pick the first). */
export const maxPoolSpec: OpSpec<"maxPool", WindowAttrs> = {
  name: "maxPool",
  nodeName: (attrs) => `MaxPool${attrs.kernel.length}DWithIndicesBackward0`,
  forward: ([x], attrs) => {
    const input = x as Tensor;
    const { values, shape, indices } = maxima(input, attrs, true);
    if (isTracked([input]))
      pickedPositions.set(input, { attrs, indices: Tensor.fromData(indices, shape, "int32") });
    return Tensor.fromData(values as TypedArray, shape, input.dtype);
  },
  // The gradient goes to each window's maximum.
  backward: (node, grad) => {
    const x = node.saved(0);
    const kept = pickedPositions.get(x);
    pickedPositions.delete(x);
    const indices =
      kept?.attrs === node.attrs && !isTracing()
        ? kept.indices
        : dispatch(maxPoolIndicesSpec, [x], node.attrs);
    const spatial = node.attrs.kernel.length;
    const halving = halvingWindows(node.attrs, fixedPlan(x.shape, node.attrs, null));
    return [
      dispatch(maxPoolBackwardSpec, [grad], { indices, inputShape: x.shape, spatial, halving }),
    ];
  },
};

/** Attributes of max pooling's gradient: the input positions picked and the input's shape. */
export interface MaxPoolBackwardAttrs {
  /** Flat positions within each plane, int32, the pooled output's shape. */
  indices: Tensor;
  inputShape: Shape;
  /** The pool's spatial dims (1 or 2). */
  spatial: number;
  /** 2 × 2 windows 2 apart (no padding, 4 outputs a row or more): the SIMD kernel's case. */
  halving?: boolean;
}

/**
 * The adjoint of max pooling (its input's gradient): a scatter-add of the output gradient onto
 * the picked positions, in output order; its own gradient gathers from those positions.
 */
export const maxPoolBackwardSpec: OpSpec<"maxPoolBackward", MaxPoolBackwardAttrs> = {
  name: "maxPoolBackward",
  forward: ([g], { indices, inputShape, spatial, halving }) => {
    const grad = contiguousOf(g as Tensor);
    const out = allocate(grad.dtype, numelOf(inputShape));
    const plane = numelOf(inputShape.slice(-spatial));
    const pooled = numelOf(indices.shape.slice(-spatial));
    const picked = indices.storage.data as Int32Array;
    const [height, width] = inputShape.slice(-2) as [number, number];
    const data = grad.storage.data;
    if (
      !(
        halving === true &&
        data instanceof Float32Array &&
        out instanceof Float32Array &&
        maxPool2GradSimd(data, grad.offset, picked, out.length / plane, height, width, out)
      )
    )
      maxPoolScatter(data, grad.offset, picked, pooled, plane, out);
    return Tensor.fromData(out, inputShape, grad.dtype);
  },
  backward: (node, grad) => {
    const { indices, inputShape, spatial } = node.attrs;
    const lead = inputShape.slice(0, inputShape.length - spatial);
    const planes = grad.reshape([...lead, numelOf(inputShape.slice(-spatial))]);
    const picked = indices.reshape([...lead, numelOf(indices.shape.slice(-spatial))]);
    return [planes.gather(-1, picked).reshape(indices.shape)];
  },
};

/** Window averages (`avg_pool1d/2d`, `adaptive_avg_pool1d/2d`); its gradient is {@link avgPoolBackwardSpec}. */
export const avgPoolSpec: OpSpec<"avgPool", AvgPoolAttrs> = {
  name: "avgPool",
  nodeName: (attrs) =>
    `${attrs.adaptive ? "AdaptiveAvgPool" : "AvgPool"}${spatialOf(attrs)}DBackward0`,
  forward: ([x], attrs) => {
    const input = contiguousOf(x as Tensor);
    const plan = averagePlan(input.shape, attrs);
    const shape = pooledShape(input.shape, spatialOf(attrs), plan);
    const out = allocate(input.dtype, numelOf(shape));
    const planes = numelOf(input.shape) / (plan.height * plan.width) || 0;
    const round = input.dtype === "float32" ? Math.fround : (v: number) => v;
    averagePool(input.storage.data, input.offset, planes, plan, out, round);
    return Tensor.fromData(out, shape, input.dtype);
  },
  backward: (node, grad) => [
    dispatch(avgPoolBackwardSpec, [grad], { pool: node.attrs, inputShape: node.input(0).shape }),
  ],
};

/** Attributes of the average pools' gradient: the pool and the shape of its input. */
export interface AvgPoolBackwardAttrs {
  pool: AvgPoolAttrs;
  inputShape: Shape;
}

/** The adjoint of an average pool (its input's gradient); its own gradient is the pool again. */
export const avgPoolBackwardSpec: OpSpec<"avgPoolBackward", AvgPoolBackwardAttrs> = {
  name: "avgPoolBackward",
  forward: ([g], { pool, inputShape }) => {
    const grad = contiguousOf(g as Tensor);
    const plan = averagePlan(inputShape, pool);
    const out = allocate(grad.dtype, numelOf(inputShape));
    const planes = numelOf(inputShape) / (plan.height * plan.width) || 0;
    averagePoolAdjoint(grad.storage.data, grad.offset, planes, plan, out);
    return Tensor.fromData(out, inputShape, grad.dtype);
  },
  backward: (node, grad) => [dispatch(avgPoolSpec, [grad], node.attrs.pool)],
};
