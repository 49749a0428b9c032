// Marks the demos' charts share.
import * as Plot from "@observablehq/plot";
import { formatNumber } from "./format";

/** The colour of the least-squares minimum: the star on the contour plots, the dashed line. */
export const MINIMUM_COLOUR = "#d9a400";

/**
 * The dashed horizontal line at the least-squares minimum of a loss-per-epoch chart, labelled at
 * its right end so the reader knows what it is without a legend.
 */
export function minimumLine(minimum: number | null): Plot.Markish[] {
  const data = minimum === null ? [] : [minimum];
  return [
    Plot.ruleY(data, { stroke: MINIMUM_COLOUR, strokeWidth: 1.5, strokeDasharray: "5 3" }),
    Plot.text(data, {
      y: (d: number) => d,
      frameAnchor: "right",
      textAnchor: "end",
      dy: -9,
      text: (d: number) => `least-squares minimum ${formatNumber(d)}`,
      fill: "currentColor",
      stroke: "var(--vp-c-bg-soft)",
      strokeWidth: 4,
      paintOrder: "stroke",
    }),
  ];
}
