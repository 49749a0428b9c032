import { isTracked, record } from "../dispatch";
import { allocate, type DType, promoteTypes, type TypedArray } from "../dtype";
import { TensorError } from "../errors";
import { forEachRow } from "../kernels/strided";
import { broadcastShapes, broadcastStrides, numelOf, sameShape } from "../shape";
import { Storage } from "../storage";
import { Tensor } from "../tensor";

/** `condition ? a : b` elementwise, broadcasting all three. */
export function where(condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  if (!(condition instanceof Tensor) || condition.dtype !== "bool") {
    throw new TensorError(
      "INVALID_DTYPE",
      "where",
      `condition must be a bool tensor, but got ${condition instanceof Tensor ? condition.dtype : typeof condition}. Hint: build it with a comparison such as x.gt(0).`,
    );
  }
  const left = a instanceof Tensor ? a : scalar(a, b instanceof Tensor ? b.dtype : "float32");
  const right = b instanceof Tensor ? b : scalar(b, left.dtype);
  const dtype = promoteTypes(left.dtype, right.dtype);
  const shape = broadcastShapes(
    broadcastShapes(condition.shape, left.shape, "where"),
    right.shape,
    "where",
  );
  const operands = [condition, left, right];
  const out = allocate(dtype, numelOf(shape));
  const [dc, dl, dr] = operands.map((t) => t.storage.data) as [TypedArray, TypedArray, TypedArray];
  const flat = operands.every(
    (t) => t.ndim === 0 || (t.contiguousLayout && sameShape(t.shape, shape)),
  );
  if (flat) {
    // one row over everything: contiguous operands step by 1, 0-d ones by 0
    const [sc, sl, sr] = operands.map((t) => (t.ndim === 0 ? 0 : 1)) as [number, number, number];
    whereRow(
      out,
      0,
      out.length,
      dc,
      condition.offset,
      sc,
      dl,
      left.offset,
      sl,
      dr,
      right.offset,
      sr,
    );
  } else {
    const strides = operands.map((t) => broadcastStrides(t.shape, t.strides, shape));
    const last = shape.length - 1;
    const [sc, sl, sr] = strides.map((s) => s[last] ?? 0) as [number, number, number];
    forEachRow(
      shape,
      strides,
      operands.map((t) => t.offset),
      (offsets, o, length) =>
        whereRow(
          out,
          o,
          length,
          dc,
          offsets[0] as number,
          sc,
          dl,
          offsets[1] as number,
          sl,
          dr,
          offsets[2] as number,
          sr,
        ),
    );
  }
  const result = Tensor.fromData(out, shape, dtype);
  return isTracked(left, right) ? record("where", [left, right], result, { condition }) : result;
}

/** `out[o + i] = c[ic + i·sc] ? l[il + i·sl] : r[ir + i·sr]` for `n` elements. */
function whereRow(
  out: TypedArray,
  o: number,
  n: number,
  c: TypedArray,
  ic: number,
  sc: number,
  l: TypedArray,
  il: number,
  sl: number,
  r: TypedArray,
  ir: number,
  sr: number,
): void {
  for (let end = o + n; o < end; o++, ic += sc, il += sl, ir += sr) {
    out[o] = c[ic] ? (l[il] as number) : (r[ir] as number);
  }
}

function scalar(value: number, dtype: DType): Tensor {
  if (typeof value !== "number") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "where",
      `expected a Tensor or a number, but got ${typeof value}.`,
    );
  }
  const data = allocate(dtype === "bool" || dtype === "int32" ? "float32" : dtype, 1);
  data[0] = value;
  return new Tensor(
    new Storage(data),
    [],
    [],
    0,
    dtype === "bool" || dtype === "int32" ? "float32" : dtype,
  );
}
