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

/**
 * `cols[(c·kH + i)·kW + j][p·gridWidth + q] = image[c][p·sH − pH + i·dH][q·sW − pW + j·dW]`, 0
 * outside the image: every window as a column, so a convolution is one matrix product.
 */
export function im2col(
  image: TypedArray,
  imageOffset: number,
  g: WindowGeometry,
  cols: TypedArray,
): void {
  const gridSize = g.gridHeight * g.gridWidth;
  let row = 0;
  for (let c = 0; c < g.channels; c++) {
    const plane = imageOffset + c * g.height * g.width;
    for (let i = 0; i < g.kernelH; i++)
      for (let j = 0; j < g.kernelW; j++, row += gridSize) {
        for (let p = 0; p < g.gridHeight; p++) {
          const y = p * g.strideH - g.padH + i * g.dilationH;
          const start = row + p * g.gridWidth;
          if (y < 0 || y >= g.height) {
            cols.fill(0, start, start + g.gridWidth);
            continue;
          }
          const line = plane + y * g.width;
          const x0 = j * g.dilationW - g.padW;
          for (let q = 0, x = x0; q < g.gridWidth; q++, x += g.strideW)
            cols[start + q] = x >= 0 && x < g.width ? (image[line + x] as number) : 0;
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
): void {
  const gridSize = g.gridHeight * g.gridWidth;
  let row = 0;
  for (let c = 0; c < g.channels; c++) {
    const plane = imageOffset + c * g.height * g.width;
    for (let i = 0; i < g.kernelH; i++)
      for (let j = 0; j < g.kernelW; j++, row += gridSize) {
        for (let p = 0; p < g.gridHeight; p++) {
          const y = p * g.strideH - g.padH + i * g.dilationH;
          if (y < 0 || y >= g.height) continue;
          const line = plane + y * g.width;
          const start = row + p * g.gridWidth;
          const x0 = j * g.dilationW - g.padW;
          for (let q = 0, x = x0; q < g.gridWidth; q++, x += g.strideW)
            if (x >= 0 && x < g.width)
              image[line + x] = (image[line + x] as number) + (cols[start + q] as number);
        }
      }
  }
}
