// One run of workload D1 (CSV loading): reads a thermometer-like CSV file through the CLI's own
// loader (64 KiB chunks parsed straight into float32 columns) and prints the peers' JSON lines:
// load time, peak RSS, and peak RSS above this process's baseline per byte of file.
// Usage (after bundling, see scripts/bench.mjs): node .build/csv-load.mjs FILE ROWS LABEL
import { statSync } from "node:fs";
import { loadCsv } from "../../cli/src/data";
import { emit, now } from "../peers/harness.mjs";

const PEER = "@x";
const [file, rowsText, label] = process.argv.slice(2) as [string, string, string];
const rows = Number(rowsText);
const mb = (bytes: number) => bytes / 2 ** 20;
const maxRss = () => process.resourceUsage().maxRSS * 1024;

const fileBytes = statSync(file).size;
const baseline = maxRss(); // Node, the bundle's modules, nothing read yet
const start = now();
const data = loadCsv(file, { x: "t_u", y: "t_c" });
const ms = now() - start;
const peak = maxRss();
const ok = data.x.shape[0] === rows && data.y.shape[0] === rows;
const common = { rows, file_MB: +mb(fileBytes).toFixed(1), ok };

emit(PEER, "D1_csv_load", label, "ms", ms, "ms", {
  ...common,
  note: "x fit's CSV loader: 64 KiB chunks, PapaParse, float32 columns",
});
emit(PEER, "D1_csv_peak_rss", label, "MB", mb(peak), "MB", {
  ...common,
  baseline_MB: +mb(baseline).toFixed(1),
});
emit(PEER, "D1_csv_rss_per_file", label, "x_file", (peak - baseline) / fileBytes, "× file", {
  ...common,
  note: "(peak RSS − RSS before loading) / file size",
});
