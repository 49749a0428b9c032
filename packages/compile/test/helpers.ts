import type { Tensor } from "@x/tensor";

/** The raw bits of a tensor's values (float32 or float64 reinterpreted), for exact comparison. */
export function bits(t: Tensor | null | undefined): number[] {
  if (t === null || t === undefined) return [];
  const values = t.toTypedArray();
  if (values instanceof Float32Array) return Array.from(new Uint32Array(values.slice().buffer));
  if (values instanceof Float64Array) return Array.from(new Uint32Array(values.slice().buffer));
  return Array.from(values);
}

/** Every bit a user can see of some tensors: their values and their `.grad`. */
export function visible(tensors: readonly Tensor[]): number[][] {
  return tensors.flatMap((t) => [bits(t), bits(t.grad)]);
}
