import pc from "picocolors";

/** picocolors' colour functions (or pass-throughs when colour is off). */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours for one output stream: on for a terminal, off for pipes and files, off whenever
 * `NO_COLOR` is set (https://no-color.org) or `--no-color` was given, on with `FORCE_COLOR`.
 */
export function colorsFor(stream: { isTTY?: boolean }, allowed = true): Colors {
  const env = process.env;
  const enabled =
    allowed &&
    !env.NO_COLOR &&
    (Boolean(env.FORCE_COLOR) || (stream.isTTY === true && env.TERM !== "dumb"));
  return pc.createColors(enabled);
}

/** A loss as the book prints it (`2.927648`), in exponent form when very large or small. */
export function formatLoss(value: number | undefined): string {
  if (value === undefined) return "–";
  const abs = Math.abs(value);
  if (!Number.isFinite(value)) return String(value);
  return abs !== 0 && (abs >= 1e5 || abs < 1e-4) ? value.toExponential(4) : value.toFixed(6);
}

/** A parameter as PyTorch prints it (`5.3671`, `-17.3012`). */
export function formatParam(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : String(value);
}

/** A coefficient with four significant digits and a true minus sign (`0.5367`, `−17.30`). */
export function formatCoefficient(value: number): string {
  return value.toPrecision(4).replace("-", "−");
}

/** Milliseconds as `850 ms`, `3.2 s` or `2 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

const TICKS = "▁▂▃▄▅▆▇█";

/**
 * A one-line sparkline of `values` on a log scale (losses span decades), resampled to at most
 * `width` characters; non-finite or non-positive values are left out.
 */
export function sparkline(values: readonly number[], width = 40): string {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  if (finite.length === 0) return "";
  const n = Math.min(width, finite.length);
  const picked = Array.from({ length: n }, (_, i) => {
    const at = n === 1 ? finite.length - 1 : Math.round((i * (finite.length - 1)) / (n - 1));
    return Math.log10(finite[at] as number);
  });
  const low = picked.reduce((a, b) => Math.min(a, b));
  const span = picked.reduce((a, b) => Math.max(a, b)) - low;
  return picked
    .map((v) => TICKS[span === 0 ? 0 : Math.round(((v - low) / span) * (TICKS.length - 1))])
    .join("");
}

/** Two aligned columns, `label  value`, one row per line, labels dimmed. */
export function table(rows: readonly (readonly [string, string])[], colors: Colors): string {
  const width = longest(rows.map(([label]) => label));
  return rows.map(([label, value]) => `  ${colors.dim(label.padEnd(width))}  ${value}`).join("\n");
}

/** The length of the longest string (0 for none); a loop, so any number of strings works. */
export function longest(texts: readonly string[]): number {
  let width = 0;
  for (const text of texts) width = Math.max(width, text.length);
  return width;
}

/**
 * The shortest decimal that reads back as the same float32: what a CSV cell such as `92.023`
 * said, rather than the float32's exact value `92.02300262451172`.
 */
export function shortestFloat32(value: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(value.toPrecision(digits));
    if (Math.fround(short) === value) return short;
  }
  return value;
}

/**
 * The width of the terminal `stream` writes to, or the `COLUMNS` environment variable's for
 * pipes; undefined when neither says.
 */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }): number | undefined {
  if (stream.isTTY && stream.columns !== undefined && stream.columns > 0) return stream.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

/**
 * Word-wraps `text` to `width` columns (default: the terminal's, at most 100; 100 for pipes),
 * breaking only at spaces; a word longer than the width gets a line of its own.
 */
export function wrap(
  text: string,
  width = Math.min(terminalWidth(process.stdout) ?? 100, 100),
): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.join("\n");
}
