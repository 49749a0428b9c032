import { readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { runs } from "./fixtures";
import { runCli, tempDir } from "./run-cli";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

interface Circle {
  cx: number;
  cy: number;
  fill: string | undefined;
  title: string;
}

/** Every `<circle>` anywhere in the parsed SVG: position, tooltip and (inherited) fill. */
function circles(node: unknown, out: Circle[] = [], fill?: string): Circle[] {
  if (Array.isArray(node)) {
    for (const child of node) circles(child, out, fill);
  } else if (node !== null && typeof node === "object") {
    const own = (node as Record<string, unknown>)["@_fill"] as string | undefined;
    for (const [key, value] of Object.entries(node)) {
      if (key === "circle") {
        for (const c of [value].flat() as Record<string, unknown>[]) {
          out.push({
            cx: Number(c["@_cx"]),
            cy: Number(c["@_cy"]),
            fill: (c["@_fill"] as string | undefined) ?? own ?? fill,
            title: String(c.title),
          });
        }
      } else circles(value, out, own ?? fill);
    }
  }
  return out;
}

/** Runs `x fit … --plot`, checks the SVG is well-formed XML, and parses it. */
function plot(name: string, args: readonly string[]) {
  const file = join(dir, name);
  const run = runCli(["fit", ...args, "--plot", file, "--quiet"]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const svg = readFileSync(file, "utf8");
  expect(XMLValidator.validate(svg)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg);
  return { svg, parsed, circles: circles(parsed) };
}

/** The points lie on an affine image of the data: each screen axis is a linear scale of one column. */
function expectAffine(screen: readonly number[], data: readonly number[]): void {
  const [s0, s1] = [screen[0] as number, screen[1] as number];
  const [d0, d1] = [data[0] as number, data[1] as number];
  const k = (s1 - s0) / (d1 - d0);
  const offsets = data.map((d, i) => Math.abs((screen[i] as number) - (s0 + k * (d - d0))));
  expect(Math.max(...offsets)).toBeLessThan(0.01);
}

describe("x fit --plot", () => {
  it("writes a well-formed SVG with every data point, the fitted line and the loss curve", () => {
    const { svg, parsed, circles: points } = plot("fit.svg", []);
    expect(parsed.svg["@_xmlns"]).toBe("http://www.w3.org/2000/svg");
    expect(points).toHaveLength(11);
    const titles = runs.t_u.map((u, i) => `train: t_u = ${u}, t_c = ${runs.t_c[i]}`);
    expect(points.map((p) => p.title).sort()).toEqual([...titles].sort());
    // The circles sit where the readings are: cx is a linear scale of t_u, cy of t_c.
    const byTitle = titles.map((t) => points.find((p) => p.title === t) as Circle);
    expectAffine(
      byTitle.map((p) => p.cx),
      runs.t_u,
    );
    expectAffine(
      byTitle.map((p) => p.cy),
      runs.t_c,
    );
    expect(svg).toContain("t_c ≈ 0.5367 · t_u − 17.30");
    expect(svg).toContain("loss (MSE, log scale)");
    expect(svg).toMatch(/<path[^>]*d="M[^"]{1000,}"/);
  });

  it("marks the validation points apart from the training points", () => {
    const { circles: points } = plot("split.svg", ["--val-fraction", "0.2", "--epochs", "300"]);
    const train = points.filter((p) => p.title.startsWith("train: "));
    const val = points.filter((p) => p.title.startsWith("val: "));
    expect([train.length, val.length]).toEqual([9, 2]);
    expect(val.every((p) => p.fill === "none")).toBe(true);
    expect(train.every((p) => p.fill !== "none")).toBe(true);
  });
});
