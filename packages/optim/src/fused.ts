import { Tensor } from "@x/tensor";

// PyTorch's CPU kernels compute `add(other, alpha)` as fma(other, alpha, self) and `addcmul` as
// fma(value * t1, t2, self): one rounding for the multiply-add. Two separately rounded tensor ops
// drift away from torch's float32 trajectories, so these updates are computed here, elementwise.

const FLOAT32_OVERFLOW = 2 ** 128;

/**
 * `a * b + c` rounded once to float32 (an FMA), for float32 inputs. The product is exact in
 * float64; the sum is rounded to float64 and then to float32, which is exact unless the float64
 * sum lands on a float32 tie, where the sign of the float64 rounding error breaks the tie.
 */
export function fma32(a: number, b: number, c: number): number {
  const product = a * b;
  const sum = product + c;
  const rounded = Math.fround(sum);
  if (rounded === sum || !(Math.abs(sum) < FLOAT32_OVERFLOW)) return rounded;
  const other = 2 * sum - rounded; // the float32 on the other side when `sum` is a tie
  if (Math.fround(other) !== other) return rounded;
  const virtual = sum - product;
  const error = product - (sum - virtual) + (c - virtual); // exact: sum + error = a * b + c
  if (error === 0) return rounded;
  return error > 0 === other > rounded ? other : rounded;
}

/** `self + (scale * a) * (b ?? 1)`, the last multiply-add fused for float32, as a new tensor. */
function multiplyAdd(self: Tensor, scale: number, a: Tensor, b: Tensor | null): Tensor {
  const out = self.toTypedArray();
  const left = a.toTypedArray();
  const right = b?.toTypedArray() ?? null;
  if (left.length !== out.length || (right !== null && right.length !== out.length)) {
    throw new RangeError(
      `@x/optim: update operands have ${left.length} and ${right?.length} elements, expected ${out.length}`,
    );
  }
  if (self.dtype === "float32") {
    const scale32 = Math.fround(scale);
    for (let i = 0; i < out.length; i++) {
      const x = left[i] as number;
      if (right === null) out[i] = fma32(x, scale32, out[i] as number);
      else out[i] = fma32(Math.fround(scale32 * x), right[i] as number, out[i] as number);
    }
  } else {
    for (let i = 0; i < out.length; i++) {
      out[i] =
        scale * (left[i] as number) * ((right?.[i] as number | undefined) ?? 1) +
        (out[i] as number);
    }
  }
  return Tensor.fromData(out, self.shape.slice(), self.dtype);
}

/** `self + alpha * other`, as torch's `self.add(other, alpha=alpha)` computes it (fused). */
export function addScaled(self: Tensor, other: Tensor, alpha: number): Tensor {
  return multiplyAdd(self, alpha, other, null);
}

/** `self + value * t1 * t2`, as torch's `self.addcmul(t1, t2, value=value)` computes it. */
export function addcmul(self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  return multiplyAdd(self, value, t1, t2);
}

/** `self + value * t1 / t2`, as torch's `self.addcdiv(t1, t2, value=value)` (not fused there). */
export function addcdiv(self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  return self.add(t1.mul(value).div(t2));
}

/** In-place {@link addScaled}: writes into `self` (inside `noGrad` for parameters). */
export function addScaled_(self: Tensor, other: Tensor, alpha: number): Tensor {
  return self.copy_(addScaled(self, other, alpha));
}

/** In-place {@link addcmul}. */
export function addcmul_(self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  return self.copy_(addcmul(self, t1, t2, value));
}

/** In-place {@link addcdiv}. */
export function addcdiv_(self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  return self.copy_(addcdiv(self, t1, t2, value));
}
