import { dispatch } from "../dispatch";
import { allocate, type TypedArray } from "../dtype";
import { checkTensorArgument, describeValue, formatShape, TensorError } from "../errors";
import type { RowKernel, RowOperand } from "../kernels/elementwise";
import type { OpSpec } from "../op-spec";
import { broadcastShapes, broadcastStrides, numelOf, type Shape, sameShape } from "../shape";
import { Tensor } from "../tensor";
import { to } from "./cast";
import { elementwiseOp, scalarTensor } from "./elementwise";
import { inPlace } from "./inplace";
import { sumTo } from "./sum-to";
import { where } from "./ternary";
import { copyContiguous } from "./unary";
import { viewOf } from "./views";

/** The 32-bit words of a typed array's memory (bytes for bool): what the masked fill selects. */
function words(data: TypedArray): Int32Array | Uint8Array {
  return data instanceof Uint8Array
    ? data
    : new Int32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
}

/** True when typed arrays store the low byte first (every engine in practice; checked anyway). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The contiguous masked fill: `to[o+i] = keep[m+i] ? v : x[s+i]` on words, four mask bytes read
 * as one 32-bit word where the mask is aligned (a quarter of the loads; zero words skip ahead).
 */
function fillContiguous(
  to: Int32Array | Uint8Array,
  o: number,
  x: Int32Array | Uint8Array,
  s: number,
  keep: Uint8Array,
  m: number,
  n: number,
  v: number,
): void {
  let i = 0;
  const one = (j: number) => {
    const all = (0 - (keep[m + j] as number)) | 0; // 0 or -1 (all bits); never -0
    to[o + j] = ((x[s + j] as number) & ~all) | (v & all);
  };
  if (LITTLE_ENDIAN && n >= 64) {
    while ((keep.byteOffset + m + i) % 4 !== 0) one(i++);
    const words = new Int32Array(keep.buffer, keep.byteOffset + m + i, (n - i) >> 2);
    for (let w = 0; w < words.length; w++, i += 4) {
      const k = words[w] as number;
      if (k === 0 && to === x && o === s) continue; // in place: nothing to write
      const a0 = -(k & 1) | 0;
      const a1 = -((k >> 8) & 1) | 0;
      const a2 = -((k >> 16) & 1) | 0;
      const a3 = -((k >>> 24) & 1) | 0;
      const p = o + i;
      const q = s + i;
      to[p] = ((x[q] as number) & ~a0) | (v & a0);
      to[p + 1] = ((x[q + 1] as number) & ~a1) | (v & a1);
      to[p + 2] = ((x[q + 2] as number) & ~a2) | (v & a2);
      to[p + 3] = ((x[q + 3] as number) & ~a3) | (v & a3);
    }
  }
  while (i < n) one(i++);
}

/**
 * `out = mask ? value : x` (in place, `out` is `x`). Branch-free, as random masks defeat branch
 * prediction: each word is `(x & ~M) | (value & M)` with `M` all ones where the mask is true,
 * which also keeps every bit of NaN payloads and signed zeros. float64 elements are two words.
 */
export const maskedFillKernel: RowKernel = (_code, operands, n) => {
  const out = operands[0] as RowOperand;
  const self = operands[1] as RowOperand;
  const mask = operands[2] as RowOperand;
  const fill = operands[3] as RowOperand;
  const keep = mask.data;
  const per = out.data.BYTES_PER_ELEMENT === 8 ? 2 : 1;
  const to = words(out.data);
  const x = words(self.data);
  const value = words(fill.data);
  if (per === 1 && out.stride === 1 && self.stride === 1 && mask.stride === 1) {
    fillContiguous(
      to,
      out.offset,
      x,
      self.offset,
      keep as Uint8Array,
      mask.offset,
      n,
      value[fill.offset] as number,
    );
    return;
  }
  for (let k = 0; k < per; k++) {
    const v = value[fill.offset * per + k] as number;
    const outStep = out.stride * per;
    const selfStep = self.stride * per;
    for (
      let i = 0, o = out.offset * per + k, s = self.offset * per + k, m = mask.offset;
      i < n;
      i++, o += outStep, s += selfStep, m += mask.stride
    ) {
      const all = (0 - (keep[m] as number)) | 0; // 0 or -1 (all bits); never -0
      to[o] = ((x[s] as number) & ~all) | (v & all);
    }
  }
};

/** Attributes of `maskedScatterInto`: the dense bool mask and the shape it fills. */
export interface MaskedScatterAttrs {
  mask: Tensor;
  shape: Shape;
}

/** `t` broadcast to `shape` as a contiguous tensor (itself when it already is one). */
function denseAs(t: Tensor, shape: Shape): Tensor {
  if (t.contiguousLayout && sameShape(t.shape, shape)) return t;
  return copyContiguous(
    viewOf(t, shape, broadcastStrides(t.shape, t.strides, shape), t.offset),
    t.dtype,
  );
}

function maskedSelectForward(inputs: readonly Tensor[]): Tensor {
  const x = inputs[0] as Tensor;
  const mask = inputs[1] as Tensor;
  const shape = broadcastShapes(x.shape, mask.shape, "maskedSelect");
  return selectWhere(denseAs(x, shape), denseAs(mask, shape));
}

/**
 * The elements of `values` where `keep` (a bool tensor; both contiguous, of one shape) is true,
 * as a 1-d tensor: `x[mask]` for a mask of `x`'s shape.
 */
export function selectWhere(values: Tensor, keep: Tensor): Tensor {
  const m = keep.storage.data as Uint8Array;
  const n = values.numel();
  let count = 0;
  for (let i = keep.offset, end = keep.offset + n; i < end; i++) count += m[i] as number;
  // branch-free: every element is stored at the next free slot, which only a kept one advances
  // (random masks defeat branch prediction); the one slot past the end takes the spill
  const out = allocate(values.dtype, count + 1);
  const data = values.storage.data;
  for (let i = 0, j = 0, s = values.offset, k = keep.offset; i < n; i++) {
    out[j] = data[s + i] as number;
    j += m[k + i] as number;
  }
  return Tensor.fromData(out.subarray(0, count), [count], values.dtype);
}

function maskedScatterForward(
  inputs: readonly Tensor[],
  { mask, shape }: MaskedScatterAttrs,
): Tensor {
  const source = inputs[0] as Tensor;
  const src = source.contiguousLayout ? source : copyContiguous(source, source.dtype);
  const out = allocate(source.dtype, numelOf(shape));
  const m = mask.storage.data;
  const data = src.storage.data;
  for (let i = 0, j = src.offset, end = out.length; i < end; i++)
    if (m[mask.offset + i]) out[i] = data[j++] as number;
  return Tensor.fromData(out, shape, source.dtype);
}

/** The specs of the mask ops. */
export const maskedSpecs = {
  /** `mask ? value : x` (inputs x, mask, 0-d value); the in-place variant writes masked elements only. */
  maskedFill: elementwiseOp<"maskedFill", null>({
    name: "maskedFill",
    kernel: maskedFillKernel,
    code: () => 0,
    output: (inputs) => (inputs[0] as Tensor).dtype,
    backward: (node, grad) => {
      const mask = node.saved(1);
      return [
        node.needsGrad(0) ? sumTo(maskedFill(grad, mask, 0), node.input(0).shape) : null,
        null,
        node.needsGrad(2) ? where(mask, grad, 0).sum() : null,
      ];
    },
  }),
  /** The elements of `x` where `mask` is true (both broadcast), as a 1-d copy. */
  maskedSelect: {
    name: "maskedSelect",
    forward: maskedSelectForward,
    backward: (node, grad) => {
      const x = node.input(0);
      const mask = node.saved(1);
      const shape = broadcastShapes(x.shape, mask.shape, "maskedSelect");
      return [sumTo(maskedScatterInto(grad, denseAs(mask, shape), shape), x.shape), null];
    },
  } satisfies OpSpec<"maskedSelect", null>,
  /** `maskedSelect`'s backward: a zero tensor of `shape` with `source` written where `mask` is true. */
  maskedScatterInto: {
    name: "maskedScatterInto",
    nodeName: "MaskedScatterBackward0",
    forward: maskedScatterForward,
    backward: (node, grad) => [maskedSelect(grad, node.attrs.mask)],
  } satisfies OpSpec<"maskedScatterInto", MaskedScatterAttrs>,
} as const;

function checkMask(x: Tensor, mask: unknown, op: string, inPlace: boolean): Tensor {
  checkTensorArgument(x, op);
  checkTensorArgument(mask, op, "mask");
  const m = mask as Tensor;
  if (m.dtype !== "bool") {
    throw new TensorError(
      "INVALID_DTYPE",
      op,
      `mask must be a bool tensor, but got ${m.dtype} (shape ${formatShape(m.shape)}). Hint: build it with a comparison such as x.gt(0), or convert with mask.bool().`,
    );
  }
  const shape = broadcastShapes(x.shape, m.shape, op === "maskedSelect" ? op : `${op} (mask)`);
  if (inPlace && !sameShape(shape, x.shape)) {
    throw new TensorError(
      "SHAPE_MISMATCH",
      op,
      `mask of shape ${formatShape(m.shape)} cannot be broadcast to the tensor's shape ${formatShape(x.shape)} (it would grow it to ${formatShape(shape)}). Hint: an in-place op cannot grow its tensor; use the out-of-place maskedFill.`,
    );
  }
  return m;
}

/** The fill value as a 0-d tensor of `x`'s dtype (a 0-d tensor stays itself, so it gets a gradient). */
function fillValue(x: Tensor, value: unknown, op: string): Tensor {
  if (value instanceof Tensor) {
    if (value.ndim !== 0) {
      throw new TensorError(
        "INVALID_ARGUMENT",
        op,
        `value must be a number or a 0-d tensor, but got a tensor of shape ${formatShape(value.shape)}. Hint: use where(mask, values, x) to fill from a tensor.`,
      );
    }
    return x.dtype === "bool" && value.dtype !== "bool" ? to(value, "bool") : value;
  }
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `value must be a number, a boolean or a 0-d tensor, but got ${describeValue(value)}. Hint: e.g. ${op}(mask, 0).`,
    );
  }
  // bool storage holds exactly 0 or 1 (value != 0, as PyTorch converts)
  return scalarTensor(x.dtype === "bool" ? Number(Number(value) !== 0) : Number(value), x.dtype);
}

/**
 * `x` with `value` where `mask` is true (`torch.masked_fill`): `mask` is a bool tensor
 * broadcastable with `x`, `value` a number or a 0-d tensor (which then gets a gradient).
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | boolean | Tensor): Tensor {
  const m = checkMask(x, mask, "maskedFill", false);
  return dispatch(maskedSpecs.maskedFill, [x, m, fillValue(x, value, "maskedFill")], null);
}

/** In-place {@link maskedFill}: `mask` must broadcast to `x`'s shape (`Tensor.masked_fill_`). */
export function maskedFill_<T extends Tensor>(
  x: T,
  mask: Tensor,
  value: number | boolean | Tensor,
): T {
  const m = checkMask(x, mask, "maskedFill_", true);
  const fill = fillValue(x, value, "maskedFill_");
  return inPlace(maskedSpecs.maskedFill, "maskedFill_", x, [m, fill], null);
}

/**
 * The elements of `x` where `mask` is true, as a new 1-d tensor (`torch.masked_select`);
 * `x` and `mask` broadcast together first.
 */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  const m = checkMask(x, mask, "maskedSelect", false);
  return dispatch(maskedSpecs.maskedSelect, [x, m], null);
}

/** Writes the 1-d `source` into a zero tensor of `shape` where the dense bool `mask` is true (internal). */
export function maskedScatterInto(source: Tensor, mask: Tensor, shape: Shape): Tensor {
  return dispatch(maskedSpecs.maskedScatterInto, [source], { mask, shape });
}
