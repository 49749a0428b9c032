/**
 * float32 `add`/`sub`/`mul`/`div` on float32 arrays only. Keeping these loops apart from the
 * all-dtype {@link binaryRow} keeps their element accesses monomorphic, which is what makes ops
 * on tiny tensors (the book's 11 readings) cheap.
 */
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
  const end = o + n;
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
