/** Veltkamp's splitter 2^27 + 1: splits a float64 into two halves of 26 bits. */
const SPLITTER = 134217729;

/**
 * `a * b + c` with (nearly always) a single float64 rounding, like C's `fma`: the product is
 * split exactly (Dekker's two-product), added to `c` exactly (Knuth's two-sum), and the error
 * terms added back. Falls back to `a * b + c` where the splitting would overflow.
 */
export function fma64(a: number, b: number, c: number): number {
  const product = a * b;
  if (!Number.isFinite(product) || !Number.isFinite(c) || Math.abs(product) > 2 ** 996)
    return product + c;
  const sa = SPLITTER * a;
  const aHigh = sa - (sa - a);
  const aLow = a - aHigh;
  const sb = SPLITTER * b;
  const bHigh = sb - (sb - b);
  const bLow = b - bHigh;
  const productError = aLow * bLow - (product - aHigh * bHigh - aLow * bHigh - aHigh * bLow);
  const sum = product + c;
  const virtual = sum - product;
  const sumError = product - (sum - virtual) + (c - virtual);
  return sum + (sumError + productError);
}
