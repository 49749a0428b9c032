import type { TypedArray } from "../dtype";

/**
 * Where a convolution's windows lie over one image: `channels` planes of `height × width`
 * (1-d signals have height 1), windows of `kernel` taps `dilation` apart, placed `stride` apart
 * on a `gridHeight × gridWidth` grid whose first window starts `padding` before the image.
 */
export interface WindowGeometry {
  channels: number;
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  gridHeight: number;
  gridWidth: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
}

/** The rows of the window matrix (`channels · kernelH · kernelW`) and its columns per image (grid size). */
export function windowSizes(g: WindowGeometry): { depth: number; gridSize: number } {
  return { depth: g.channels * g.kernelH * g.kernelW, gridSize: g.gridHeight * g.gridWidth };
}

/**
 * Where the columns of an {@link im2col} matrix lie: row `r`, column `t` of one image is
 * `cols[offset + r · rowLength + t]`. Several images side by side share one matrix: each gets
 * its own `offset` and they all get the same `rowLength` (the matrix's width).
 */
export interface ColumnLayout {
  offset: number;
  rowLength: number;
}

/** The grid columns `q` whose tap `j` falls inside the image: `[first, end)`. */
function insideColumns(g: WindowGeometry, j: number): [number, number] {
  const x0 = j * g.dilationW - g.padW;
  const first = x0 >= 0 ? 0 : Math.min(g.gridWidth, Math.ceil(-x0 / g.strideW));
  const end =
    x0 >= g.width ? 0 : Math.min(g.gridWidth, Math.floor((g.width - 1 - x0) / g.strideW) + 1);
  return [first, Math.max(first, end)];
}

/**
 * `cols[(c·kH + i)·kW + j][p·gridWidth + q] = image[c][p·sH − pH + i·dH][q·sW − pW + j·dW]`, 0
 * outside the image: every window as a column, so a convolution is one matrix product. The
 * matrix lies at `layout` (by default its own, `gridHeight · gridWidth` wide, from 0).
 */
export function im2col(
  image: TypedArray,
  imageOffset: number,
  g: WindowGeometry,
  cols: TypedArray,
  layout: ColumnLayout = { offset: 0, rowLength: g.gridHeight * g.gridWidth },
): void {
  const { gridWidth, strideW } = g;
  let row = layout.offset;
  for (let c = 0; c < g.channels; c++) {
    const plane = imageOffset + c * g.height * g.width;
    for (let i = 0; i < g.kernelH; i++)
      for (let j = 0; j < g.kernelW; j++, row += layout.rowLength) {
        const [first, end] = insideColumns(g, j);
        const x0 = j * g.dilationW - g.padW;
        for (let p = 0; p < g.gridHeight; p++) {
          const y = p * g.strideH - g.padH + i * g.dilationH;
          const start = row + p * gridWidth;
          if (y < 0 || y >= g.height) {
            cols.fill(0, start, start + gridWidth);
            continue;
          }
          for (let q = 0; q < first; q++) cols[start + q] = 0;
          const from = plane + y * g.width + x0;
          for (let q = first; q < end; q++) cols[start + q] = image[from + q * strideW] as number;
          for (let q = end; q < gridWidth; q++) cols[start + q] = 0;
        }
      }
  }
}

/**
 * The adjoint of {@link im2col}: adds every column's taps back onto the image positions they
 * were read from (positions outside the image are dropped). `image` must start zeroed.
 */
export function col2im(
  cols: TypedArray,
  g: WindowGeometry,
  image: TypedArray,
  imageOffset: number,
  layout: ColumnLayout = { offset: 0, rowLength: g.gridHeight * g.gridWidth },
): void {
  const { gridWidth, strideW } = g;
  let row = layout.offset;
  for (let c = 0; c < g.channels; c++) {
    const plane = imageOffset + c * g.height * g.width;
    for (let i = 0; i < g.kernelH; i++)
      for (let j = 0; j < g.kernelW; j++, row += layout.rowLength) {
        const [first, end] = insideColumns(g, j);
        const x0 = j * g.dilationW - g.padW;
        for (let p = 0; p < g.gridHeight; p++) {
          const y = p * g.strideH - g.padH + i * g.dilationH;
          if (y < 0 || y >= g.height) continue;
          const to = plane + y * g.width + x0;
          const start = row + p * gridWidth;
          for (let q = first; q < end; q++) {
            const at = to + q * strideW;
            image[at] = (image[at] as number) + (cols[start + q] as number);
          }
        }
      }
  }
}
