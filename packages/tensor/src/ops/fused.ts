import { record } from "../dispatch";
import { allocate, promoteTypes } from "../dtype";
import { checkTensorArgument, describeValue, TensorError } from "../errors";
import { fma32 } from "../kernels/fma";
import { broadcastShapes, numelOf, type Shape } from "../shape";
import { type Operand, Tensor } from "../tensor";
import { scalarTensor } from "./binary";
import { copyContiguous } from "./copy";
import { expand } from "./views";

// PyTorch's CPU kernels compute `add(other, alpha)` as fma(other, alpha, self) and `addcmul` as
// fma(value * t1, t2, self): one rounding for the multiply-add. Optimizers lean on both, so
// these ops round the same way to keep float32 trajectories on torch's.

function scaleOf(value: unknown, op: string, name: string): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      op,
      `${name} must be a number, but got ${describeValue(value)}. Hint: e.g. ${op}(other, { ${name}: 0.5 }).`,
    );
  }
  return value;
}

function asTensor(value: Operand, like: Tensor, op: string): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === "number") return scalarTensor(value, like.dtype);
  throw new TensorError(
    "INVALID_ARGUMENT",
    op,
    `argument 'other' must be a Tensor or a number, but got ${describeValue(value)}.`,
  );
}

/** Row-major values of `x` broadcast to `shape`, in `dtype` (a view of the storage when it can be). */
function valuesAt(
  x: Tensor,
  shape: Shape,
  dtype: Tensor["dtype"],
): { data: Tensor["storage"]["data"]; offset: number } {
  const source =
    x.shape.length === shape.length &&
    x.contiguousLayout &&
    x.dtype === dtype &&
    numelOf(x.shape) === numelOf(shape)
      ? x
      : copyContiguous(expand(x, shape as number[]), dtype);
  return { data: source.storage.data, offset: source.offset };
}

/** `out = x + scale · a · (b ?? 1)`, the final multiply-add fused for float32. */
function multiplyAdd(op: string, x: Tensor, scale: number, a: Tensor, b: Tensor | null): Tensor {
  const shape = broadcastShapes(broadcastShapes(x.shape, a.shape, op), b?.shape ?? [], op);
  const dtype = promoteTypes(promoteTypes(x.dtype, a.dtype), b?.dtype ?? a.dtype);
  const n = numelOf(shape);
  const out = allocate(dtype, n);
  const base = valuesAt(x, shape, dtype);
  const left = valuesAt(a, shape, dtype);
  const right = b === null ? null : valuesAt(b, shape, dtype);
  if (dtype === "float32") {
    const scale32 = Math.fround(scale);
    for (let i = 0; i < n; i++) {
      const c = base.data[base.offset + i] as number;
      const u = left.data[left.offset + i] as number;
      out[i] =
        right === null
          ? fma32(u, scale32, c)
          : fma32(Math.fround(scale32 * u), right.data[right.offset + i] as number, c);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = right === null ? 1 : (right.data[right.offset + i] as number);
      out[i] =
        scale * (left.data[left.offset + i] as number) * v + (base.data[base.offset + i] as number);
    }
  }
  return Tensor.fromData(out, shape, dtype);
}

/** `x + alpha · other` with one rounding for float32, like `torch.add(x, other, alpha=alpha)`. */
export function addScaled(x: Tensor, other: Operand, alpha: number): Tensor {
  checkTensorArgument(x, "add");
  const a = asTensor(other, x, "add");
  const scale = scaleOf(alpha, "add", "alpha");
  return record("addScaled", [x, a], multiplyAdd("add", x, scale, a, null), { alpha: scale });
}

/** `x + value · t1 · t2` with the last multiply-add fused for float32, like `torch.addcmul`. */
export function addcmul(x: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  checkTensorArgument(x, "addcmul");
  checkTensorArgument(t1, "addcmul", "tensor1");
  checkTensorArgument(t2, "addcmul", "tensor2");
  const scale = scaleOf(value, "addcmul", "value");
  return record("addcmul", [x, t1, t2], multiplyAdd("addcmul", x, scale, t1, t2), { value: scale });
}

/** `x + value · t1 / t2`, like `torch.addcdiv` (unfused there too: built from recorded ops). */
export function addcdiv(x: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  checkTensorArgument(x, "addcdiv");
  checkTensorArgument(t1, "addcdiv", "tensor1");
  checkTensorArgument(t2, "addcdiv", "tensor2");
  return x.add(t1.mul(scaleOf(value, "addcdiv", "value")).div(t2));
}
