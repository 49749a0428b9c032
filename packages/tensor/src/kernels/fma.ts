/** (An enum, so that bundlers inline the number.) */
enum Limit {
  /** 2^128, above every finite float32. */
  FLOAT32_OVERFLOW = 2 ** 128,
}

/**
 * `a * b + c` rounded once to float32 (an FMA), for float32 inputs. The product is exact in
 * float64; the sum is rounded to float64 and then to float32, which is exact unless the float64
 * sum lands on a float32 tie, where the sign of the float64 rounding error breaks the tie.
 */
export function fma32(a: number, b: number, c: number): number {
  const product = a * b;
  const sum = product + c;
  const rounded = Math.fround(sum);
  if (rounded === sum || !(Math.abs(sum) < Limit.FLOAT32_OVERFLOW)) return rounded;
  const other = 2 * sum - rounded; // the float32 on the other side when `sum` is a tie
  if (Math.fround(other) !== other) return rounded;
  const virtual = sum - product;
  const error = product - (sum - virtual) + (c - virtual); // exact: sum + error = a * b + c
  if (error === 0) return rounded;
  return error > 0 === other > rounded ? other : rounded;
}
