import type { TypedArray } from "../dtype";

/**
 * The windows of a pooling op along one spatial dim: output position `i` reads input positions
 * `start[i]`, `start[i] + step`, … below `end[i]` (already clipped to the input).
 */
export interface Windows {
  start: Int32Array;
  end: Int32Array;
  /** Spacing of a window's taps (max pooling's dilation; 1 otherwise). */
  step: number;
}

/** A pooling op's windows over planes of `height × width`, and each output's divisor (averages). */
export interface PoolPlan {
  rows: Windows;
  cols: Windows;
  height: number;
  width: number;
  /** `divisor[i · outW + j]` for averages; unused by max pooling. */
  divisor: Float64Array;
}

/**
 * Per plane, the flat input index (`h · width + w`) of each window's maximum: the first one on
 * ties, the last NaN if any (torch's `val > max || isnan(val)`); the window's first tap when the
 * window is all −∞. With `values`, also the maxima themselves.
 */
export function maxPoolIndices(
  input: TypedArray,
  offset: number,
  planes: number,
  plan: PoolPlan,
  indices: Int32Array,
  values: TypedArray | null = null,
): void {
  const { rows, cols, height, width } = plan;
  const outH = rows.start.length;
  const outW = cols.start.length;
  const rowStep = rows.step;
  const colStep = cols.step;
  for (let p = 0, at = 0; p < planes; p++) {
    const base = offset + p * height * width;
    for (let i = 0; i < outH; i++) {
      const h0 = rows.start[i] as number;
      const h1 = rows.end[i] as number;
      for (let j = 0; j < outW; j++, at++) {
        const w0 = cols.start[j] as number;
        const w1 = cols.end[j] as number;
        let best = h0 * width + w0;
        let max = Number.NEGATIVE_INFINITY;
        for (let h = h0; h < h1; h += rowStep)
          for (let w = w0, k = h * width + w0; w < w1; w += colStep, k += colStep) {
            const value = input[base + k] as number;
            if (value > max || Number.isNaN(value)) {
              max = value;
              best = k;
            }
          }
        indices[at] = best;
        if (values !== null) values[at] = input[base + best] as number;
      }
    }
  }
}

/**
 * The adjoint of max pooling: adds each output gradient onto the input position its window
 * picked (`indices`, flat per plane, `pooled` per plane), in output order. `out` (planes of
 * `plane` values) must start zeroed.
 */
export function maxPoolScatter(
  grad: TypedArray,
  offset: number,
  indices: Int32Array,
  pooled: number,
  plane: number,
  out: TypedArray,
): void {
  for (let i = 0, base = 0; i < indices.length; base += plane)
    for (let end = i + pooled; i < end; i++) {
      const at = base + (indices[i] as number);
      out[at] = (out[at] as number) + (grad[offset + i] as number);
    }
}

/**
 * Window averages, summed in the order torch's CPU kernel sums them, in the output's precision
 * (`round` is `Math.fround` for float32), then divided by each window's divisor.
 */
export function averagePool(
  input: TypedArray,
  offset: number,
  planes: number,
  plan: PoolPlan,
  out: TypedArray,
  round: (x: number) => number,
): void {
  const { rows, cols, height, width, divisor } = plan;
  const outH = rows.start.length;
  const outW = cols.start.length;
  for (let p = 0, at = 0; p < planes; p++) {
    const base = offset + p * height * width;
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++, at++) {
        let sum = 0;
        for (let h = rows.start[i] as number; h < (rows.end[i] as number); h++)
          for (let w = cols.start[j] as number; w < (cols.end[j] as number); w++)
            sum = round(sum + (input[base + h * width + w] as number));
        out[at] = sum / (divisor[i * outW + j] as number);
      }
  }
}

/** The adjoint of {@link averagePool}: each output gradient spread evenly back over its window. */
export function averagePoolAdjoint(
  grad: TypedArray,
  offset: number,
  planes: number,
  plan: PoolPlan,
  out: TypedArray,
): void {
  const { rows, cols, height, width, divisor } = plan;
  const outH = rows.start.length;
  const outW = cols.start.length;
  for (let p = 0, at = offset; p < planes; p++) {
    const base = p * height * width;
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++, at++) {
        const share = (grad[at] as number) / (divisor[i * outW + j] as number);
        for (let h = rows.start[i] as number; h < (rows.end[i] as number); h++)
          for (let w = cols.start[j] as number; w < (cols.end[j] as number); w++) {
            const k = base + h * width + w;
            out[k] = (out[k] as number) + share;
          }
      }
  }
}
