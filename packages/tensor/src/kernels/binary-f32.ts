/**
 * float32 `add`/`sub`/`mul`/`div` (codes 0–3) and relu's backward (code 16) on float32 arrays only. Keeping these loops apart from the
 * all-dtype {@link binaryRow} keeps their element accesses monomorphic, which is what makes ops
 * on small tensors (the book's 11 readings) cheap; unit strides and a scalar right operand get
 * their own loops, which V8 compiles tighter than the general strided one.
 */
const RELU_BACKWARD = 16;

export function binaryRowF32(
  code: number,
  out: Float32Array,
  o: number,
  a: Float32Array,
  ia: number,
  sa: number,
  b: Float32Array,
  ib: number,
  sb: number,
  n: number,
): void {
  if (code === RELU_BACKWARD) reluBackward(out, o, a, ia, sa, b, ib, sb, o + n);
  else if (sa === 1 && sb === 1) contiguous(code, out, o, a, ia - o, b, ib - o, o + n);
  else if (sa === 1 && sb === 0) withScalar(code, out, o, a, ia - o, b[ib] as number, o + n);
  else strided(code, out, o, a, ia, sa, b, ib, sb, o + n);
}

function contiguous(
  code: number,
  out: Float32Array,
  o: number,
  a: Float32Array,
  da: number,
  b: Float32Array,
  db: number,
  end: number,
): void {
  switch (code) {
    case 0:
      for (let i = o; i < end; i++) out[i] = (a[i + da] as number) + (b[i + db] as number);
      return;
    case 1:
      for (let i = o; i < end; i++) out[i] = (a[i + da] as number) - (b[i + db] as number);
      return;
    case 2:
      for (let i = o; i < end; i++) out[i] = (a[i + da] as number) * (b[i + db] as number);
      return;
    default:
      for (let i = o; i < end; i++) out[i] = (a[i + da] as number) / (b[i + db] as number);
  }
}

function withScalar(
  code: number,
  out: Float32Array,
  o: number,
  a: Float32Array,
  da: number,
  s: number,
  end: number,
): void {
  switch (code) {
    case 0:
      for (let i = o; i < end; i++) out[i] = (a[i + da] as number) + s;
      return;
    case 1:
      for (let i = o; i < end; i++) out[i] = (a[i + da] as number) - s;
      return;
    case 2:
      for (let i = o; i < end; i++) out[i] = (a[i + da] as number) * s;
      return;
    default:
      for (let i = o; i < end; i++) out[i] = (a[i + da] as number) / s;
  }
}

function strided(
  code: number,
  out: Float32Array,
  o: number,
  a: Float32Array,
  ia: number,
  sa: number,
  b: Float32Array,
  ib: number,
  sb: number,
  end: number,
): void {
  switch (code) {
    case 0:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia] as number) + (b[ib] as number);
      return;
    case 1:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia] as number) - (b[ib] as number);
      return;
    case 2:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia] as number) * (b[ib] as number);
      return;
    default:
      for (; o < end; o++, ia += sa, ib += sb) out[o] = (a[ia] as number) / (b[ib] as number);
  }
}

function reluBackward(
  out: Float32Array,
  o: number,
  grad: Float32Array,
  ig: number,
  sg: number,
  result: Float32Array,
  ir: number,
  sr: number,
  end: number,
): void {
  for (; o < end; o++, ig += sg, ir += sr)
    out[o] = (result[ir] as number) > 0 ? (grad[ig] as number) : 0;
}
