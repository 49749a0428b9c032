// Workload D1: CSV loading time and peak memory, each size in a fresh process (peak RSS is a
// high-water mark), on generated thermometer-like files (`t_c,t_u`, three decimals).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emit, sizeLabel } from "../peers/harness.mjs";
import { writeThermometerCsv } from "./thermometer-csv";

/** Runs D1 for each row count, printing the child's JSON lines (or an error line). */
export function csvWorkload(sizes: readonly number[]): void {
  const folder = mkdtempSync(join(tmpdir(), "x-bench-csv-"));
  try {
    for (const rows of sizes) {
      const label = sizeLabel(rows);
      const file = join(folder, `thermometer-${label}.csv`);
      writeThermometerCsv(file, rows);
      const child = spawnSync(
        process.execPath,
        [".build/csv-load.mjs", file, String(rows), label],
        { encoding: "utf8", timeout: 600_000 },
      );
      const lines = child.stdout.split("\n").filter((line) => line.startsWith('{"peer"'));
      if (lines.length > 0) console.log(lines.join("\n"));
      else {
        const why = child.stderr.trim().split("\n").pop() || `exit code ${child.status}`;
        emit("@x", "D1_csv_load", label, "ms", null, "ms", { error: why });
      }
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
