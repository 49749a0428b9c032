import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** Points of one data split, in the data's own units. */
export interface PlotPoints {
  x: readonly number[];
  y: readonly number[];
}

/** Everything {@link renderFitSvg} draws. */
export interface FitPlotInput {
  /** Column names, for the axes and the point tooltips. */
  xName: string;
  yName: string;
  /** The heading above both panels. */
  title: string;
  /** The fitted calibration, shown above the data panel. */
  formula: string;
  train: PlotPoints;
  val?: PlotPoints | undefined;
  /** The model's predictions on a grid spanning the data. */
  curve: PlotPoints;
  /** One entry per epoch. */
  history: readonly { epoch: number; trainLoss: number; valLoss?: number | undefined }[];
}

const PANEL = { width: 470, height: 360 };
const HEADER = 54;
const SVG_NS = "http://www.w3.org/2000/svg";
const COLORS = { train: "#4269d0", val: "#ff725c", fit: "#3ca951" };

type Doc = ReturnType<typeof parseHTML>["document"];

/** Escapes text for an XML attribute or element. */
function xml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string,
  );
}

function dataPanel(input: FitPlotInput, document: Doc): string {
  const rows = (points: PlotPoints | undefined, set: string) =>
    points === undefined ? [] : points.x.map((x, i) => ({ x, y: points.y[i] as number, set }));
  const points = [...rows(input.train, "train"), ...rows(input.val, "val")];
  const curve = rows(input.curve, "fit");
  // float32 data: 7 significant digits print 35.7, not 35.70000076293945.
  const show = (v: number) => String(Number(v.toPrecision(7)));
  const title = (d: { x: number; y: number; set: string }) =>
    `${d.set}: ${input.xName} = ${show(d.x)}, ${input.yName} = ${show(d.y)}`;
  const svg = Plot.plot({
    document,
    ...PANEL,
    marginLeft: 50,
    grid: true,
    x: { label: input.xName },
    y: { label: input.yName },
    marks: [
      Plot.line(curve, { x: "x", y: "y", stroke: COLORS.fit, strokeWidth: 2 }),
      Plot.dot(
        points.filter((d) => d.set === "train"),
        { x: "x", y: "y", r: 4.5, fill: COLORS.train, stroke: "white", title },
      ),
      Plot.dot(
        points.filter((d) => d.set === "val"),
        { x: "x", y: "y", r: 4.5, stroke: COLORS.val, strokeWidth: 2, title },
      ),
      Plot.text([input.formula], {
        frameAnchor: "top-left",
        dx: 6,
        dy: 4,
        fontSize: 12,
        fill: COLORS.fit,
        fontWeight: "bold",
      }),
    ],
  });
  return svg.outerHTML;
}

function lossPanel(input: FitPlotInput, document: Doc): string {
  const losses = input.history.flatMap((r) => [
    { epoch: r.epoch, loss: r.trainLoss, set: "train" },
    ...(r.valLoss === undefined ? [] : [{ epoch: r.epoch, loss: r.valLoss, set: "val" }]),
  ]);
  // A log axis cannot show 0 or non-finite losses.
  const shown = losses.filter((d) => Number.isFinite(d.loss) && d.loss > 0);
  const svg = Plot.plot({
    document,
    ...PANEL,
    marginLeft: 60,
    marginRight: 40,
    grid: true,
    x: { label: "epoch" },
    y: { type: "log", label: "loss (MSE, log scale)" },
    color: { domain: ["train", "val"], range: [COLORS.train, COLORS.val] },
    marks: [
      Plot.line(shown, { x: "epoch", y: "loss", stroke: "set", strokeWidth: 1.8 }),
      Plot.text(
        shown,
        Plot.selectLast({
          x: "epoch",
          y: "loss",
          z: "set",
          text: "set",
          fill: "set",
          dx: 4,
          textAnchor: "start",
        }),
      ),
    ],
  });
  return svg.outerHTML;
}

/** Places a Plot-made `<svg>` at (x, y) inside the page's outer `<svg>`. */
function place(svg: string, x: number, y: number): string {
  return svg.replace(/^<svg /, `<svg x="${x}" y="${y}" `);
}

/**
 * An SVG page with two panels, made with Observable Plot on a linkedom document (headless, no
 * browser, no native code): the data points and the fitted curve in the data's units, and the
 * training/validation loss per epoch on a log axis. Each point carries a `<title>` naming its
 * values.
 */
export function renderFitSvg(input: FitPlotInput): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const width = PANEL.width * 2 + 20;
  const height = PANEL.height + HEADER;
  const points = input.val === undefined ? "data" : "data (filled: training, rings: validation)";
  const losses = input.val === undefined ? "training loss" : "training and validation loss";
  const caption = (x: number, text: string) =>
    `<text x="${x}" y="44" font-size="12" fill="#555">${xml(text)}</text>`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">${xml(input.title)}</text>`,
    caption(12, `${points} and the fitted ${input.yName}(${input.xName})`),
    caption(PANEL.width + 32, `${losses} per epoch`),
    place(dataPanel(input, document), 0, HEADER),
    place(lossPanel(input, document), PANEL.width + 20, HEADER),
    `</svg>`,
    "",
  ].join("\n");
}
